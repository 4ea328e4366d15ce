// Conversations, unread counts, drafts, history and the blacklist end to end: the built package
// (Node build, and the mini-program build over a fake `wx`) through the real im-server. Each test
// uses its own users so the tests do not see each other's conversations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_KEY } from './support/server.mjs';
import { makeUser, mapStorage } from './support/clients.mjs';
import { e2e } from './support/e2e.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

let server;
let node;
let wxLib;
const { online, users } = e2e((ctx) => ({ server, node, wxLib } = ctx));

const text = (s) => node.TextMessage.obtain(s);

/** Calls `call(callback)` and resolves with the arguments of onSuccess; onError rejects with the code. */
function viaCallback(call) {
  return new Promise((resolve, reject) => {
    const returned = call({ onSuccess: (...a) => resolve(a), onError: (code) => reject(Object.assign(new Error(`onError ${code}`), { code })) });
    assert.equal(returned, undefined, 'the callback form returns nothing');
  });
}

/** Sends `texts` from `from` to `to` (private) and waits until `to` has received all of them. */
async function deliver(from, to, ...texts) {
  const uids = [];
  for (const t of texts) uids.push((await from.im().sendMessage(1, to.userId, text(t))).messageUId);
  await to.waitFor(() => uids.every((id) => to.state.received.some((m) => m.messageUId === id)), `${texts} at ${to.userId}`);
  return uids;
}

test('conversations are listed newest first after messages both ways, locally and from the server', async () => {
  const a = await online('conv-a');
  const b = await online('conv-b');
  const c = await makeUser(node, server, 'conv-c');
  users.push(c);
  await deliver(a, b, 'a to b 1');
  await b.im().sendMessage(1, 'conv-c', text('b to c 1'));
  let [list] = await viaCallback((cb) => b.im().getConversationList(cb, [1]));
  assert.deepEqual(list.map((x) => x.targetId), ['conv-c', 'conv-a']);
  assert.ok(list[0] instanceof node.Conversation);
  assert.equal(list[0].latestMessage.content.content, 'b to c 1');
  assert.ok(list[0].latestMessage.content instanceof node.TextMessage);
  assert.equal(list[0].unreadMessageCount, 0, 'an own message is not unread');
  assert.equal(list[1].latestMessage.content.content, 'a to b 1');
  assert.ok(list[0].sentTime >= list[1].sentTime);

  await deliver(a, b, 'a to b 2');
  list = await b.im().getConversationList();
  assert.deepEqual(list.map((x) => x.targetId), ['conv-a', 'conv-c']);
  const conv = await b.im().getConversation(1, 'conv-a');
  assert.equal(conv.latestMessage.content.content, 'a to b 2');
  assert.equal(conv.unreadMessageCount, 2);
  assert.equal(await b.im().getConversation(1, 'nobody'), null);
  assert.deepEqual(await b.im().getConversationList(undefined, [3]), [], 'filtered by type');

  // carol was offline: after connecting, the server's list has bob's conversation.
  assert.equal(await c.connect(), 'conv-c');
  list = await c.im().getConversationList(undefined, [1, 3]);
  assert.deepEqual(list.map((x) => x.targetId), ['conv-b']);
  assert.equal(list[0].latestMessage.content.content, 'b to c 1');
  assert.equal(list[0].latestMessage.senderUserId, 'conv-b');

  // updateConversation copies the display fields and returns the conversation (2.x returned
  // undefined); empty values and fields of the wrong type leave what was there.
  const latest = (await b.im().getConversation(1, 'conv-a')).latestMessage.messageUId;
  const updated = b.im().updateConversation({
    conversationType: 1,
    targetId: 'conv-a',
    conversationTitle: 'Alice',
    senderUserName: 'Alice A.',
    senderPortraitUri: 'https://example.invalid/a.png',
    sentStatus: node.SentStatus.READ,
  });
  assert.ok(updated instanceof node.Conversation);
  assert.equal(updated.conversationTitle, 'Alice');
  const again = b.im().updateConversation({ conversationType: 1, targetId: 'conv-a', conversationTitle: '', senderUserName: 7 });
  for (const c of [again, await b.im().getConversation(1, 'conv-a')]) {
    assert.equal(c.conversationTitle, 'Alice');
    assert.equal(c.senderUserName, 'Alice A.');
    assert.equal(c.senderPortraitUri, 'https://example.invalid/a.png');
    assert.equal(c.sentStatus, node.SentStatus.READ);
    assert.equal(c.latestMessage.messageUId, latest, 'the latest message is kept');
  }
  assert.equal(b.im().updateConversation({ conversationType: 1, targetId: 'nobody', conversationTitle: 'x' }), null);
  assert.equal(b.im().updateConversation(null), null);
});

