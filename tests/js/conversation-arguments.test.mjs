// Conversations, unread counts, drafts, history, blacklist, discussions and chatrooms: invalid
// arguments end in onError (or a rejected Promise) with -3 or the 2.x code — never an exception —
// both in the façade and in the engine binding. No server is needed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { consumer } from './support/consumer.mjs';

let R;
let w;

before(async () => {
  const mod = await (await consumer()).loadNode();
  R = mod.createRongIMLib();
  R.RongIMClient.init('convargs', null, { navi: '127.0.0.1:1', protocol: 'http:', autoReconnect: false });
  w = mod.wasmBindings();
});

/** The outcome of a callback-style call: [method, args]. */
function viaCallback(call) {
  return new Promise((resolve) => {
    let result;
    assert.doesNotThrow(() => {
      result = call({ onSuccess: (...a) => resolve(['onSuccess', a]), onError: (...a) => resolve(['onError', a]) });
    });
    assert.equal(result, undefined, 'callback form returns nothing');
  });
}

test('the instance has the 2.x methods of conversations, unread counts, drafts, history, blacklist, discussions, chatrooms', () => {
  const im = R.RongIMClient.getInstance();
  for (const name of ['getConversationList', 'getConversation', 'updateConversation', 'removeConversation',
    'clearConversations', 'getTotalUnreadCount', 'getConversationUnreadCount', 'getUnreadCount', 'clearUnreadCount',
    'saveTextMessageDraft', 'getTextMessageDraft', 'clearTextMessageDraft', 'getHistoryMessages',
    'clearRemoteHistoryMessages', 'clearHistoryMessages', 'createDiscussion', 'addMemberToDiscussion', 'getDiscussion',
    'quitDiscussion', 'removeMemberFromDiscussion', 'setDiscussionInviteStatus', 'setDiscussionName', 'joinChatRoom',
    'quitChatRoom', 'getChatRoomInfo', 'setChatroomHisMessageTimestamp', 'getChatRoomHistoryMessages',
    'addToBlacklist', 'removeFromBlacklist', 'getBlacklist', 'getBlacklistStatus']) {
    assert.equal(typeof im[name], 'function', name);
  }
  assert.equal(typeof R.Conversation, 'function');
});

test('invalid arguments of every new method call onError(-3) or the 2.x code, never throw', async () => {
  const im = R.RongIMClient.getInstance();
  const P = R.ErrorCode.PARAMETER_ERROR;
  const cases = [
    ['list: types not an array', (cb) => im.getConversationList(cb, 1), P],
    ['list: unknown type', (cb) => im.getConversationList(cb, [1, 99]), P],
    ['list: count negative', (cb) => im.getConversationList(cb, [1], -1), P],
    ['getConversation: type', (cb) => im.getConversation('1', 'bob', cb), P],
    ['getConversation: target', (cb) => im.getConversation(1, '', cb), P],
    ['removeConversation: target', (cb) => im.removeConversation(1, 5, cb), P],
    ['clearConversations: type', (cb) => im.clearConversations(cb, 'private'), P],
    ['total unread: types', (cb) => im.getTotalUnreadCount(cb, 'all'), P],
    ['conversation unread: types', (cb) => im.getConversationUnreadCount([0.5], cb), P],
    ['unread: target', (cb) => im.getUnreadCount(1, null, cb), P],
    ['clear unread: type', (cb) => im.clearUnreadCount(NaN, 'bob', cb), P],
    ['history: type', (cb) => im.getHistoryMessages(99, 'bob', 0, 5, cb), P],
    ['history: target', (cb) => im.getHistoryMessages(1, '', 0, 5, cb), P],
    ['history: timestamp', (cb) => im.getHistoryMessages(1, 'bob', 'now', 5, cb), P],
    ['history: count 0', (cb) => im.getHistoryMessages(1, 'bob', 0, 0, cb), P],
    ['history: count 21', (cb) => im.getHistoryMessages(1, 'bob', 0, 21, cb), P],
    ['history: order', (cb) => im.getHistoryMessages(1, 'bob', 0, 5, cb, null, true), P],
    ['clear history: no params', (cb) => im.clearRemoteHistoryMessages(null, cb), P],
    ['clear history: target', (cb) => im.clearRemoteHistoryMessages({ conversationType: 1, timestamp: 0 }, cb), P],
    ['clear history: timestamp', (cb) => im.clearRemoteHistoryMessages({ conversationType: 1, targetId: 'bob' }, cb), 34011],
    ['clear history: chatroom', (cb) => im.clearRemoteHistoryMessages({ conversationType: 4, targetId: 'r', timestamp: 0 }, cb), 34008],
    ['addToBlacklist', (cb) => im.addToBlacklist('', cb), P],
    ['removeFromBlacklist', (cb) => im.removeFromBlacklist(undefined, cb), P],
    ['getBlacklistStatus', (cb) => im.getBlacklistStatus({}, cb), P],
    ['createDiscussion: name', (cb) => im.createDiscussion(5, [], cb), P],
    ['createDiscussion: users', (cb) => im.createDiscussion('n', ['a', 2], cb), P],
    ['addMemberToDiscussion: users', (cb) => im.addMemberToDiscussion('d', [], cb), P],
    ['addMemberToDiscussion: id', (cb) => im.addMemberToDiscussion('', ['a'], cb), P],
    ['getDiscussion', (cb) => im.getDiscussion(null, cb), P],
    ['quitDiscussion', (cb) => im.quitDiscussion('', cb), P],
    ['removeMemberFromDiscussion', (cb) => im.removeMemberFromDiscussion('d', '', cb), P],
    ['setDiscussionInviteStatus', (cb) => im.setDiscussionInviteStatus('d', 2, cb), P],
    ['setDiscussionName', (cb) => im.setDiscussionName('d', null, cb), P],
    ['joinChatRoom: id', (cb) => im.joinChatRoom(7, 10, cb), P],
    ['joinChatRoom: empty id', (cb) => im.joinChatRoom('', 10, cb), R.ErrorCode.CHATROOM_ID_ISNULL],
    ['joinChatRoom: count', (cb) => im.joinChatRoom('r', 1.5, cb), P],
    ['quitChatRoom', (cb) => im.quitChatRoom('', cb), P],
    ['getChatRoomInfo: count', (cb) => im.getChatRoomInfo('r', -1, 1, cb), P],
    ['getChatRoomInfo: order', (cb) => im.getChatRoomInfo('r', 10, 7, cb), P],
    ['chatroom history: count', (cb) => im.getChatRoomHistoryMessages('r', 0, 0, cb), P],
    ['chatroom history: id', (cb) => im.getChatRoomHistoryMessages('', 10, 0, cb), P],
  ];
  for (const [what, call, code] of cases) {
    const [method, args] = await viaCallback(call);
    assert.equal(method, 'onError', what);
    assert.equal(args[0], code, what);
  }
  // Without a callback: a rejected Promise with the code.
  await assert.rejects(im.getHistoryMessages(1, 'bob', 0, 50), (e) => e.code === P && /count/.test(e.message));
  // The synchronous methods answer false / undefined instead of throwing.
  assert.equal(im.saveTextMessageDraft(1, 'bob', {}), false);
  assert.equal(im.getTextMessageDraft(1, ''), undefined);
  assert.equal(im.clearTextMessageDraft('x', 'bob'), false);
  assert.equal(im.updateConversation({ conversationType: 1 }), null);
  assert.doesNotThrow(() => im.setChatroomHisMessageTimestamp('', 'x'));
});

