// Chatrooms end to end: the built package (Node build, and the mini-program build over a fake
// `wx`) through the real im-server: join with recent messages, live delivery, members, history,
// quitting, the non-member error, and that chatroom messages are neither counted nor listed.
// Each test uses its own rooms and users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

const CHATROOM = 4;

let node;
let wxLib;
const e = e2e((ctx) => ({ node, wxLib } = ctx));
const { online } = e;

const text = (s) => node.TextMessage.obtain(s);

/** The chatroom texts `u` received from `roomId`, in arrival order. */
const roomTexts = (u, roomId) =>
  u.state.received
    .filter((m) => m.conversationType === CHATROOM && m.targetId === roomId && m.objectName === 'RC:TxtMsg')
    .map((m) => m.content.content);

test('joining delivers the requested recent messages, then live ones; members are listed in join order', async () => {
  const room = 'room-live';
  const a = await online('chr-a');
  const b = await online('chr-b');
  const c = await online('chr-c', { libOptions: { wx: createFakeWx() } }, wxLib);

  await a.im().joinChatRoom(room, -1);
  for (const t of ['h1', 'h2', 'h3']) {
    const sent = await a.im().sendMessage(CHATROOM, room, text(t));
    assert.equal(sent.conversationType, CHATROOM);
    assert.ok(sent.messageUId);
  }
  // b asks for the two most recent; c (mini-program build) for none.
  await b.im().joinChatRoom(room, 2);
  await b.waitFor(() => roomTexts(b, room).length >= 2, 'recent messages at b');
  assert.deepEqual(roomTexts(b, room), ['h2', 'h3']);
  await c.im().joinChatRoom(room, -1);

  await a.im().sendMessage(CHATROOM, room, text('live 1'));
  await b.waitFor(() => roomTexts(b, room).includes('live 1'), 'live 1 at b');
  await c.waitFor(() => roomTexts(c, room).includes('live 1'), 'live 1 at c');
  assert.deepEqual(roomTexts(c, room), ['live 1'], 'a join with −1 delivers no earlier message');
  await c.im().sendMessage(CHATROOM, room, text('from c'));
  await a.waitFor(() => roomTexts(a, room).includes('from c'), 'c to a');
  await b.waitFor(() => roomTexts(b, room).includes('from c'), 'c to b');
  assert.ok(!roomTexts(c, room).includes('from c'), 'the sender does not receive its own message');

  const oldest = await a.im().getChatRoomInfo(room, 10, node.GetChatRoomType.SQQUENCE);
  assert.equal(oldest.userTotalNums, 3);
  assert.deepEqual(oldest.userInfos.map((u) => u.id), ['chr-a', 'chr-b', 'chr-c']);
  for (const u of oldest.userInfos) assert.equal(typeof u.time, 'number');
  const newest = await a.im().getChatRoomInfo(room, 2, node.GetChatRoomType.REVERSE);
  assert.equal(newest.userTotalNums, 3, 'the total counts every member whatever the count');
  assert.deepEqual(newest.userInfos.map((u) => u.id), ['chr-c', 'chr-b']);

  // Chatroom messages are not unread and not in the conversation list.
  assert.equal(await b.im().getTotalUnreadCount(), 0);
  assert.equal(await b.im().getUnreadCount(CHATROOM, room), 0);
  const list = await b.im().getConversationList();
  assert.ok(!list.some((x) => x.conversationType === CHATROOM), JSON.stringify(list.map((x) => x.targetId)));
});

/** The member ids of `room` in join order, as `u` asks for them. */
async function members(u, room) {
  const info = await u.im().getChatRoomInfo(room, 10, node.GetChatRoomType.SQQUENCE);
  return info.userInfos.map((m) => m.id);
}

test('a member who quits or disconnects stops receiving; a non-member cannot send', async () => {
  const room = 'room-quit';
  const a = await online('chq-a');
  const b = await online('chq-b');
  const d = await online('chq-d');
  await a.im().joinChatRoom(room, -1);
  await b.im().joinChatRoom(room, -1);
  await d.im().joinChatRoom(room, -1);
  await a.im().sendMessage(CHATROOM, room, text('before'));
  await b.waitFor(() => roomTexts(b, room).includes('before'), 'before at b');
  await d.waitFor(() => roomTexts(d, room).includes('before'), 'before at d');

  await b.im().quitChatRoom(room);
  assert.deepEqual(await members(a, room), ['chq-a', 'chq-d'], 'quitting leaves at once');
  // The server notices the closed socket on its own time: ask until d is gone (bounded at a
  // minute, a hang guard).
  d.im().disconnect();
  let left = await members(a, room);
  for (let i = 0; i < 2400 && left.includes('chq-d'); i++) {
    await new Promise((r) => setTimeout(r, 25));
    left = await members(a, room);
  }
  assert.deepEqual(left, ['chq-a'], 'a disconnected member leaves');

  await a.im().sendMessage(CHATROOM, room, text('after'));
  // a third member who joins now sees 'after' live, proving the message went out; b did not.
  const e = await online('chq-e');
  await e.im().joinChatRoom(room, 1);
  await e.waitFor(() => roomTexts(e, room).includes('after'), 'after at e');
  assert.deepEqual(roomTexts(b, room), ['before']);

  // b is no longer a member: sending is refused with NOT_IN_CHATROOM.
  await assert.rejects(b.im().sendMessage(CHATROOM, room, text('outsider')), (err) => {
    assert.equal(err.code, node.ErrorCode.NOT_IN_CHATROOM);
    return true;
  });
  assert.equal(b.im().getCurrentConnectionStatus(), 0, 'the connection is unaffected');
});

