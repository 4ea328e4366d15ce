// A stand-in for the mini-program `wx` global whose SocketTask and request go over real network
// connections (ws and node:http), and whose storage behaves like wx's (missing key → '').
import http from 'node:http';
import WebSocket from 'ws';

/**
 * Besides what the SDK calls, the fake can fire the app's and the network's events
 * (`fire('appShow' | 'appHide' | 'networkStatusChange', res)`) and refuse storage writes
 * (`refuseWrites = true` makes `setStorageSync` throw as wx does when storage is full).
 */
export function createFakeWx() {
  const storage = new Map();
  const listeners = { appShow: new Set(), appHide: new Set(), networkStatusChange: new Set() };
  const subscribe = (name) => [(f) => listeners[name].add(f), (f) => listeners[name].delete(f)];
  const [onAppShow, offAppShow] = subscribe('appShow');
  const [onAppHide, offAppHide] = subscribe('appHide');
  const [onNetworkStatusChange, offNetworkStatusChange] = subscribe('networkStatusChange');
  /** Every SocketTask made, so a test can close one as the host does. */
  const sockets = [];
  const wx = {
    refuseWrites: false,
    sockets,
    fire: (name, res = {}) => [...listeners[name]].forEach((f) => f(res)),
    listenerCount: (name) => listeners[name].size,
    onAppShow,
    offAppShow,
    onAppHide,
    offAppHide,
    onNetworkStatusChange,
    offNetworkStatusChange,
    connectSocket({ url, fail }) {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      const on = { open: [], message: [], close: [], error: [] };
      ws.on('open', () => on.open.forEach((f) => f({})));
      ws.on('message', (data, isBinary) => {
        on.message.forEach((f) => f({ data: isBinary ? data : data.toString() }));
      });
      ws.on('close', (code, reason) => on.close.forEach((f) => f({ code, reason: String(reason) })));
      ws.on('error', (err) => {
        on.error.forEach((f) => f({ errMsg: String(err) }));
        if (fail) fail({ errMsg: String(err) });
      });
      const task = {
        /** Closes the socket as WeChat does for a mini program in the background. */
        hostClose: () => ws.terminate(),
        onOpen: (f) => on.open.push(f),
        onMessage: (f) => on.message.push(f),
        onClose: (f) => on.close.push(f),
        onError: (f) => on.error.push(f),
        send: ({ data, success, fail: sendFail }) => {
          if (!(data instanceof ArrayBuffer) && typeof data !== 'string') {
            sendFail?.({ errMsg: 'sendSocketMessage:fail data must be ArrayBuffer or string' });
            return;
          }
          ws.send(data, (err) => (err ? sendFail?.({ errMsg: String(err) }) : success?.({})));
        },
        close: ({ code } = {}) => ws.close(code ?? 1000),
      };
      sockets.push(task);
      return task;
    },
    request({ url, method = 'GET', timeout = 60000, dataType = 'json', success, fail }) {
      const req = http.request(url, { method, timeout }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let data = Buffer.concat(chunks).toString('utf8');
          // Like wx.request: dataType 'json' (the default) parses a JSON body, else the text.
          if (dataType === 'json') {
            try {
              data = JSON.parse(data);
            } catch {
              // Not JSON: the text, as wx gives it.
            }
          }
          success?.({ statusCode: res.statusCode, data, header: res.headers });
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => fail?.({ errMsg: `request:fail ${e.message}` }));
      req.end();
      return { abort: () => req.destroy() };
    },
    setStorageSync: (k, v) => {
      if (wx.refuseWrites) throw new Error('setStorageSync:fail exceed storage max size 10MB');
      storage.set(k, v);
    },
    getStorageSync: (k) => (storage.has(k) ? storage.get(k) : ''),
    removeStorageSync: (k) => storage.delete(k),
    getStorageInfoSync: () => ({ keys: [...storage.keys()] }),
  };
  return wx;
}