test('not connected: the local conversation list and counts answer, server commands fail with 30002', async () => {
  const im = R.RongIMClient.getInstance();
  assert.deepEqual(await viaCallback((cb) => im.getConversationList(cb)), ['onSuccess', [[]]]);
  assert.equal(await im.getTotalUnreadCount(), 0);
  assert.equal(await im.getUnreadCount(1, 'bob'), 0);
  assert.equal(await im.clearUnreadCount(1, 'bob'), true);
  assert.equal(await im.getConversation(1, 'bob'), null);
  for (const call of [
    (cb) => im.getHistoryMessages(1, 'bob', null, 5, cb),
    (cb) => im.getBlacklist(cb),
    (cb) => im.addToBlacklist('bob', cb),
    (cb) => im.createDiscussion('n', [], cb),
    (cb) => im.joinChatRoom('r', 0, cb),
  ]) {
    assert.deepEqual(await viaCallback(call), ['onError', [R.ErrorCode.RC_NET_UNAVAILABLE, null]]);
  }
});

test('the engine binding refuses values that do not fit: an immediate -3 completion or answer', () => {
  const e = new w.Engine({ appKey: 'k', naviHosts: ['127.0.0.1:1'], secure: false });
  /** The error codes of the completions of this drain, by request id. */
  const drain = () => {
    const codes = new Map();
    for (let out = e.pollOutput(); out.type !== 'timeout'; out = e.pollOutput()) {
      if (out.type === 'event' && out.event.type === 'requestCompleted') {
        codes.set(out.event.id, out.event.result.Err ? out.event.result.Err.code : 0);
      }
    }
    return codes;
  };
  const refused = (what, id, code = -3) => assert.equal(drain().get(id), code, what);
  const answersRefusal = (what, text) => assert.match(text, /^!-3 /, what);
  answersRefusal('fractional type', (e.conversationList([1.5]), e.text()));
  answersRefusal('NaN type', (e.conversationList([NaN]), e.text()));
  refused('count NaN', e.fetchConversationList(0, undefined, NaN));
  answersRefusal('missing target', (e.conversation(1, undefined), e.text()));
  answersRefusal('type out of range', (e.unreadCount(2 ** 40, 'bob'), e.text()));
  answersRefusal('draft missing', (e.saveDraft(1, 'bob', undefined), e.text()));
  refused('history timestamp', e.history(0, 1, 'bob', Infinity, 5, 0));
  refused('history count', e.history(0, 1, 'bob', undefined, NaN, 0));
  refused('history order', e.history(0, 1, 'bob', undefined, 5, 2));
  refused('clear history timestamp', e.clearRemoteHistory(0, 1, 'bob', NaN), 34011);
  refused('user ids', e.createDiscussion(0, 'n', '[1]'));
  refused('user ids not JSON', e.createDiscussion(0, 'n', '['));
  refused('user id', e.blacklistStatus(0, undefined));
  refused('chatroom id', e.joinChatroom(0, undefined, 1));
  refused('chatroom count', e.joinChatroom(0, 'r', -2));
  answersRefusal('chatroom timestamp', (e.setChatroomHistoryTimestamp('r', -Infinity), e.text()));
  // Well-formed calls answer; the engine is intact afterwards.
  assert.equal((e.conversationList(undefined), e.text()), '[]');
  assert.equal((e.totalUnreadCount(undefined), e.text()), '0');
  assert.equal((e.draft(1, 'bob'), e.text()), 'null');
  const id = e.history(0, 1, 'bob', undefined, 5, 0);
  assert.equal(drain().get(id), 30002, 'not connected');
  e.free();
});