test('unread counts: others’ counted messages only, by conversation, type and in total; clearUnreadCount; offline messages once', async () => {
  const group = 'grp-unread';
  const a = await online('unread-a');
  const storage = mapStorage();
  const b = await online('unread-b', { init: { storage } });
  assert.equal((await server.sdk.Group.create({ id: group, name: 'U', members: [{ id: 'unread-a' }, { id: 'unread-b' }] })).code, 200);

  await deliver(a, b, 'u1', 'u2', 'u3');
  await a.im().sendTypingStatusMessage(1, 'unread-b', 'TextMessage');
  const g = [];
  for (const t of ['g1', 'g2']) g.push((await a.im().sendMessage(3, group, text(t))).messageUId);
  await b.waitFor(() => g.every((id) => b.state.received.some((m) => m.messageUId === id)), 'group messages');
  await b.waitFor(() => b.state.received.some((m) => m.objectName === 'RC:TypSts'), 'typing status');
  await deliver(b, a, 'reply');

  assert.deepEqual(await viaCallback((cb) => b.im().getUnreadCount(1, 'unread-a', cb)), [3]);
  assert.equal(await b.im().getUnreadCount(3, group), 2);
  assert.equal(await b.im().getTotalUnreadCount(), 5);
  assert.deepEqual(await viaCallback((cb) => b.im().getTotalUnreadCount(cb, [1])), [3]);
  assert.equal(await b.im().getConversationUnreadCount([3]), 2);
  assert.equal(await b.im().getConversationUnreadCount([1, 3]), 5);
  assert.equal(await a.im().getUnreadCount(1, 'unread-b'), 1, 'the reply is unread at alice');
  assert.equal(await b.im().getUnreadCount(1, 'nobody'), 0);

  const key = `rong_${APP_KEY}_cuunread-b1unread-a`;
  assert.ok(storage.map.has(key), 'the counter is persisted');
  assert.deepEqual(await viaCallback((cb) => b.im().clearUnreadCount(1, 'unread-a', cb)), [true]);
  assert.equal(await b.im().getUnreadCount(1, 'unread-a'), 0);
  assert.equal((await b.im().getConversation(1, 'unread-a')).unreadMessageCount, 0);
  assert.equal(await b.im().getTotalUnreadCount(), 2);
  assert.ok(!storage.map.has(key), 'a cleared counter is removed from storage');

  // Offline: sent while bob is away, counted once after he is back (pull, then live pushes).
  b.im().disconnect();
  const offline = (await a.im().sendMessage(1, 'unread-b', text('while away'))).messageUId;
  assert.equal(await b.connect(), 'unread-b');
  await b.waitFor(() => b.state.received.some((m) => m.messageUId === offline), 'offline message');
  await deliver(a, b, 'after return');
  assert.equal(await b.im().getUnreadCount(1, 'unread-a'), 2);
  assert.equal(b.state.received.filter((m) => m.messageUId === offline).length, 1);
  assert.equal(await b.im().getTotalUnreadCount(), 4);
});

test('drafts are saved, read and cleared synchronously; bad arguments return false or undefined', async () => {
  const storage = mapStorage();
  const d = await online('draft-a', { init: { storage } });
  const im = d.im();
  assert.equal(im.getTextMessageDraft(1, 'draft-b'), undefined);
  assert.equal(im.saveTextMessageDraft(1, 'draft-b', 'half a thought'), true);
  assert.equal(im.getTextMessageDraft(1, 'draft-b'), 'half a thought');
  assert.equal(im.getTextMessageDraft(3, 'draft-b'), undefined, 'drafts are per conversation');
  assert.ok([...storage.map.values()].includes('half a thought'), 'persisted');
  assert.equal(im.clearTextMessageDraft(1, 'draft-b'), true);
  assert.equal(im.getTextMessageDraft(1, 'draft-b'), undefined);
  assert.ok(![...storage.map.values()].includes('half a thought'), 'removed from storage');
  assert.equal(im.saveTextMessageDraft(1, '', 'x'), false);
  assert.equal(im.saveTextMessageDraft(99, 'draft-b', 'x'), false);
  assert.equal(im.saveTextMessageDraft(1, 'draft-b', 5), false);
  assert.equal(im.getTextMessageDraft(-1, 'draft-b'), undefined);
  assert.equal(im.clearTextMessageDraft(1, null), false);
});

