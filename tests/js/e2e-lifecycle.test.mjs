// The mini program's life under the fake `wx` (its SocketTask and request go over real sockets to
// im-server): the app going to the background, WeChat closing its socket, the app coming back;
// the network going away and back; and storage that refuses writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

let node;
let wxLib;
const { online } = e2e((ctx) => ({ node, wxLib } = ctx));

const PRIVATE = 1;
const CONNECTED = 0;
const CONNECTING = 1;
const NETWORK_UNAVAILABLE = 3;
/** A backoff far longer than any hang guard: a reconnection seen here was not the timer's. */
const SLOW_BACKOFF = { autoReconnect: { initialMs: 600000, maxMs: 600000, jitterPercent: 0 } };

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A backoff so short that, were attempts not held in the background, one would come at once. */
const FAST_BACKOFF = { autoReconnect: { initialMs: 50, maxMs: 100, jitterPercent: 0 } };

async function wxUser(userId, init = SLOW_BACKOFF) {
  const wx = createFakeWx();
  const u = await online(userId, { libOptions: { wx }, init }, wxLib);
  return { u, wx };
}

test('a socket closed in the background is not retried until onAppShow, which reconnects at once', async () => {
  const { u, wx } = await wxUser('life-hidden', FAST_BACKOFF);
  assert.equal(wx.listenerCount('appShow'), 1);
  wx.fire('appHide');
  const from = u.state.statuses.length;
  wx.sockets.at(-1).hostClose();
  await u.waitFor(() => u.state.statuses.slice(from).includes(NETWORK_UNAVAILABLE), 'the lost connection');
  await pause(1000);
  assert.ok(!u.state.statuses.slice(from).includes(CONNECTING), 'no attempt while hidden');

  wx.fire('appShow', { scene: 1001 });
  await u.connectedAgain(from);
  // The connection works: a message reaches the user.
  const peer = await online('life-hidden-peer');
  const sent = await peer.im().sendMessage(PRIVATE, 'life-hidden', new node.TextMessage({ content: 'welcome back' }));
  await u.waitFor(() => u.state.received.some((m) => m.messageUId === sent.messageUId), 'the message after coming back');
});

test('the network coming back reconnects at once instead of after the backoff', async () => {
  const { u, wx } = await wxUser('life-network');
  wx.fire('networkStatusChange', { isConnected: false, networkType: 'none' });
  const from = u.state.statuses.length;
  wx.sockets.at(-1).hostClose();
  await u.waitFor(() => u.state.statuses.slice(from).includes(NETWORK_UNAVAILABLE), 'the lost connection');
  wx.fire('networkStatusChange', { isConnected: true, networkType: 'wifi' });
  await u.connectedAgain(from);
  assert.equal(u.state.statuses.at(-1), CONNECTED);
});

test('a refused storage write is reported through the logger, never thrown, and nothing is lost', async () => {
  const { u, wx } = await wxUser('life-full');
  const logged = [];
  u.L.RongIMClient.showError = (info) => logged.push(info);
  const peer = await online('life-full-peer');
  wx.refuseWrites = true;
  const first = await peer.im().sendMessage(PRIVATE, 'life-full', new node.TextMessage({ content: 'while full' }));
  await u.waitFor(() => u.state.received.some((m) => m.messageUId === first.messageUId), 'the message while storage is full');
  // The engine holds the writes of a received message for up to a second.
  for (let waited = 0; logged.length === 0; waited += 20) {
    assert.ok(waited < 20000, 'the refusal is reported');
    await pause(20);
  }
  assert.ok(logged.every((l) => l.funcName === 'storage' && /could not store/.test(l.msg)), JSON.stringify(logged[0]));
  assert.ok(logged.some((l) => /exceed storage max size/.test(l.msg)));
  // Sending still works while nothing can be stored.
  const reply = await u.im().sendMessage(PRIVATE, 'life-full-peer', new node.TextMessage({ content: 'still here' }));
  assert.ok(reply.messageUId);
  wx.refuseWrites = false;
  const second = await peer.im().sendMessage(PRIVATE, 'life-full', new node.TextMessage({ content: 'after' }));
  await u.waitFor(() => u.state.received.some((m) => m.messageUId === second.messageUId), 'the message after');
  assert.equal(u.state.received.filter((m) => m.messageUId === first.messageUId).length, 1, 'once');
});
