// History, the blacklist, discussions and chatrooms of RongIMClient (api.md §3.3, §3.5–§3.7).
// Each method checks its arguments and issues one engine command; the engine speaks the protocol
// and keeps the cursors 2.x remembers between calls.
import { outcome } from './callbacks.js';
import { isObject } from './args.js';
import { num, str } from './engine.js';
import { alias, answerMethods, requestMethods } from './commands.js';
import { QUERY_ANSWERS, QUERY_REQUESTS } from './generated/tables.js';

/** A string, else empty (2.5.3 refused what has no string length with 33003, as the engine does). */
const text = (v) => (typeof v === 'string' ? v : '');

/**
 * The instance methods of this group, for RongIMClient's prototype.
 * @param {{driver: () => any, request: Function, fail: Function, sync: Function,
 *          toMessage: (m: any) => any}} ctx
 */
export function queryMethods(ctx) {
  // Rows: rows.js's QUERY_REQUESTS.
  const methods = requestMethods(
    ctx,
    QUERY_REQUESTS,
    {
      blacklistStatus: (r) => [r.inBlacklist ? 'IN_BLACK_LIST' : 'NOT_IN_BLACK_LIST'],
      chatroomInfo: (r) => [{ userTotalNums: r.userTotalNums, userInfos: r.userInfos }],
      history: ctx.history_,
    },
  );

  // Rows: rows.js's QUERY_ANSWERS.
  const answers = answerMethods(ctx, QUERY_ANSWERS);

  /**
   * `setChatroomEntry(chatroomId, entry, callback)` and the other three writes: `entry` is
   * `{key, value, isAutoDelete, isSendNotification, notificationExtra}`; `onSuccess()`. A key
   * not of 1–128 `[A-Za-z0-9_=+-]` or a value not of 1–4096 characters → `onError(33003)`, as
   * in 2.5.3, and nothing is sent.
   */
  const write = (remove, force) =>
    function (chatroomId, entry, callback) {
      const en = isObject(entry) ? entry : {};
      const tail = [!!en.isSendNotification, text(en.notificationExtra), force];
      return ctx.request_(
        outcome(callback),
        (e, t) =>
          remove
            ? e.removeChatroomEntry(t, text(chatroomId), text(en.key), ...tail)
            : e.setChatroomEntry(t, text(chatroomId), text(en.key), text(en.value), !!en.isAutoDelete, ...tail),
        () => [],
      );
    };

  return Object.assign(methods, answers, {
    setChatroomEntry: write(false, false),
    forceSetChatroomEntry: write(false, true),
    removeChatroomEntry: write(true, false),
    forceRemoveChatroomEntry: write(true, true),

    /**
     * `clearRemoteHistoryMessages({conversationType, targetId, timestamp}, callback)`: the
     * server drops this user's copies up to `timestamp`. `onSuccess(true)`; `onError(34008)` for
     * a type that has no clearing topic, `onError(34011)` for a timestamp that is not a number.
     */
    clearRemoteHistoryMessages(params, callback) {
      const p = isObject(params) ? params : {};
      return ctx.request_(
        outcome(callback),
        (e, t) => e.clearRemoteHistory(t, num(p.conversationType), str(p.targetId), num(p.timestamp)),
        () => [true],
      );
    },

    /** The 2.x alias of `clearRemoteHistoryMessages`. */
    clearHistoryMessages: alias('clearRemoteHistoryMessages', 2),

    /** `setChatroomHisMessageTimestamp(chatroomId, timestamp)`: the next history call starts there. */
    setChatroomHisMessageTimestamp(chatroomId, timestamp) {
      ctx.sync_((e) => e.setChatroomHistoryTimestamp(str(chatroomId), num(timestamp)), undefined);
    },
  });
}
