// Offline delivery, a SIGKILLed server restarted on the same data directory, and a page reload
// (a new client on the same storage): nothing lost, nothing delivered twice, order kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consumer } from './support/consumer.mjs';
import { startServer } from './support/server.mjs';
import { makeUser } from './support/clients.mjs';
import { loadWxBuild } from './support/wx-host.mjs';

let server;
let node;
let wxLib;
let alice;
let bob;

before(async () => {
  const c = await consumer();
  node = (await c.loadNode()).default;
  wxLib = loadWxBuild(c).lib;
  server = await startServer();
  alice = await makeUser(node, server, 'alice');
  bob = await makeUser(wxLib, server, 'bob', { libOptions: { wx: globalThis.wx } });
  assert.equal(await alice.connect(), 'alice');
});

after(async () => {
  for (const u of [alice, bob]) u?.im().disconnect();
  await server?.stop();
});

const text = (s) => node.TextMessage.obtain(s);

/** Kills the server, restarts it on the same port and data, and waits for `users` to be back. */
async function crashAndRestart(...users) {
  const marks = users.map((u) => u.state.statuses.length);
  await server.kill();
  await server.restart();
  await Promise.all(users.map((u, i) => u.connectedAgain(marks[i])));
}

test('bob, offline, gets every message once and in order after connecting, across a server crash', async () => {
  const sent = [];
  for (let i = 0; i < 10; i++) {
    if (i === 5) await crashAndRestart(alice);
    const m = await alice.im().sendMessage(1, 'bob', text(`offline ${i}`));
    sent.push(m.messageUId);
  }
  assert.equal(new Set(sent).size, 10);
  assert.equal(await bob.connect(), 'bob');
  const expected = Array.from({ length: 10 }, (_, i) => `offline ${i}`);
  await bob.waitFor(() => bob.texts().length >= 10, 'ten offline messages');
  // A live message after the backlog is the barrier: nothing of the backlog comes after it.
  const barrier = await alice.im().sendMessage(1, 'bob', text('barrier 1'));
  await bob.waitFor(() => bob.state.received.some((m) => m.messageUId === barrier.messageUId), 'barrier 1');
  assert.deepEqual(bob.texts(), [...expected, 'barrier 1']);
  const uids = bob.state.received.map((m) => m.messageUId);
  assert.deepEqual(uids.slice(0, 10), sent);
  assert.ok(bob.state.received.slice(0, 10).every((m) => m.offLineMessage === true));
});

test('both online, the server is killed and restarted mid-conversation: nothing lost or duplicated', async () => {
  const before = bob.texts().length;
  for (let i = 0; i < 10; i++) {
    if (i === 5) await crashAndRestart(alice, bob);
    await alice.im().sendMessage(1, 'bob', text(`live ${i}`));
  }
  const barrier = await alice.im().sendMessage(1, 'bob', text('barrier 2'));
  await bob.waitFor(() => bob.state.received.some((m) => m.messageUId === barrier.messageUId), 'barrier 2');
  const expected = [...Array.from({ length: 10 }, (_, i) => `live ${i}`), 'barrier 2'];
  assert.deepEqual(bob.texts().slice(before), expected);
  const uids = bob.state.received.map((m) => m.messageUId);
  assert.equal(new Set(uids).size, uids.length, 'no message twice');
});

test('a new client on the same storage (a page reload) does not get old messages again', async () => {
  const seen = new Set(bob.state.received.map((m) => m.messageUId));
  bob.im().disconnect();
  // Same `wx` object, so the same storage: the cursors written by the first client are there.
  const reloaded = await makeUser(wxLib, server, 'bob', { token: bob.token, libOptions: { wx: globalThis.wx } });
  const keys = globalThis.wx.getStorageInfoSync().keys;
  assert.ok(keys.some((k) => k.startsWith('rong_e2eappkey_') && k.endsWith('_receivebox')), 'cursor persisted');
  assert.equal(await reloaded.connect(), 'bob');
  const barrier = await alice.im().sendMessage(1, 'bob', text('after reload'));
  await reloaded.waitFor(
    () => reloaded.state.received.some((m) => m.messageUId === barrier.messageUId),
    'after reload',
  );
  assert.deepEqual(reloaded.texts(), ['after reload']);
  assert.ok(reloaded.state.received.every((m) => !seen.has(m.messageUId)));
  reloaded.im().disconnect();
});
