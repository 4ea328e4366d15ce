// The driver: one engine, one platform. Every platform event becomes an engine input with the
// current time; after each input the outputs are drained until the deadline, performed through
// the platform adapter, and events are handed to the façade after the drain (never from inside
// it), in order. The driver decides nothing about the protocol. Its state lives in a closure
// rather than in fields, which the mini program's minified bundle could not shorten.

/** Longest delay a host timer accepts (2^31 − 1 ms). */
const MAX_TIMER_MS = 0x7fffffff;
/** Safety net for HTTP requests; the engine cancels them earlier by its own deadlines. */
const HTTP_TIMEOUT_MS = 30000;

/**
 * @typedef {object} Driver
 * @property {any} engine_  the engine, for its getters
 * @property {<T>(call: (engine: any, now: number) => T) => T | undefined} input_  runs one engine
 *   input or command, then drains; returns what the call returned (nothing once disposed)
 * @property {() => void} dispose_  stops everything: timer, socket, HTTP; frees the engine
 */

/**
 * @param {any} EngineClass  the wasm `Engine` class
 * @param {import('./platform/types.js').Platform} platform
 * @param {object} config  the engine config (see im_client::Config)
 * @param {string} prefix  prefix of persisted keys
 * @param {(events: any[]) => void} onEvents  receives the events of each drain, in order
 * @returns {Driver}
 */
export function createDriver(EngineClass, platform, config, prefix, onEvents) {
  const engine = new EngineClass(config);
  let last = 0;
  let socket = null;
  let socketGen = 0;
  /** HTTP request id → abort function (null until the request is made). */
  const http = new Map();
  let timer = null;
  let timerAt = null;
  let events = [];
  let draining = false;
  let disposed = false;

  /** A clock that never goes backwards (the engine requires it). */
  function now() {
    const t = platform.now();
    if (t > last) last = t;
    return last;
  }

  function input(call) {
    if (disposed) return undefined;
    try {
      return call(engine, now());
    } finally {
      drain();
    }
  }

  function drain() {
    if (draining) return;
    draining = true;
    try {
      for (;;) {
        const out = engine.pollOutput();
        if (out.type === 'timeout') {
          arm(out.atMs);
          break;
        }
        perform(out);
      }
    } finally {
      draining = false;
    }
    if (events.length) {
      const drained = events;
      events = [];
      onEvents(drained);
    }
  }

  function perform(out) {
    switch (out.type) {
      case 'openSocket':
        openSocket(out.url);
        break;
      case 'sendBytes':
        if (socket) socket.send(out.bytes);
        break;
      case 'closeSocket':
        closeSocket();
        break;
      case 'httpGet':
        httpGet(out.id, out.url);
        break;
      case 'cancelHttp': {
        const abort = http.get(out.id);
        http.delete(out.id);
        if (abort) abort();
        break;
      }
      case 'persist':
        try {
          // An empty value means the key is gone (a cleared counter or draft).
          if (out.value === '') platform.storage.remove(prefix + out.key);
          else platform.storage.set(prefix + out.key, out.value);
        } catch (err) {
          // A full or unavailable store (wx: 10 MB in all, 1 MB per key) is reported, never
          // thrown: the façade logs it.
          events.push({ type: 'storageFailed', key: out.key, bytes: out.value.length, reason: String((err && (err.errMsg || err.message)) || err) });
        }
        break;
      case 'event':
        events.push(out.event);
        break;
      // An output of another type is ignored.
    }
  }

  function openSocket(url) {
    closeSocket();
    const gen = ++socketGen;
    const live = () => gen === socketGen && !disposed;
    const handlers = {
      onOpen: () => {
        if (live()) input((e, t) => e.handleSocketOpen(t));
      },
      onMessage: (bytes) => {
        if (live()) input((e, t) => e.handleSocketData(t, bytes));
      },
      onError: () => {
        if (live()) input((e, t) => e.handleSocketError(t));
      },
      onClose: (code) => {
        if (!live()) return;
        socket = null;
        socketGen++;
        input((e, t) => e.handleSocketClose(t, code));
      },
    };
    try {
      socket = platform.openSocket(url, handlers);
    } catch {
      // The host refused the URL: report it as an abnormal close, after this drain.
      platform.setTimer(() => handlers.onClose(1006), 0);
    }
  }

  function closeSocket() {
    const open = socket;
    socket = null;
    socketGen++;
    if (open) {
      try {
        open.close();
      } catch {
        // Already closed.
      }
    }
  }

  function httpGet(id, url) {
    http.set(id, null);
    const done = ({ status, body }) => {
      if (!http.has(id)) return;
      http.delete(id);
      input((e, t) => e.handleHttpResponse(t, id, status, body));
    };
    const abort = platform.httpGet(url, HTTP_TIMEOUT_MS, done);
    if (http.has(id)) http.set(id, abort);
  }

  function arm(atMs) {
    if (atMs === timerAt && timer !== null) return;
    if (timer !== null) platform.clearTimer(timer);
    timer = null;
    timerAt = atMs;
    if (atMs === null || atMs === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, atMs - now()));
    timer = platform.setTimer(() => {
      timer = null;
      timerAt = null;
      input((e, t) => e.handleTimeout(t));
    }, delay);
  }

  // The app's and the network's comings and goings, where the host reports them.
  const unsubscribe = platform.lifecycle
    ? platform.lifecycle({
        onAppState: (foreground) => input((e, t) => e.handleAppState(t, foreground)),
        onNetwork: (online) => input((e, t) => e.handleNetwork(t, online)),
      })
    : null;

  function dispose() {
    if (disposed) return;
    // A drain without an input writes what the engine holds (it holds the writes of the
    // server's frames for a moment).
    drain();
    if (unsubscribe) unsubscribe();
    if (timer !== null) platform.clearTimer(timer);
    timer = null;
    closeSocket();
    for (const abort of http.values()) if (abort) abort();
    http.clear();
    disposed = true;
    engine.free();
  }

  return { engine_: engine, input_: input, dispose_: dispose };
}
