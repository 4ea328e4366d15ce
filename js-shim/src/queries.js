// History, the blacklist, discussions and chatrooms of RongIMClient (api.md §3.3, §3.5–§3.7).
// Each method checks its arguments and issues one engine command; the engine speaks the protocol
// and keeps the cursors 2.x remembers between calls.
import { outcome } from './callbacks.js';
import { isObject } from './args.js';
import { num, optNum, str, strs } from './engine.js';

/**
 * The instance methods of this group, for RongIMClient's prototype.
 * @param {{driver: () => any, request: Function, fail: Function, sync: Function,
 *          toMessage: (m: any) => any}} ctx
 */
export function queryMethods(ctx) {
  const none = () => [];
  const history = (r) => [r.list.map(ctx.toMessage), r.hasMore];
  // With a Promise, `onSuccess(list, hasMsg)` becomes `{list, hasMsg}`.
  const asHistory = { value: (list, hasMsg) => ({ list, hasMsg }) };
  /** An engine command that succeeds with `map(reply)` (no value by default). */
  const run = (callback, call, map = none, opts) => ctx.request(outcome(callback), call, map, opts);

  return {
    /**
     * `clearRemoteHistoryMessages({conversationType, targetId, timestamp}, callback)`: the
     * server drops this user's copies up to `timestamp`. `onSuccess(true)`; `onError(34008)` for
     * a type that has no clearing topic, `onError(34011)` for a timestamp that is not a number.
     */
    clearRemoteHistoryMessages(params, callback) {
      const p = isObject(params) ? params : {};
      return run(
        callback,
        (e, t) => e.clearRemoteHistory(t, num(p.conversationType), str(p.targetId), num(p.timestamp)),
        () => [true],
      );
    },

    /** The 2.x alias of `clearRemoteHistoryMessages`. */
    clearHistoryMessages(params, callback) {
      return this.clearRemoteHistoryMessages(params, callback);
    },

    // ---- blacklist (api.md §3.7) ----

    /** `addToBlacklist(userId, callback)`: `onSuccess()`. */
    addToBlacklist(userId, callback) {
      return run(callback, (e, t) => e.addToBlacklist(t, str(userId)));
    },

    /** `removeFromBlacklist(userId, callback)`: `onSuccess()`. */
    removeFromBlacklist(userId, callback) {
      return run(callback, (e, t) => e.removeFromBlacklist(t, str(userId)));
    },

    /** `getBlacklist(callback)`: `onSuccess(userIds)`. */
    getBlacklist(callback) {
      return run(callback, (e, t) => e.blacklist(t), (r) => [r.userIds]);
    },

    /**
     * `getBlacklistStatus(userId, callback)`: `onSuccess('IN_BLACK_LIST')` or
     * `onSuccess('NOT_IN_BLACK_LIST')` (BlacklistStatus names). 2.x reported "not in the
     * blacklist" through `onError`; here it is a success value and `onError` means a failure.
     */
    getBlacklistStatus(userId, callback) {
      return run(callback, (e, t) => e.blacklistStatus(t, str(userId)), (r) => [
        r.inBlacklist ? 'IN_BLACK_LIST' : 'NOT_IN_BLACK_LIST',
      ]);
    },

    // ---- discussions (api.md §3.5) ----

    /** `createDiscussion(name, userIds, callback)`: `onSuccess(discussionId)`, after the invitation. */
    createDiscussion(name, userIds, callback) {
      return run(callback, (e, t) => e.createDiscussion(t, str(name), strs(userIds)), (r) => [r.id]);
    },

    /** `addMemberToDiscussion(discussionId, userIds, callback)`: `onSuccess()`. */
    addMemberToDiscussion(discussionId, userIds, callback) {
      return run(callback, (e, t) => e.addDiscussionMembers(t, str(discussionId), strs(userIds)));
    },

    /**
     * `getDiscussion(discussionId, callback)`: `onSuccess({id, name, creatorId, memberIdList,
     * isOpen, openStatus})`; `isOpen` is a boolean (2.x passed the raw status, 0 meaning open).
     */
    getDiscussion(discussionId, callback) {
      return run(callback, (e, t) => e.discussion(t, str(discussionId)), (r) => [r.discussion]);
    },

    /** `quitDiscussion(discussionId, callback)`: `onSuccess()`. */
    quitDiscussion(discussionId, callback) {
      return run(callback, (e, t) => e.quitDiscussion(t, str(discussionId)));
    },

    /** `removeMemberFromDiscussion(discussionId, userId, callback)`: `onSuccess()`. */
    removeMemberFromDiscussion(discussionId, userId, callback) {
      return run(callback, (e, t) => e.removeDiscussionMember(t, str(discussionId), str(userId)));
    },

    /** `setDiscussionInviteStatus(discussionId, status, callback)`: 0 OPENED, 1 CLOSED; `onSuccess()`. */
    setDiscussionInviteStatus(discussionId, status, callback) {
      return run(callback, (e, t) => e.setDiscussionInviteStatus(t, str(discussionId), num(status)));
    },

    /** `setDiscussionName(discussionId, name, callback)`: `onSuccess()`. */
    setDiscussionName(discussionId, name, callback) {
      return run(callback, (e, t) => e.setDiscussionName(t, str(discussionId), str(name)));
    },

    // ---- chatrooms (api.md §3.6) ----

    /**
     * `joinChatRoom(chatroomId, count, callback)`: `onSuccess()` once joined; the `count` most
     * recent messages (0 or −1: none) then reach the receive listeners. An empty id →
     * `onError(36001)`.
     */
    joinChatRoom(chatroomId, count, callback) {
      return run(callback, (e, t) => e.joinChatroom(t, str(chatroomId), optNum(count)));
    },

    /** `quitChatRoom(chatroomId, callback)`: `onSuccess()`. */
    quitChatRoom(chatroomId, callback) {
      return run(callback, (e, t) => e.quitChatroom(t, str(chatroomId)));
    },

    /**
     * `getChatRoomInfo(chatroomId, count, order, callback)`: `order` a GetChatRoomType;
     * `onSuccess({userTotalNums, userInfos: [{id, time}]})`.
     */
    getChatRoomInfo(chatroomId, count, order, callback) {
      return run(callback, (e, t) => e.chatroomInfo(t, str(chatroomId), num(count), num(order)), (r) => [
        { userTotalNums: r.userTotalNums, userInfos: r.userInfos },
      ]);
    },

    /** `setChatroomHisMessageTimestamp(chatroomId, timestamp)`: the next history call starts there. */
    setChatroomHisMessageTimestamp(chatroomId, timestamp) {
      ctx.sync((e) => e.setChatroomHistoryTimestamp(str(chatroomId), num(timestamp)), undefined);
    },

    /**
     * `getChatRoomHistoryMessages(chatroomId, count, order, callback)`: `onSuccess(messages,
     * hasMsg)`, oldest first.
     */
    getChatRoomHistoryMessages(chatroomId, count, order, callback) {
      return run(callback, (e, t) => e.chatroomHistory(t, str(chatroomId), num(count), optNum(order)), history, asHistory);
    },
  };
}
