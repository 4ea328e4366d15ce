// Node adapter: `ws` for the WebSocket, node:http(s) for GET, memory storage.
import http from 'node:http';
import https from 'node:https';
import WebSocket from 'ws';
import { memoryStorage } from './memory-storage.js';

/** @returns {import('./types.js').Platform} */
export function nodePlatform() {
  return {
    name: 'node',
    storage: memoryStorage(),
    httpGet,
    openSocket,
    now: () => Date.now(),
    random: () => Math.random(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(/** @type {NodeJS.Timeout} */ (h)),
  };
}

function httpGet(url, timeoutMs, done) {
  let finished = false;
  const finish = (status, body) => {
    if (!finished) {
      finished = true;
      done({ status, body });
    }
  };
  let req;
  try {
    const lib = url.startsWith('https:') ? https : http;
    req = lib.get(url, { timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => finish(0, ''));
    });
  } catch {
    queueMicrotask(() => finish(0, ''));
    return () => {};
  }
  req.on('timeout', () => req.destroy());
  req.on('error', () => finish(0, ''));
  return () => {
    finished = true;
    req.destroy();
  };
}

function openSocket(url, handlers) {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  let closed = false;
  ws.on('open', () => handlers.onOpen());
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(/** @type {Buffer} */ (data));
    handlers.onMessage(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  });
  ws.on('error', () => handlers.onError());
  ws.on('close', (code) => {
    if (!closed) {
      closed = true;
      handlers.onClose(code);
    }
  });
  return {
    send: (data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    close: () => {
      closed = true;
      ws.close();
    },
  };
}
