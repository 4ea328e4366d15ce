// History, the blacklist, discussions and chatrooms of RongIMClient (api.md §3.3, §3.5–§3.7).
// Each method checks its arguments and issues one engine command; the engine speaks the protocol
// and keeps the cursors 2.x remembers between calls.
import { ErrorCode, GetChatRoomType } from './enums.js';
import { outcome } from './callbacks.js';
import { isObject, isNone, isNonEmptyString, isConversationType, isUserIdList, notNonEmpty } from './args.js';

const isFiniteNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const isOrder = (v) => v === 0 || v === 1;
const chatRoomOrders = new Set(Object.values(GetChatRoomType));

/**
 * The instance methods of this group, for RongIMClient's prototype.
 * @param {{driver: () => any, request: Function, fail: Function, sync: Function,
 *          toMessage: (m: any) => any}} ctx
 */
export function queryMethods(ctx) {
  const bad = (out, reason) => ctx.fail(out, ErrorCode.PARAMETER_ERROR, reason);
  const none = () => [];
  const history = (r) => [r.list.map(ctx.toMessage), r.hasMore];
  // With a Promise, `onSuccess(list, hasMsg)` becomes `{list, hasMsg}`.
  const historyValue = (list, hasMsg) => ({ list, hasMsg });

  /** A command on one id (a user, a discussion, a chatroom) that succeeds without a value. */
  function onId(what, id, callback, call) {
    const out = outcome(callback);
    if (!isNonEmptyString(id)) return bad(out, notNonEmpty(what));
    return ctx.request(out, call, none);
  }

  return {
    /**
     * `getHistoryMessages(type, targetId, timestamp, count, callback, objectName?, order?)`:
     * `timestamp` null continues from the previous call, 0 starts from the newest; `count`
     * 1–20; `order` 0 (older) or 1 (newer). `onSuccess(messages, hasMsg)`, oldest first.
     * `objectName` is ignored, as in 2.x.
     */
    getHistoryMessages(conversationType, targetId, timestamp, count, callback, objectName, order) {
      const out = outcome(callback);
      if (!isConversationType(conversationType)) return bad(out, `unknown conversation type: ${String(conversationType)}`);
      if (!isNonEmptyString(targetId)) return bad(out, notNonEmpty('targetId'));
      if (!isNone(timestamp) && !(isFiniteNumber(timestamp) && timestamp >= 0)) {
        return bad(out, 'timestamp must be null, 0 or a time in ms');
      }
      if (!Number.isInteger(count) || count < 1 || count > 20) return bad(out, 'count must be an integer from 1 to 20');
      if (!isNone(order) && !isOrder(order)) return bad(out, 'order must be 0 or 1');
      const time = isNone(timestamp) ? undefined : timestamp;
      return ctx.request(out, (e, t) => e.history(t, conversationType, targetId, time, count, order || 0), history, {
        value: historyValue,
      });
    },

    /**
     * `clearRemoteHistoryMessages({conversationType, targetId, timestamp}, callback)`: the
     * server drops this user's copies up to `timestamp`. `onSuccess(true)`; `onError(34008)` for
     * a type that has no clearing topic, `onError(34011)` for a timestamp that is not a number.
     */
    clearRemoteHistoryMessages(params, callback) {
      const out = outcome(callback);
      if (!isObject(params)) return bad(out, 'params must be {conversationType, targetId, timestamp}');
      const { conversationType, targetId, timestamp } = params;
      if (!Number.isInteger(conversationType)) return bad(out, 'conversationType must be a number');
      if (!isNonEmptyString(targetId)) return bad(out, notNonEmpty('targetId'));
      if (!isFiniteNumber(timestamp) || timestamp < 0) {
        return ctx.fail(out, ErrorCode.CLEAR_HIS_TIME_ERROR, 'timestamp must be a time in ms');
      }
      return ctx.request(out, (e, t) => e.clearRemoteHistory(t, conversationType, targetId, timestamp), () => [true]);
    },

    /** The 2.x alias of `clearRemoteHistoryMessages`. */
    clearHistoryMessages(params, callback) {
      return this.clearRemoteHistoryMessages(params, callback);
    },

    // ---- blacklist (api.md §3.7) ----

    /** `addToBlacklist(userId, callback)`: `onSuccess()`. */
    addToBlacklist(userId, callback) {
      return onId('userId', userId, callback, (e, t) => e.addToBlacklist(t, userId));
    },

    /** `removeFromBlacklist(userId, callback)`: `onSuccess()`. */
    removeFromBlacklist(userId, callback) {
      return onId('userId', userId, callback, (e, t) => e.removeFromBlacklist(t, userId));
    },

    /** `getBlacklist(callback)`: `onSuccess(userIds)`. */
    getBlacklist(callback) {
      return ctx.request(outcome(callback), (e, t) => e.blacklist(t), (r) => [r.userIds]);
    },

    /**
     * `getBlacklistStatus(userId, callback)`: `onSuccess('IN_BLACK_LIST')` or
     * `onSuccess('NOT_IN_BLACK_LIST')` (BlacklistStatus names). 2.x reported "not in the
     * blacklist" through `onError`; here it is a success value and `onError` means a failure.
     */
    getBlacklistStatus(userId, callback) {
      const out = outcome(callback);
      if (!isNonEmptyString(userId)) return bad(out, notNonEmpty('userId'));
      return ctx.request(out, (e, t) => e.blacklistStatus(t, userId), (r) => [
        r.inBlacklist ? 'IN_BLACK_LIST' : 'NOT_IN_BLACK_LIST',
      ]);
    },

    // ---- discussions (api.md §3.5) ----

    /** `createDiscussion(name, userIds, callback)`: `onSuccess(discussionId)`, after the invitation. */
    createDiscussion(name, userIds, callback) {
      const out = outcome(callback);
      if (typeof name !== 'string') return bad(out, 'name must be a string');
      const users = isNone(userIds) ? [] : userIds;
      if (!(Array.isArray(users) && users.every(isNonEmptyString))) return bad(out, 'userIds must be an array of user ids');
      return ctx.request(out, (e, t) => e.createDiscussion(t, name, users.slice()), (r) => [r.id]);
    },

    /** `addMemberToDiscussion(discussionId, userIds, callback)`: `onSuccess()`. */
    addMemberToDiscussion(discussionId, userIds, callback) {
      if (!isUserIdList(userIds)) return bad(outcome(callback), 'userIds must be a non-empty array of user ids');
      return onId('discussionId', discussionId, callback, (e, t) =>
        e.addDiscussionMembers(t, discussionId, userIds.slice()),
      );
    },

    /**
     * `getDiscussion(discussionId, callback)`: `onSuccess({id, name, creatorId, memberIdList,
     * isOpen, openStatus})`; `isOpen` is a boolean (2.x passed the raw status, 0 meaning open).
     */
    getDiscussion(discussionId, callback) {
      const out = outcome(callback);
      if (!isNonEmptyString(discussionId)) return bad(out, notNonEmpty('discussionId'));
      return ctx.request(out, (e, t) => e.discussion(t, discussionId), (r) => [r.discussion]);
    },

    /** `quitDiscussion(discussionId, callback)`: `onSuccess()`. */
    quitDiscussion(discussionId, callback) {
      return onId('discussionId', discussionId, callback, (e, t) => e.quitDiscussion(t, discussionId));
    },

    /** `removeMemberFromDiscussion(discussionId, userId, callback)`: `onSuccess()`. */
    removeMemberFromDiscussion(discussionId, userId, callback) {
      if (!isNonEmptyString(userId)) return bad(outcome(callback), notNonEmpty('userId'));
      return onId('discussionId', discussionId, callback, (e, t) =>
        e.removeDiscussionMember(t, discussionId, userId),
      );
    },

    /** `setDiscussionInviteStatus(discussionId, status, callback)`: 0 OPENED, 1 CLOSED; `onSuccess()`. */
    setDiscussionInviteStatus(discussionId, status, callback) {
      if (!isOrder(status)) return bad(outcome(callback), 'status must be DiscussionInviteStatus 0 or 1');
      return onId('discussionId', discussionId, callback, (e, t) =>
        e.setDiscussionInviteStatus(t, discussionId, status),
      );
    },

    /** `setDiscussionName(discussionId, name, callback)`: `onSuccess()`. */
    setDiscussionName(discussionId, name, callback) {
      if (typeof name !== 'string') return bad(outcome(callback), 'name must be a string');
      return onId('discussionId', discussionId, callback, (e, t) => e.setDiscussionName(t, discussionId, name));
    },

    // ---- chatrooms (api.md §3.6) ----

    /**
     * `joinChatRoom(chatroomId, count, callback)`: `onSuccess()` once joined; the `count` most
     * recent messages (0 or −1: none) then reach the receive listeners. An empty id →
     * `onError(36001)`.
     */
    joinChatRoom(chatroomId, count, callback) {
      const out = outcome(callback);
      if (typeof chatroomId !== 'string') return bad(out, 'chatroomId must be a string');
      if (!isNone(count) && !(Number.isInteger(count) && count >= -1)) return bad(out, 'count must be an integer ≥ −1');
      return ctx.request(out, (e, t) => e.joinChatroom(t, chatroomId, count || 0), none);
    },

    /** `quitChatRoom(chatroomId, callback)`: `onSuccess()`. */
    quitChatRoom(chatroomId, callback) {
      return onId('chatroomId', chatroomId, callback, (e, t) => e.quitChatroom(t, chatroomId));
    },

    /**
     * `getChatRoomInfo(chatroomId, count, order, callback)`: `order` a GetChatRoomType;
     * `onSuccess({userTotalNums, userInfos: [{id, time}]})`.
     */
    getChatRoomInfo(chatroomId, count, order, callback) {
      const out = outcome(callback);
      if (!isNonEmptyString(chatroomId)) return bad(out, notNonEmpty('chatroomId'));
      if (!Number.isInteger(count) || count < 0) return bad(out, 'count must be a non-negative integer');
      if (!chatRoomOrders.has(order)) return bad(out, 'order must be a GetChatRoomType');
      return ctx.request(out, (e, t) => e.chatroomInfo(t, chatroomId, count, order), (r) => [
        { userTotalNums: r.userTotalNums, userInfos: r.userInfos },
      ]);
    },

    /** `setChatroomHisMessageTimestamp(chatroomId, timestamp)`: the next history call starts there. */
    setChatroomHisMessageTimestamp(chatroomId, timestamp) {
      if (!isNonEmptyString(chatroomId) || !isFiniteNumber(timestamp)) return;
      ctx.sync((e) => e.setChatroomHistoryTimestamp(chatroomId, timestamp), undefined);
    },

    /**
     * `getChatRoomHistoryMessages(chatroomId, count, order, callback)`: `onSuccess(messages,
     * hasMsg)`, oldest first.
     */
    getChatRoomHistoryMessages(chatroomId, count, order, callback) {
      const out = outcome(callback);
      if (!isNonEmptyString(chatroomId)) return bad(out, notNonEmpty('chatroomId'));
      if (!Number.isInteger(count) || count < 1 || count > 200) return bad(out, 'count must be an integer from 1 to 200');
      if (!isNone(order) && !isOrder(order)) return bad(out, 'order must be 0 or 1');
      return ctx.request(out, (e, t) => e.chatroomHistory(t, chatroomId, count, order || 0), history, {
        value: historyValue,
      });
    },
  };
}
