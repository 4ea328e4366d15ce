// WeChat mini-program adapter: wx.connectSocket (SocketTask), wx.request, wx.*StorageSync.
// (The original wx builds' socket path was dead code; this one uses the SocketTask API.)

/**
 * @param {any} wx  The mini-program global.
 * @returns {import('./types.js').Platform}
 */
export function wxPlatform(wx) {
  return {
    name: 'wx',
    storage: wxStorage(wx),
    httpGet: (url, timeoutMs, done) => httpGet(wx, url, timeoutMs, done),
    openSocket: (url, handlers) => openSocket(wx, url, handlers),
    now: () => Date.now(),
    random: () => Math.random(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(/** @type {number} */ (h)),
    lifecycle: (h) => lifecycle(wx, h),
  };
}

/** `wx.onAppShow`/`onAppHide` and `wx.onNetworkStatusChange`, where the host has them. */
function lifecycle(wx, { onAppState, onNetwork }) {
  const show = () => onAppState(true);
  const hide = () => onAppState(false);
  const network = (res) => onNetwork(!!(res && res.isConnected));
  const pairs = [
    ['onAppShow', 'offAppShow', show],
    ['onAppHide', 'offAppHide', hide],
    ['onNetworkStatusChange', 'offNetworkStatusChange', network],
  ].filter(([on]) => typeof wx[on] === 'function');
  for (const [on, , f] of pairs) wx[on](f);
  return () => {
    for (const [, off, f] of pairs) if (typeof wx[off] === 'function') wx[off](f);
  };
}

function wxStorage(wx) {
  return {
    get: (k) => {
      // wx returns '' for a missing key.
      const v = wx.getStorageSync(k);
      return v === '' || v == null ? null : String(v);
    },
    set: (k, v) => wx.setStorageSync(k, String(v)),
    remove: (k) => wx.removeStorageSync(k),
    keys: () => (wx.getStorageInfoSync().keys || []).slice(),
  };
}

function httpGet(wx, url, timeoutMs, done) {
  let finished = false;
  const finish = (status, body) => {
    if (!finished) {
      finished = true;
      done({ status, body });
    }
  };
  const task = wx.request({
    url,
    method: 'GET',
    timeout: timeoutMs,
    dataType: 'text',
    responseType: 'text',
    success: (res) => finish(res.statusCode || 0, typeof res.data === 'string' ? res.data : JSON.stringify(res.data)),
    fail: () => finish(0, ''),
  });
  return () => {
    finished = true;
    if (task && typeof task.abort === 'function') task.abort();
  };
}

function openSocket(wx, url, handlers) {
  let closed = false;
  const task = wx.connectSocket({ url, fail: () => handlers.onError() });
  task.onOpen(() => handlers.onOpen());
  task.onMessage((res) => {
    if (res.data instanceof ArrayBuffer) handlers.onMessage(new Uint8Array(res.data));
  });
  task.onError(() => handlers.onError());
  task.onClose((res) => {
    if (!closed) {
      closed = true;
      handlers.onClose((res && res.code) || 1006);
    }
  });
  return {
    send: (data) => {
      // SocketTask takes an ArrayBuffer; copy the view's bytes into one of exact length.
      const buf = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      task.send({ data: buf });
    },
    close: () => {
      closed = true;
      task.close({ code: 1000 });
    },
  };
}
