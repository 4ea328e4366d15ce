// Test clients: a RongIMLib namespace per user with recorded statuses and received messages, and
// a way to wait for them. Waits are hang guards, never timing assertions.
import { APP_KEY } from './server.mjs';

/** Resolves when `pred()` holds, re-checked on every recorded change; rejects after `ms`. */
function waiter(state) {
  return (pred, what, ms = 20000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        let v;
        try {
          v = pred();
        } catch (err) {
          state.watchers.delete(check);
          clearTimeout(guard);
          reject(err);
          return;
        }
        if (v) {
          state.watchers.delete(check);
          clearTimeout(guard);
          resolve(v);
        }
      };
      const guard = setTimeout(() => {
        state.watchers.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      state.watchers.add(check);
      check();
    });
}

/**
 * A user on a fresh namespace of `lib` (the package's Node or mini-program export).
 * @returns {Promise<any>}
 */
export async function makeUser(lib, server, userId, options = {}) {
  const L = lib.createRongIMLib(options.libOptions || {});
  const state = { statuses: [], received: [], watchers: new Set() };
  const changed = () => {
    for (const w of [...state.watchers]) w();
  };
  L.RongIMClient.init(APP_KEY, null, {
    navi: server.host,
    protocol: 'http:',
    autoReconnect: { initialMs: 100, maxMs: 1000, jitterPercent: 20 },
    ...(options.init || {}),
  });
  L.RongIMClient.setConnectionStatusListener({
    onChanged: (s) => {
      state.statuses.push(s);
      changed();
    },
  });
  L.RongIMClient.setOnReceiveMessageListener({
    onReceived: (m, left, hasMore) => {
      state.received.push(m);
      changed();
    },
  });
  const token = options.token || (await server.token(userId));
  return {
    L,
    userId,
    token,
    state,
    im: () => L.RongIMClient.getInstance(),
    connect: () => L.RongIMClient.connect(token),
    waitFor: waiter(state),
    /** Waits for the next CONNECTED status after index `from` of the status list. */
    connectedAgain(from) {
      return this.waitFor(() => state.statuses.slice(from).includes(0), `${userId} connected again`);
    },
    texts: () => state.received.filter((m) => m.objectName === 'RC:TxtMsg').map((m) => m.content.content),
  };
}

/** The message user `u` received whose content field `key` equals `value`. */
export function receivedWith(u, objectName, pred, what) {
  return u.waitFor(() => u.state.received.find((m) => m.objectName === objectName && pred(m)), what);
}

/** A Storage (get/set/remove/keys) over a Map, which it exposes as `map`. */
export function mapStorage() {
  const map = new Map();
  return {
    map,
    get: (k) => (map.has(k) ? map.get(k) : null),
    set: (k, v) => map.set(k, String(v)),
    remove: (k) => map.delete(k),
    keys: () => [...map.keys()],
  };
}
