// The SDK, started once for the whole mini program, and a small event hub for the pages:
// 'status' (ConnectionStatus) and 'message' (a received Message).
const RongIMLib = require('rongimlib-wasm');
const config = require('../config.js');

const { RongIMClient } = RongIMLib;
const listeners = [];
let started = false;

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
      return `[voice ${content.duration || 0}"]`;
    default:
      return `[${message.objectName}]`;
  }
}

module.exports = {
  RongIMLib,
  on,
  login,
  preview,
  im: () => RongIMClient.getInstance(),
};
