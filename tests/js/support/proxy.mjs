// A fault-injecting TCP proxy on 127.0.0.1 in front of a server: every connection to it is
// relayed to the server on a connection of its own, until the test resets them (both sides are
// destroyed at once, as a network drop would do) or holds the server's replies back.
import net from 'node:net';

/**
 * Starts a proxy to `target` ("host:port"). Returns `{host, reset(), hold(), release(),
 * close(), resets}`: `host` is "127.0.0.1:PORT" to give the SDK as its navigation host (the
 * server names the host a request came to, so the socket goes through the proxy too).
 * @param {string} target
 */
export async function startProxy(target) {
  const [targetHost, targetPort] = target.split(':');
  /** @type {Set<{client: net.Socket, upstream: net.Socket}>} */
  const pairs = new Set();
  let holding = false;
  const proxy = {
    host: '',
    /** How many connections `reset` has dropped. */
    resets: 0,
    /** Drops every relayed connection now. */
    reset() {
      for (const p of pairs) {
        proxy.resets++;
        p.client.resetAndDestroy();
        p.upstream.destroy();
      }
      pairs.clear();
    },
    /**
     * From now on, what the server sends on the connections open now is dropped (the client
     * never sees it), until `reset`: the server has answered, the answer is lost.
     */
    hold() {
      holding = true;
      for (const p of pairs) p.held = true;
    },
    /** New connections relay both ways again. */
    release() {
      holding = false;
    },
    close() {
      proxy.reset();
      return new Promise((resolve) => listener.close(() => resolve()));
    },
  };
  const listener = net.createServer((client) => {
    const upstream = net.connect(Number(targetPort), targetHost);
    const pair = { client, upstream, held: holding };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!pair.held) client.write(chunk);
    });
    for (const s of [client, upstream]) {
      s.on('error', drop);
      s.on('close', drop);
    }
  });
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  proxy.host = `127.0.0.1:${listener.address().port}`;
  return proxy;
}
