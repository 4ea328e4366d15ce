// The local message store end to end: the built package (Node build with a storage, and the
// mini-program build over a fake `wx`) through the real im-server. Received and sent messages are
// kept per user in the host's storage; getMessage, search, local-first history, local edits and
// deletions work, also in a new client on the same storage after a restart; deleteRemoteMessages
// removes the messages on the server too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeUser, mapStorage } from './support/clients.mjs';
import { e2e } from './support/e2e.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

let server;
let node;
let wxLib;
const { online, users } = e2e((ctx) => ({ server, node, wxLib } = ctx));

const PRIVATE = 1;

async function deliver(from, to, ...texts) {
  const sent = [];
  for (const t of texts) sent.push(await from.im().sendMessage(PRIVATE, to.userId, node.TextMessage.obtain(t)));
  await to.waitFor(() => sent.every((s) => to.state.received.some((m) => m.messageUId === s.messageUId)), `${texts} at ${to.userId}`);
  return sent;
}

const texts = (list) => list.map((m) => m.content.content);

for (const host of ['node', 'mini program']) {
  test(`messages are kept, found and paged locally, also after a restart on the same storage (${host})`, async () => {
    const tag = host === 'node' ? 'n' : 'w';
    const peer = await online(`ls-peer-${tag}`);
    const id = `ls-me-${tag}`;
    const options = host === 'node' ? { init: { storage: mapStorage() } } : { libOptions: { wx: createFakeWx() } };
    const lib = host === 'node' ? node : wxLib;
    const me = await online(id, options, lib);
    await deliver(peer, me, 'Hello World', 'second 消息', 'third 😀 one');
    const mine = await me.im().sendMessage(PRIVATE, peer.userId, node.TextMessage.obtain('my reply'));
    assert.match(mine.messageId, /^\d+$/, 'a sent message has a local id');

    const received = me.state.received.find((m) => m.content.content === 'Hello World');
    const got = await me.im().getMessage(received.messageId);
    assert.equal(got.messageUId, received.messageUId);
    assert.equal((await me.im().getMessage(mine.messageId)).content.content, 'my reply');
    assert.deepEqual(texts(await me.im().searchMessageByContent(PRIVATE, peer.userId, 'hello', 0, 10)), ['Hello World'], 'ASCII any case');
    assert.deepEqual(texts(await me.im().searchMessageByContent(PRIVATE, peer.userId, '消息', 0, 10)), ['second 消息']);
    assert.deepEqual(texts(await me.im().searchMessageByContent(PRIVATE, peer.userId, '😀', 0, 10)), ['third 😀 one']);
    const convs = await me.im().searchConversationByContent('reply');
    assert.deepEqual(convs.map((c) => c.targetId), [peer.userId]);

    await me.im().setMessageExtra(received.messageId, 'starred');
    assert.equal((await me.im().getMessage(received.messageId)).extra, 'starred');
    me.im().disconnect();

    // A new client on the same storage: the same messages, searches and pages.
    const again = await makeUser(lib, server, id, { ...options, token: me.token });
    users.push(again);
    assert.equal(await again.connect(), id);
    assert.equal((await again.im().getMessage(received.messageId)).extra, 'starred');
    assert.deepEqual(texts(await again.im().searchMessageByContent(PRIVATE, peer.userId, 'WORLD', 0, 10)), ['Hello World']);
    let page = await again.im().getHistoryMessages(PRIVATE, peer.userId, 0, 2);
    assert.deepEqual(texts(page.list), ['third 😀 one', 'my reply']);
    assert.equal(page.hasMsg, true);
    page = await again.im().getHistoryMessages(PRIVATE, peer.userId, null, 10);
    assert.deepEqual(texts(page.list), ['Hello World', 'second 消息'], 'no duplicate at the seam');
    assert.equal(page.hasMsg, false);

    // Local deletion, insertion and clearing.
    await again.im().deleteLocalMessages(PRIVATE, peer.userId, [received.messageId]);
    assert.equal(await again.im().getMessage(received.messageId), null);
    const inserted = await again.im().insertMessage(PRIVATE, peer.userId, peer.userId, {
      content: node.TextMessage.obtain('only here'),
      messageDirection: 2,
      sentTime: Date.now(),
    });
    assert.equal((await again.im().getMessage(inserted.messageId)).content.content, 'only here');
    await again.im().clearMessages(PRIVATE, peer.userId);
    assert.deepEqual(await again.im().searchMessageByContent(PRIVATE, peer.userId, 'o', 0, 10), []);
  });
}

test('deleteRemoteMessages removes the messages from this user’s history on the server and locally', async () => {
  const a = await online('ls-del-a');
  const b = await online('ls-del-b');
  const [first, second] = await deliver(a, b, 'keep', 'drop');
  const dropped = b.state.received.find((m) => m.messageUId === second.messageUId);
  assert.equal(await b.im().deleteRemoteMessages(PRIVATE, a.userId, [dropped]), true);
  assert.equal(await b.im().getMessage(dropped.messageId), null);
  const remote = await b.im().getRemoteHistoryMessages(PRIVATE, a.userId, 0, 20);
  assert.deepEqual(remote.list.map((m) => m.messageUId), [first.messageUId]);
  const other = await a.im().getRemoteHistoryMessages(PRIVATE, b.userId, 0, 20);
  assert.equal(other.list.length, 2, 'the other side keeps its copies');
  await assert.rejects(b.im().deleteRemoteMessages(PRIVATE, a.userId, []), (e) => e.code !== undefined);
});