test('removeConversation and clearConversations remove conversations locally and on the server', async () => {
  const a = await online('rm-a');
  const b = await online('rm-b');
  const c = await online('rm-c');
  await deliver(a, b, 'from a');
  await deliver(c, b, 'from c');
  assert.deepEqual((await b.im().getConversationList()).map((x) => x.targetId), ['rm-c', 'rm-a']);
  assert.deepEqual(await viaCallback((cb) => b.im().removeConversation(1, 'rm-c', cb)), [true]);
  assert.equal(await b.im().getConversation(1, 'rm-c'), null);
  assert.equal(await b.im().getUnreadCount(1, 'rm-c'), 0, 'its unread count went with it');
  assert.deepEqual((await b.im().getConversationList()).map((x) => x.targetId), ['rm-a'], 'gone on the server too');
  assert.deepEqual(await viaCallback((cb) => b.im().clearConversations(cb, 1)), [true]);
  assert.deepEqual(await b.im().getConversationList(), []);
  assert.equal(await b.im().clearConversations(), true, 'nothing left to clear');
});

test('history pages backwards with null continuation and hasMsg; clearRemoteHistoryMessages drops the older part', async () => {
  const a = await online('hist-a');
  const b = await online('hist-b');
  const uids = await deliver(a, b, 'h0', 'h1', 'h2', 'h3', 'h4');
  const page = (timestamp, count) => viaCallback((cb) => b.im().getHistoryMessages(1, 'hist-a', timestamp, count, cb));
  const texts = (list) => list.map((m) => m.content.content);

  let [list, hasMsg] = await page(0, 2);
  assert.deepEqual(texts(list), ['h3', 'h4'], 'the newest two, oldest first');
  assert.equal(hasMsg, true);
  assert.ok(list.every((m) => m.targetId === 'hist-a' && m.content instanceof node.TextMessage));
  assert.equal(list[1].messageUId, uids[4]);
  [list, hasMsg] = await page(null, 2);
  assert.deepEqual(texts(list), ['h1', 'h2']);
  assert.equal(hasMsg, true);
  [list, hasMsg] = await page(null, 2);
  assert.deepEqual(texts(list), ['h0']);
  assert.equal(hasMsg, false);
  [list, hasMsg] = await page(null, 2);
  assert.deepEqual([list, hasMsg], [[], false], 'past the end');
  // 0 starts from the newest again; the Promise form resolves with {list, hasMsg}.
  const again = await b.im().getHistoryMessages(1, 'hist-a', 0, 20);
  assert.deepEqual(texts(again.list), ['h0', 'h1', 'h2', 'h3', 'h4']);
  assert.equal(again.hasMsg, false);
  // The sender sees the same conversation in its history.
  assert.deepEqual(texts((await a.im().getHistoryMessages(1, 'hist-b', 0, 20)).list), ['h0', 'h1', 'h2', 'h3', 'h4']);

  const h2 = again.list[2];
  assert.deepEqual(
    await viaCallback((cb) => b.im().clearRemoteHistoryMessages({ conversationType: 1, targetId: 'hist-a', timestamp: h2.sentTime }, cb)),
    [true],
  );
  assert.deepEqual(texts((await b.im().getHistoryMessages(1, 'hist-a', 0, 20)).list), ['h3', 'h4']);
  assert.deepEqual(texts((await a.im().getHistoryMessages(1, 'hist-b', 0, 20)).list), ['h0', 'h1', 'h2', 'h3', 'h4'], 'only bob’s copies');
  await assert.rejects(
    b.im().clearRemoteHistoryMessages({ conversationType: 4, targetId: 'hist-a', timestamp: 1 }),
    (e) => e.code === node.ErrorCode.CLEAR_HIS_TYPE_ERROR,
  );
  await assert.rejects(
    b.im().clearRemoteHistoryMessages({ conversationType: 1, targetId: 'hist-a', timestamp: 'yesterday' }),
    (e) => e.code === node.ErrorCode.CLEAR_HIS_TIME_ERROR,
  );
});

