// Browser adapter: WebSocket, fetch (or XHR where fetch is missing), localStorage.
import { memoryStorage } from './memory-storage.js';

/** @returns {import('./types.js').Platform} */
export function browserPlatform() {
  return {
    name: 'browser',
    storage: webStorage(),
    httpGet,
    openSocket,
    now: () => Date.now(),
    random: () => Math.random(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(/** @type {number} */ (h)),
    lifecycle,
  };
}

/** `visibilitychange` on the document and `online`/`offline` on the window. */
function lifecycle({ onAppState, onNetwork }) {
  const doc = globalThis.document;
  const visibility = () => onAppState(doc.visibilityState !== 'hidden');
  const online = () => onNetwork(true);
  const offline = () => onNetwork(false);
  const on = (target, type, f) => target && target.addEventListener && target.addEventListener(type, f);
  const off = (target, type, f) => target && target.removeEventListener && target.removeEventListener(type, f);
  on(doc, 'visibilitychange', visibility);
  on(globalThis, 'online', online);
  on(globalThis, 'offline', offline);
  return () => {
    off(doc, 'visibilitychange', visibility);
    off(globalThis, 'online', online);
    off(globalThis, 'offline', offline);
  };
}

function webStorage() {
  try {
    const ls = globalThis.localStorage;
    const probe = '__rongimlib_probe__';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return {
      get: (k) => ls.getItem(k),
      set: (k, v) => ls.setItem(k, String(v)),
      remove: (k) => ls.removeItem(k),
      keys: () => Array.from({ length: ls.length }, (_, i) => ls.key(i)).filter((k) => k !== null),
    };
  } catch {
    // Private mode or storage disabled: keep state for the page's lifetime.
    return memoryStorage();
  }
}

function httpGet(url, timeoutMs, done) {
  let finished = false;
  const finish = (status, body) => {
    if (!finished) {
      finished = true;
      done({ status, body });
    }
  };
  if (typeof fetch === 'function' && typeof AbortController === 'function') {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    fetch(url, { signal: ctl.signal, cache: 'no-store' })
      .then((res) => res.text().then((body) => finish(res.status, body)))
      .catch(() => finish(0, ''))
      .finally(() => clearTimeout(timer));
    return () => {
      finished = true;
      ctl.abort();
    };
  }
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, true);
  xhr.timeout = timeoutMs;
  xhr.onload = () => finish(xhr.status, xhr.responseText);
  xhr.onerror = xhr.ontimeout = () => finish(0, '');
  xhr.send();
  return () => {
    finished = true;
    xhr.abort();
  };
}

function openSocket(url, handlers) {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  let closed = false;
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (ev) => {
    if (ev.data instanceof ArrayBuffer) handlers.onMessage(new Uint8Array(ev.data));
  };
  ws.onerror = () => handlers.onError();
  ws.onclose = (ev) => {
    if (!closed) {
      closed = true;
      handlers.onClose(ev.code);
    }
  };
  return {
    send: (data) => {
      if (ws.readyState === 1) ws.send(data);
    },
    close: () => {
      closed = true;
      ws.close();
    },
  };
}
