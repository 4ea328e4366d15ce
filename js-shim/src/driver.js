// The driver: one engine, one platform. Every platform event becomes an engine input with the
// current time; after each input the outputs are drained until the deadline, performed through
// the platform adapter, and events are handed to the façade after the drain (never from inside
// it), in order. The driver decides nothing about the protocol.

/** Longest delay a host timer accepts (2^31 − 1 ms). */
const MAX_TIMER_MS = 0x7fffffff;
/** Safety net for HTTP requests; the engine cancels them earlier by its own deadlines. */
const HTTP_TIMEOUT_MS = 30000;

export class Driver {
  /**
   * @param {any} EngineClass  the wasm `Engine` class
   * @param {import('./platform/types.js').Platform} platform
   * @param {object} config  the engine config (see im_client::Config)
   * @param {string} storagePrefix  prefix of persisted keys
   * @param {(events: any[]) => void} onEvents  receives the events of each drain, in order
   */
  constructor(EngineClass, platform, config, storagePrefix, onEvents) {
    this.platform = platform;
    this.prefix = storagePrefix;
    this.onEvents = onEvents;
    this.engine = new EngineClass(config);
    this.last = 0;
    this.socket = null;
    this.socketGen = 0;
    this.http = new Map();
    this.timer = null;
    this.timerAt = null;
    this.events = [];
    this.draining = false;
    this.disposed = false;
  }

  /** A clock that never goes backwards (the engine requires it). */
  now() {
    const t = this.platform.now();
    if (t > this.last) this.last = t;
    return this.last;
  }

  /**
   * Runs one engine input or command, then drains. Returns what the call returned.
   * @template T
   * @param {(engine: any, now: number) => T} call
   * @returns {T | undefined}
   */
  input(call) {
    if (this.disposed) return undefined;
    let result;
    try {
      result = call(this.engine, this.now());
    } finally {
      this.drain();
    }
    return result;
  }

  drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      for (;;) {
        const out = this.engine.pollOutput();
        if (out.type === 'timeout') {
          this.arm(out.atMs);
          break;
        }
        this.perform(out);
      }
    } finally {
      this.draining = false;
    }
    if (this.events.length) {
      const events = this.events;
      this.events = [];
      this.onEvents(events);
    }
  }

  perform(out) {
    switch (out.type) {
      case 'openSocket':
        this.openSocket(out.url);
        break;
      case 'sendBytes':
        if (this.socket) this.socket.send(out.bytes);
        break;
      case 'closeSocket':
        this.closeSocket();
        break;
      case 'httpGet':
        this.httpGet(out.id, out.url);
        break;
      case 'cancelHttp': {
        const abort = this.http.get(out.id);
        this.http.delete(out.id);
        if (abort) abort();
        break;
      }
      case 'persist':
        try {
          // An empty value means the key is gone (a cleared counter or draft).
          if (out.value === '') this.platform.storage.remove(this.prefix + out.key);
          else this.platform.storage.set(this.prefix + out.key, out.value);
        } catch {
          // A full or unavailable store loses the cursor, not the connection.
        }
        break;
      case 'event':
        this.events.push(out.event);
        break;
      default:
        break;
    }
  }

  openSocket(url) {
    this.closeSocket();
    const gen = ++this.socketGen;
    const live = () => gen === this.socketGen && !this.disposed;
    const handlers = {
      onOpen: () => {
        if (live()) this.input((e, t) => e.handleSocketOpen(t));
      },
      onMessage: (bytes) => {
        if (live()) this.input((e, t) => e.handleSocketData(t, bytes));
      },
      onError: () => {
        if (live()) this.input((e, t) => e.handleSocketError(t));
      },
      onClose: (code) => {
        if (!live()) return;
        this.socket = null;
        this.socketGen++;
        this.input((e, t) => e.handleSocketClose(t, code));
      },
    };
    try {
      this.socket = this.platform.openSocket(url, handlers);
    } catch {
      // The host refused the URL: report it as an abnormal close, after this drain.
      this.platform.setTimer(() => handlers.onClose(1006), 0);
    }
  }

  closeSocket() {
    const socket = this.socket;
    this.socket = null;
    this.socketGen++;
    if (socket) {
      try {
        socket.close();
      } catch {
        // Already closed.
      }
    }
  }

  httpGet(id, url) {
    this.http.set(id, null);
    const done = ({ status, body }) => {
      if (!this.http.has(id)) return;
      this.http.delete(id);
      this.input((e, t) => e.handleHttpResponse(t, id, status, body));
    };
    const abort = this.platform.httpGet(url, HTTP_TIMEOUT_MS, done);
    if (this.http.has(id)) this.http.set(id, abort);
  }

  arm(atMs) {
    if (atMs === this.timerAt && this.timer !== null) return;
    if (this.timer !== null) this.platform.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = atMs;
    if (atMs === null || atMs === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, atMs - this.now()));
    this.timer = this.platform.setTimer(() => {
      this.timer = null;
      this.timerAt = null;
      this.input((e, t) => e.handleTimeout(t));
    }, delay);
  }

  /** Stops everything: timer, socket, HTTP; frees the engine. */
  dispose() {
    if (this.disposed) return;
    if (this.timer !== null) this.platform.clearTimer(this.timer);
    this.timer = null;
    this.closeSocket();
    for (const abort of this.http.values()) if (abort) abort();
    this.http.clear();
    this.disposed = true;
    this.engine.free();
  }
}