test('blacklist: add, list, status, the 405 it causes, remove', async () => {
  const a = await online('black-a');
  const b = await online('black-b');
  assert.deepEqual(await viaCallback((cb) => b.im().addToBlacklist('black-a', cb)), []);
  assert.deepEqual(await viaCallback((cb) => b.im().getBlacklist(cb)), [['black-a']]);
  assert.deepEqual(await viaCallback((cb) => b.im().getBlacklistStatus('black-a', cb)), ['IN_BLACK_LIST']);
  assert.equal(await b.im().getBlacklistStatus('someone-else'), 'NOT_IN_BLACK_LIST');
  await assert.rejects(a.im().sendMessage(1, 'black-b', text('blocked')), (e) => e.code === node.ErrorCode.REJECTED_BY_BLACKLIST);
  assert.equal(await b.im().removeFromBlacklist('black-a'), undefined);
  assert.deepEqual(await b.im().getBlacklist(), []);
  assert.equal(await b.im().getBlacklistStatus('black-a'), 'NOT_IN_BLACK_LIST');
  await deliver(a, b, 'allowed again');
});

for (const host of ['node', 'mini program']) {
  test(`a new client on the same storage (${host}) keeps unread counts and drafts and does not count again`, async () => {
    const a = await online(`reload-a-${host === 'node' ? 'n' : 'w'}`);
    const id = `reload-b-${host === 'node' ? 'n' : 'w'}`;
    const storage = mapStorage();
    const wx = createFakeWx();
    const options = host === 'node' ? { init: { storage } } : { libOptions: { wx } };
    const lib = host === 'node' ? node : wxLib;
    const first = await online(id, options, lib);
    await deliver(a, first, 'r1', 'r2', 'r3');
    assert.equal(first.im().saveTextMessageDraft(1, a.userId, 'unsent'), true);
    assert.equal(await first.im().getUnreadCount(1, a.userId), 3);
    first.im().disconnect();

    const second = await makeUser(lib, server, id, { ...options, token: first.token });
    users.push(second);
    const connected = second.connect();
    // The stored navigation of this token names the user, so its counts and draft are readable
    // as soon as connecting starts (status 1), before any answer from the server.
    await second.waitFor(() => second.state.statuses.includes(1), 'connecting');
    assert.ok(!second.state.statuses.includes(0), 'not yet connected');
    assert.equal(second.im().getTextMessageDraft(1, a.userId), 'unsent');
    assert.equal(await second.im().getUnreadCount(1, a.userId), 3);
    assert.equal(await second.im().getTotalUnreadCount(), 3);
    assert.equal(await connected, id);
    assert.equal(await second.im().getUnreadCount(1, a.userId), 3);
    await deliver(a, second, 'r4');
    assert.deepEqual(second.texts(), ['r4'], 'the old messages are not delivered again');
    assert.equal(await second.im().getUnreadCount(1, a.userId), 4);
    assert.equal(await second.im().getTotalUnreadCount(), 4);
    const list = await second.im().getConversationList();
    assert.deepEqual(list.map((c) => [c.targetId, c.unreadMessageCount]), [[a.userId, 4]]);
  });
}

test('discussions are served and unknown ones are refused', async () => {
  const u = await online('diz-a');
  const im = u.im();
  const refused = (e) => typeof e.code === 'number' && e.code !== 0;
  const id = await im.createDiscussion('topic', ['diz-b']);
  assert.equal(typeof id, 'string');
  const diz = await im.getDiscussion(id);
  assert.equal(diz.name, 'topic');
  assert.equal(diz.creatorId, 'diz-a');
  assert.deepEqual(diz.memberIdList, ['diz-a', 'diz-b']);
  await assert.rejects(im.addMemberToDiscussion('d1', ['diz-b']), refused);
  await assert.rejects(im.getDiscussion('d1'), refused);
  await assert.rejects(im.quitDiscussion('d1'), refused);
  await assert.rejects(im.removeMemberFromDiscussion('d1', 'diz-b'), refused);
  await assert.rejects(im.setDiscussionInviteStatus('d1', 1), refused);
  await assert.rejects(im.setDiscussionName('d1', 'renamed'), refused);
  // The connection is unaffected.
  assert.equal(im.getCurrentConnectionStatus(), 0);
  assert.deepEqual(await im.getBlacklist(), []);
});