test('chatroom history pages from the timestamp set by setChatroomHisMessageTimestamp', async () => {
  const room = 'room-history';
  const a = await online('chh-a');
  await a.im().joinChatRoom(room, -1);
  const sent = [];
  for (let i = 1; i <= 5; i++) sent.push(await a.im().sendMessage(CHATROOM, room, text(`m${i}`)));

  const b = await online('chh-b');
  await b.im().joinChatRoom(room, -1);
  const first = await b.im().getChatRoomHistoryMessages(room, 3, 0);
  assert.equal(first.list.length, 3);
  for (const m of first.list) {
    assert.equal(m.conversationType, CHATROOM);
    assert.equal(m.targetId, room);
    assert.equal(m.senderUserId, 'chh-a');
  }
  const firstTexts = first.list.map((m) => m.content.content);
  // Each page is a run of consecutive messages, and the pages together hold all five once.
  const rest = await b.im().getChatRoomHistoryMessages(room, 3, 0);
  const all = [...firstTexts, ...rest.list.map((m) => m.content.content)].sort();
  assert.deepEqual(all, ['m1', 'm2', 'm3', 'm4', 'm5']);
  assert.equal(rest.hasMsg, false);

  // From the time of the third message on: the older ones only (order 0 goes back in time).
  b.im().setChatroomHisMessageTimestamp(room, sent[2].sentTime);
  const older = await b.im().getChatRoomHistoryMessages(room, 10, 0);
  const olderTexts = older.list.map((m) => m.content.content).sort();
  assert.ok(olderTexts.every((t) => ['m1', 'm2', 'm3'].includes(t)), JSON.stringify(olderTexts));
  assert.ok(olderTexts.includes('m1') && olderTexts.includes('m2'), JSON.stringify(olderTexts));
});

test('bad chatroom arguments are refused without a request', async () => {
  const u = await online('chx-a');
  const im = u.im();
  await assert.rejects(im.joinChatRoom('', 10), (e) => e.code === node.ErrorCode.CHATROOM_ID_ISNULL);
  await assert.rejects(im.getChatRoomInfo('room', -1, 1), (e) => e.code === node.ErrorCode.PARAMETER_ERROR);
  await assert.rejects(im.getChatRoomHistoryMessages('room', 0, 0), (e) => e.code === node.ErrorCode.PARAMETER_ERROR);
  assert.equal(im.getCurrentConnectionStatus(), 0);
});

test('after the connection is lost, members rejoin their rooms by themselves and keep receiving', async () => {
  const room = 'room-rejoin';
  const a = await online('chr-r-a');
  const b = await online('chr-r-b', { libOptions: { wx: createFakeWx() } }, wxLib);
  await a.im().joinChatRoom(room, -1);
  await b.im().joinChatRoom(room, -1);
  await a.im().sendMessage(CHATROOM, room, text('before'));
  await b.waitFor(() => roomTexts(b, room).includes('before'), 'before at b');

  // The server goes away (and with it every room's membership) and comes back.
  const fromA = a.state.statuses.length;
  const fromB = b.state.statuses.length;
  await e.server.kill();
  await e.server.restart();
  await a.connectedAgain(fromA);
  await b.connectedAgain(fromB);

  // Both rejoined without the app asking: a may send, b receives, nothing is repeated.
  const members = async () =>
    (await a.im().getChatRoomInfo(room, 10, node.GetChatRoomType.SQQUENCE)).userInfos.map((m) => m.id).sort();
  let ids = await members();
  for (let i = 0; i < 2400 && ids.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 25));
    ids = await members();
  }
  assert.deepEqual(ids, ['chr-r-a', 'chr-r-b']);
  await a.im().sendMessage(CHATROOM, room, text('after'));
  await b.waitFor(() => roomTexts(b, room).includes('after'), 'after at b');
  assert.deepEqual(roomTexts(b, room), ['before', 'after']);
});
