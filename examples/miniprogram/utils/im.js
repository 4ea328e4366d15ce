// The SDK, started once for the whole mini program, and a small event hub for the pages:
// 'status' (ConnectionStatus) and 'message' (a received Message). And `upload`: a file to im-server
// (POST /upload on the navigation server's host:port, with the protocol logged in with).
const RongIMLib = require('rongimlib-wasm');
const config = require('../config.js');

const { RongIMClient } = RongIMLib;
const listeners = [];
let started = false;
/** im-server's upload URL, known once logged in. */
let uploadUrl = '';

/** 2.x FileType values. */
const FileType = { IMAGE: 1, AUDIO: 2, VIDEO: 3, FILE: 4 };

function emit(type, value) {
  listeners.slice().forEach((fn) => fn(type, value));
}

/** Subscribes `fn(type, value)`; returns the unsubscribe function. */
function on(fn) {
  listeners.push(fn);
  return () => {
    const i = listeners.indexOf(fn);
    if (i >= 0) listeners.splice(i, 1);
  };
}

function request(url) {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      success: (res) => (res.statusCode === 200 ? resolve(res.data) : reject(new Error(`${url}: ${res.statusCode}`))),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}

/** The app key and navigation server: config.js, or the demo's /demo/config. */
async function serverConfig() {
  if (config.appKey && config.navi) return { appKey: config.appKey, navi: config.navi, protocol: config.protocol };
  const demo = await request(`${config.demoUrl}/demo/config`);
  return { appKey: config.appKey || demo.appKey, navi: config.navi || demo.navi, protocol: config.protocol || demo.protocol };
}

/** A token for `userId` from the demo's token endpoint. */
async function demoToken(userId) {
  const body = await request(`${config.demoUrl}/demo/token?user=${encodeURIComponent(userId)}`);
  return body.token;
}

/** init (once) and connect; resolves with the user id. */
async function login({ token, userId }) {
  if (!started) {
    const server = await serverConfig();
    RongIMClient.init(server.appKey, null, { navi: server.navi, protocol: server.protocol });
    uploadUrl = `${server.protocol === 'https:' ? 'https:' : 'http:'}//${server.navi}/upload`;
    RongIMClient.setConnectionStatusListener({ onChanged: (status) => emit('status', status) });
    RongIMClient.setOnReceiveMessageListener({ onReceived: (message) => emit('message', message) });
    started = true;
  }
  const t = token || (await demoToken(userId));
  return new Promise((resolve, reject) => {
    RongIMClient.connect(t, {
      onSuccess: resolve,
      onTokenIncorrect: () => reject(new Error('the token was refused')),
      onError: (code) => reject(new Error(`connect failed: ${code}`)),
    });
  });
}

/** A one-line preview of a message for the conversation list. */
function preview(message) {
  if (!message) return '';
  const content = message.content || {};
  switch (message.objectName) {
    case 'RC:TxtMsg':
      return content.content || '';
    case 'RC:ImgMsg':
      return '[image]';
    case 'RC:VcMsg':
    case 'RC:HQVCMsg':
      return `[voice ${content.duration || 0}"]`;
    default:
      return `[${message.objectName}]`;
  }
}

/**
 * Uploads the file at `filePath` as `fileType` with a token from getFileToken (qiniu's form:
 * token and file); resolves with its download URL from getFileUrl.
 */
async function upload(fileType, filePath) {
  const im = RongIMClient.getInstance();
  const { token } = await im.getFileToken(fileType);
  const key = await new Promise((resolve, reject) => {
    wx.uploadFile({
      url: uploadUrl,
      filePath,
      name: 'file',
      formData: { token },
      success: (res) => {
        let body = {};
        try {
          body = JSON.parse(res.data);
        } catch (err) {
          // Not JSON: an error page.
        }
        if (res.statusCode === 200 && body.key) resolve(body.key);
        else reject(new Error(`upload: ${res.statusCode} ${body.error || ''}`));
      },
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
  const { downloadUrl } = await im.getFileUrl(fileType, key, null);
  return downloadUrl;
}

module.exports = {
  RongIMLib,
  FileType,
  upload,
  on,
  login,
  preview,
  im: () => RongIMClient.getInstance(),
};