test('a discussion lives through invite, rename, invite status, messages, eviction and quitting', async () => {
  const a = await online('dzl-a');
  const b = await online('dzl-b');
  const c = await online('dzl-c', { libOptions: { wx: createFakeWx() } }, wxLib);
  const d = await online('dzl-d');
  const DISCUSSION = 2;
  const notes = (u) =>
    u.state.received
      .filter((m) => m.objectName === 'RC:DizNtf' && m.conversationType === DISCUSSION)
      .map((m) => [m.content.type, m.content.extension]);

  const id = await a.im().createDiscussion('plans', ['dzl-b']);
  await a.im().addMemberToDiscussion(id, ['dzl-c']);
  await c.waitFor(() => notes(c).some(([t]) => t === 1), 'the invitation reaches c');
  assert.deepEqual((await b.im().getDiscussion(id)).memberIdList, ['dzl-a', 'dzl-b', 'dzl-c']);

  await b.im().setDiscussionName(id, 'new plans');
  await a.waitFor(() => notes(a).some(([t, e]) => t === 3 && e === 'new plans'), 'the rename reaches a');
  assert.equal((await c.im().getDiscussion(id)).name, 'new plans');

  // Closed to invitations: only the creator may invite.
  await a.im().setDiscussionInviteStatus(id, node.DiscussionInviteStatus.CLOSED);
  assert.equal((await a.im().getDiscussion(id)).isOpen, false);
  await assert.rejects(b.im().addMemberToDiscussion(id, ['dzl-d']), (e) => typeof e.code === 'number' && e.code !== 0);
  await a.im().setDiscussionInviteStatus(id, node.DiscussionInviteStatus.OPENED);
  assert.equal((await a.im().getDiscussion(id)).isOpen, true);

  // Messages reach the members; a non-member is refused with NOT_IN_DISCUSSION.
  const sent = await b.im().sendMessage(DISCUSSION, id, text('hello all'));
  assert.equal(sent.conversationType, DISCUSSION);
  for (const u of [a, c]) {
    await u.waitFor(() => u.state.received.some((m) => m.messageUId === sent.messageUId), `discussion message at ${u.userId}`);
  }
  await assert.rejects(d.im().sendMessage(DISCUSSION, id, text('outsider')), (e) => e.code === node.ErrorCode.NOT_IN_DISCUSSION);

  // The creator evicts c; b quits. Each change reaches the remaining members.
  await a.im().removeMemberFromDiscussion(id, 'dzl-c');
  await b.waitFor(() => notes(b).some(([t, e]) => t === 4 && e === 'dzl-c'), 'the eviction reaches b');
  await b.im().quitDiscussion(id);
  await a.waitFor(() => notes(a).some(([t, e]) => t === 2 && e === 'dzl-b'), 'the quit reaches a');
  assert.deepEqual((await a.im().getDiscussion(id)).memberIdList, ['dzl-a']);
  await assert.rejects(c.im().sendMessage(DISCUSSION, id, text('evicted')), (e) => e.code === node.ErrorCode.NOT_IN_DISCUSSION);
  // b's text is a's only unread message there: the notifications are not counted.
  assert.equal(await a.im().getUnreadCount(DISCUSSION, id), 1);
});

test('chatrooms: recent messages on join, live messages, member info, history and quitting', async () => {
  const a = await online('chrm-a');
  const b = await online('chrm-b');
  const chatroomText = (u) => u.state.received.filter((m) => m.conversationType === 4).map((m) => m.content.content);
  await assert.rejects(a.im().joinChatRoom('', 10), (e) => e.code === node.ErrorCode.CHATROOM_ID_ISNULL);
  await a.im().joinChatRoom('room1', -1);
  for (const t of ['c1', 'c2', 'c3']) await a.im().sendMessage(4, 'room1', text(t));
  await b.im().joinChatRoom('room1', 2);
  await b.waitFor(() => chatroomText(b).length === 2, 'the two recent messages');
  assert.deepEqual(chatroomText(b), ['c2', 'c3']);
  const sent = await a.im().sendMessage(4, 'room1', text('live'));
  await b.waitFor(() => chatroomText(b).includes('live'), 'the live message');
  const live = b.state.received.find((m) => m.messageUId === sent.messageUId);
  assert.equal(live.targetId, 'room1');
  assert.equal(live.senderUserId, 'chrm-a');
  assert.equal(live.sentTime, sent.sentTime);
  const info = await b.im().getChatRoomInfo('room1', 10, 1);
  assert.equal(info.userTotalNums, 2);
  assert.deepEqual(info.userInfos.map((m) => m.id), ['chrm-a', 'chrm-b']);
  b.im().setChatroomHisMessageTimestamp('room1', 0);
  const [history] = await viaCallback((cb) => b.im().getChatRoomHistoryMessages('room1', 10, 0, cb));
  assert.deepEqual(history.map((m) => m.content.content).sort(), ['c1', 'c2', 'c3', 'live']);
  await b.im().quitChatRoom('room1');
  await assert.rejects(b.im().sendMessage(4, 'room1', text('after quit')), (e) => e.code === 23406);
  assert.deepEqual(await b.im().getConversationList(), [], 'chatrooms stay out of the conversation list');
});
