// hasRemoteUnreadMessages (an HTTP JSONP request to im-server's /message/exist.js, before or
// without a connection) and sendStatusMessage (delivered to online receivers only, stored and
// counted nowhere), end to end with the built package: the Node build and the mini-program
// build over a fake `wx`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';
import { makeUser } from './support/clients.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

let node;
let wxLib;
let server;
const { online } = e2e((ctx) => ({ node, wxLib, server } = ctx));

const PRIVATE = 1;

/** Resolves once `check()` (async) holds, asked again every 100 ms; a hang guard after 20 s. */
async function eventually(check, what) {
  const until = Date.now() + 20000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('hasRemoteUnreadMessages is true while a message waits for the user and false once it is synced', async () => {
  const bob = await online('hr-bob');
  // Alice has not connected yet: she asks with her token only, from the mini-program build.
  const alice = await makeUser(wxLib, server, 'hr-alice', { libOptions: { wx: createFakeWx() } });
  assert.equal(await alice.im().hasRemoteUnreadMessages(alice.token), false, 'nothing was ever sent to her');

  const sent = await bob.im().sendMessage(PRIVATE, 'hr-alice', node.TextMessage.obtain('are you there?'));
  assert.equal(await alice.im().hasRemoteUnreadMessages(alice.token), true);

  assert.equal(await alice.connect(), 'hr-alice');
  await alice.waitFor(() => alice.state.received.some((m) => m.messageUId === sent.messageUId), 'the message at alice');
  alice.im().disconnect();
  await eventually(async () => (await alice.im().hasRemoteUnreadMessages(alice.token)) === false, 'no unread after her sync');

  // A message of her own (sent, not received) does not count.
  const alice2 = await online('hr-alice');
  await alice2.im().sendMessage(PRIVATE, 'hr-bob', node.TextMessage.obtain('yes'));
  alice2.im().disconnect();
  assert.equal(await bob.im().hasRemoteUnreadMessages(alice.token), false);
});

test('hasRemoteUnreadMessages reports a wrong token as an error through the callback', async () => {
  const u = await makeUser(node, server, 'hr-wrong');
  const result = await new Promise((resolve) => {
    u.im().hasRemoteUnreadMessages('not-a-token', {
      onSuccess: (v) => resolve(['success', v]),
      onError: (code) => resolve(['error', code]),
    });
  });
  assert.deepEqual(result, ['error', node.ErrorCode.UNKNOWN]);
  const bad = await u.im().hasRemoteUnreadMessages('').catch((err) => err.code);
  assert.equal(bad, node.ErrorCode.PARAMETER_ERROR);
});

test('a status message reaches an online receiver only and is kept in no list or store', async () => {
  const sender = await online('st-sender', { libOptions: { wx: createFakeWx() } }, wxLib);
  const receiver = await online('st-receiver');
  const poke = new node.TextMessage({ content: 'poke' });
  const sent = await sender.im().sendStatusMessage(PRIVATE, 'st-receiver', poke);
  assert.equal(sent.content.content, 'poke');
  await receiver.waitFor(() => receiver.state.received.some((m) => m.messageUId === sent.messageUId), 'the status message');
  assert.deepEqual(await sender.im().getConversationList(null, null, null), [], 'no conversation on the sender');
  const history = await sender.im().getHistoryMessages(PRIVATE, 'st-receiver', 0, 20);
  assert.deepEqual(history.list, [], 'neither in the local store nor on the server');

  // Offline receivers never get it, not even after reconnecting.
  receiver.im().disconnect();
  const missed = await sender.im().sendStatusMessage(PRIVATE, 'st-receiver', new node.TextMessage({ content: 'missed' }));
  const normal = await sender.im().sendMessage(PRIVATE, 'st-receiver', new node.TextMessage({ content: 'normal' }));
  const from = receiver.state.statuses.length;
  await receiver.connect();
  await receiver.connectedAgain(from);
  await receiver.waitFor(() => receiver.state.received.some((m) => m.messageUId === normal.messageUId), 'the normal message');
  assert.ok(!receiver.state.received.some((m) => m.messageUId === missed.messageUId), 'the status message sent while offline');

  // 2.5.3's declared form names no conversation.
  const code = await new Promise((resolve) => {
    sender.im().sendStatusMessage(poke, { onSuccess: () => resolve('success'), onError: (c) => resolve(c) });
  });
  assert.equal(code, node.ErrorCode.PARAMETER_ERROR);
});
