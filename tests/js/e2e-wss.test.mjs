// End to end over TLS: im-server serves https and wss with a self-signed certificate made here
// with openssl (its Server API on a plain address of its own, as in production). The
// certificate is not trusted by default; two users of the installed package's Node build, in a
// child Node that trusts it (support/tls.mjs), connect through navigation over https and the
// WebSocket over wss, exchange messages and read the history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './support/server.mjs';
import { runTrusting, selfSignedCert } from './support/tls.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let dir;
let tls;
let server;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'im-wss-'));
  tls = selfSignedCert(dir);
  server = await startServer(null, { tls });
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** GET `url` with node:https options; resolves { status } or { error } (the error's code). */
function get(url, options) {
  return new Promise((resolve) => {
    const req = https.get(url, { ...options, timeout: 10000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ error: err.code ?? err.message }));
  });
}

test('the public port answers https to a client that trusts the certificate, and only to it', async () => {
  assert.equal(server.url, `https://${server.host}`);
  const untrusted = await get(`${server.url}/ping`, {});
  assert.equal(untrusted.status, undefined, 'no answer without trusting the certificate');
  assert.match(String(untrusted.error), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  assert.deepEqual(await get(`${server.url}/ping`, { ca: readFileSync(tls.cert) }), { status: 200 });
});

test('two Node users connect over https and wss, exchange messages and read the history', async () => {
  const tokens = { alice: await server.token('alice'), bob: await server.token('bob') };
  const run = await runTrusting(tls.cert, join(here, 'support', 'wss-users.mjs'), [
    JSON.stringify({ host: server.host, tokens }),
  ]);
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout);

  assert.deepEqual(r.connected, ['alice', 'bob']);
  for (const id of ['alice', 'bob']) {
    assert.deepEqual(r.statuses[id].slice(0, 4), [201, 202, 1, 0], `${id}: connecting, connected`);
    const urls = r.urls[id];
    assert.ok(urls.some((u) => u.startsWith(`https://${server.host}/navi`)), `${id} navigation: ${urls}`);
    assert.ok(urls.some((u) => u.startsWith(`wss://${server.host}/websocket?`)), `${id} socket: ${urls}`);
    assert.ok(urls.every((u) => /^(https|wss):\/\//.test(u)), `${id} only https and wss: ${urls}`);
  }

  const [toBob, toAlice] = r.sent;
  const [atBob, atAlice] = r.received;
  assert.equal(typeof toBob.uid, 'string');
  assert.deepEqual(atBob, { ...toBob, target: 'alice' }, 'bob got alice’s message as sent');
  assert.deepEqual(atAlice, { ...toAlice, target: 'bob' }, 'alice got bob’s reply as sent');
  const both = [toBob, toAlice].map((m) => [m.uid, m.sender, m.text]).sort();
  const ofHistory = (list) => list.map((m) => [m.uid, m.sender, m.text]).sort();
  assert.deepEqual(ofHistory(r.remoteHistory), both, 'the server’s history of bob and alice holds both');
  assert.deepEqual(ofHistory(r.history), both, 'so does getHistoryMessages');
});
