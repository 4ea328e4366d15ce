// 2.x's data-provider methods (ServerDataProvider, VCDataProvider) on our client's real work —
// 2.5.3's own bodies were mostly stubs answering [] or true — and Conversation#setTop, end to end
// with the built package against im-server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';

let node;
const { online } = e2e((ctx) => ({ node } = ctx));

const PRIVATE = 1;

/** Resolves once `check()` (async) holds, asked again every 50 ms; a hang guard after 20 s. */
async function eventually(check, what) {
  const until = Date.now() + 20000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the data providers search, add, remove and clear through the client', async () => {
  const alice = await online('dp-alice');
  const bob = await online('dp-bob');
  const sent = [];
  for (const text of ['apple pie', 'banana', 'apple juice']) {
    sent.push(await bob.im().sendMessage(PRIVATE, 'dp-alice', new node.TextMessage({ content: text })));
  }
  await alice.waitFor(() => alice.state.received.length === 3, 'three messages at alice');
  for (const provider of [new alice.L.ServerDataProvider(), new alice.L.VCDataProvider()]) {
    const all = await provider.getAllConversations();
    assert.deepEqual(all.map((c) => [c.targetId, c.unreadMessageCount]), [['dp-bob', 3]]);
    const byContent = await provider.getConversationByContent('apple');
    assert.deepEqual(byContent.map((c) => c.targetId), ['dp-bob']);
    const found = await provider.getMessagesFromConversation(PRIVATE, 'dp-bob', 'apple');
    assert.deepEqual(found.map((m) => m.content.content), ['apple juice', 'apple pie']);
  }
  const provider = new alice.L.ServerDataProvider();

  const banana = alice.state.received.find((m) => m.content.content === 'banana');
  assert.equal(await provider.removeLocalMessage(PRIVATE, 'dp-bob', [banana.sentTime]), true);
  assert.deepEqual(await provider.getMessagesFromConversation(PRIVATE, 'dp-bob', 'banana'), []);
  assert.equal((await provider.getMessagesFromConversation(PRIVATE, 'dp-bob', 'apple')).length, 2, 'the others stay');

  const added = await provider.addMessage(PRIVATE, 'dp-bob', new node.TextMessage({ content: 'a note' }));
  const stored = await alice.im().getMessage(added.messageId);
  assert.equal(stored.content.content, 'a note');

  assert.equal(await provider.updateMessages(PRIVATE, 'dp-bob', 'readStatus', true), true);
  assert.equal(await alice.im().getUnreadCount(PRIVATE, 'dp-bob'), 0);
  const unknown = await provider.updateMessages(PRIVATE, 'dp-bob', 'color', 'red').catch((err) => err.code);
  assert.equal(unknown, node.ErrorCode.PARAMETER_ERROR);

  const pie = alice.state.received.find((m) => m.content.content === 'apple pie');
  assert.equal(await provider.removeMessage(PRIVATE, 'dp-bob', [pie]), true);
  const remote = await alice.im().getRemoteHistoryMessages(PRIVATE, 'dp-bob', 0, 20);
  assert.deepEqual(remote.list.map((m) => m.content.content), ['banana', 'apple juice']);
  assert.equal(sent.length, 3);
});

test('Conversation#setTop pins the conversation for the user; the constructor takes 2.x parameters', async () => {
  const carol = await online('top-carol');
  const dave = await online('top-dave');
  const erin = await online('top-erin');
  await dave.im().sendMessage(PRIVATE, 'top-carol', new node.TextMessage({ content: 'from dave' }));
  await erin.im().sendMessage(PRIVATE, 'top-carol', new node.TextMessage({ content: 'from erin' }));
  await carol.waitFor(() => carol.state.received.length === 2, 'both messages at carol');
  const list = await carol.im().getConversationList(null, null, null);
  assert.deepEqual(list.map((c) => c.targetId), ['top-erin', 'top-dave']);
  assert.ok(list[1] instanceof carol.L.Conversation);
  list[1].setTop();
  assert.equal(list[1].isTop, true);
  await eventually(async () => {
    const now = await carol.im().getConversationList(null, null, null);
    return now[0].targetId === 'top-dave' && now[0].isTop === true;
  }, 'dave pinned first');

  const made = new carol.L.Conversation('Title', PRIVATE, 'draft', false);
  assert.deepEqual({ ...made }, { conversationTitle: 'Title', conversationType: PRIVATE, draft: 'draft', isTop: false });
  assert.deepEqual({ ...new carol.L.Conversation({ targetId: 'x' }) }, { targetId: 'x' });
});
