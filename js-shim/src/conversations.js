// The conversation list, unread counts and drafts of RongIMClient (api.md §3.4). The engine keeps
// them (counters and drafts persisted in host storage); these methods check arguments and shape
// the 2.x results.
import { ErrorCode, ConversationType } from './enums.js';
import { outcome } from './callbacks.js';
import { isObject, isNonEmptyString, isConversationType, typeList, notNonEmpty, BAD_TYPE_LIST } from './args.js';

/** A conversation as 2.x's getConversationList returns it (newest first). */
export class Conversation {
  constructor(fields) {
    if (fields) Object.assign(this, fields);
  }
}

/** Types `clearConversations()` removes when none are given (2.x's default list). */
const ALL_TYPES = [
  ConversationType.CHATROOM,
  ConversationType.CUSTOMER_SERVICE,
  ConversationType.DISCUSSION,
  ConversationType.GROUP,
  ConversationType.PRIVATE,
  ConversationType.SYSTEM,
  ConversationType.PUBLIC_SERVICE,
  ConversationType.APP_PUBLIC_SERVICE,
];

/**
 * The instance methods of this group, for RongIMClient's prototype.
 * @param {{driver: () => any, request: Function, fail: Function, answer: Function,
 *          toMessage: (m: any) => any}} ctx
 */
export function conversationMethods(ctx) {
  const bad = (out, reason) => ctx.fail(out, ErrorCode.PARAMETER_ERROR, reason);
  const badTarget = (type, targetId) =>
    !isConversationType(type)
      ? `unknown conversation type: ${String(type)}`
      : !isNonEmptyString(targetId)
        ? notNonEmpty('targetId')
        : null;

  function toConversation(c) {
    if (!c) return null;
    const conversation = new Conversation(c);
    if (c.latestMessage) conversation.latestMessage = ctx.toMessage(c.latestMessage);
    return conversation;
  }

  return {
    /**
     * `getConversationList(callback, conversationTypes?, count?)`: the server's list (`qryRelation`)
     * merged with what arrived locally, newest first; when not connected, the local list.
     * `onSuccess(conversations)`.
     */
    getConversationList(callback, conversationTypes, count) {
      const out = outcome(callback);
      const types = typeList(conversationTypes);
      if (!types) return bad(out, BAD_TYPE_LIST);
      if (count !== undefined && count !== null && !(Number.isInteger(count) && count >= 0)) {
        return bad(out, 'count must be a non-negative integer');
      }
      return ctx.request(out, (e, t) => e.fetchConversationList(t, types, count || 0), (r) => [
        r.list.map(toConversation),
      ]);
    },

    /** `getConversation(type, targetId, callback)`: `onSuccess(conversation or null)`. */
    getConversation(conversationType, targetId, callback) {
      const out = outcome(callback);
      const reason = badTarget(conversationType, targetId);
      if (reason) return bad(out, reason);
      return ctx.answer(out, (e) => toConversation(e.conversation(conversationType, targetId)));
    },

    /**
     * `updateConversation(conversation)`: copies `conversationTitle`, `senderUserName`,
     * `senderPortraitUri` and `sentStatus` (when given and not empty or 0) into the listed
     * conversation. Returns the updated conversation, or `null` when it is not listed or the
     * argument is not a conversation (2.x meant to return it but returned `undefined`).
     */
    updateConversation(conversation) {
      if (!isObject(conversation) || badTarget(conversation.conversationType, conversation.targetId)) return null;
      const d = ctx.driver();
      if (!d) return null;
      const { conversationType, targetId, sentStatus } = conversation;
      // "" and 0 leave a field as it is.
      const fields = ['conversationTitle', 'senderUserName', 'senderPortraitUri'].map((key) =>
        typeof conversation[key] === 'string' ? conversation[key] : '',
      );
      try {
        d.input((e) => e.updateConversation(conversationType, targetId, ...fields, Number.isInteger(sentStatus) ? sentStatus : 0));
        return toConversation(d.engine.conversation(conversationType, targetId));
      } catch {
        return null;
      }
    },

    /** `removeConversation(type, targetId, callback)`: `delRelation`, then `onSuccess(true)`. */
    removeConversation(conversationType, targetId, callback) {
      const out = outcome(callback);
      const reason = badTarget(conversationType, targetId);
      if (reason) return bad(out, reason);
      return ctx.request(out, (e, t) => e.removeConversation(t, conversationType, targetId), () => [true]);
    },

    /**
     * `clearConversations(callback, ...conversationTypes)`: removes every listed conversation
     * of those types (all when none are given); `onSuccess(true)` once all are removed, or
     * `onError(code)` with the first failure.
     */
    clearConversations(callback, ...conversationTypes) {
      const out = outcome(callback);
      const types = typeList(conversationTypes.flat());
      if (!types) return bad(out, 'conversation types must be ConversationType values');
      const d = ctx.driver();
      if (!d) return ctx.fail(out, ErrorCode.RC_NET_UNAVAILABLE, 'the engine is not loaded');
      let listed;
      try {
        listed = d.engine.conversationList(types.length ? types : ALL_TYPES);
      } catch (err) {
        return ctx.fail(out, err && typeof err.code === 'number' ? err.code : ErrorCode.PARAMETER_ERROR, err && err.message);
      }
      let left = listed.length;
      let failure = null;
      const done = () => {
        left -= 1;
        if (left > 0) return;
        if (failure === null) out.ok(true);
        else out.fail(failure, null, `removing a conversation failed: ${failure}`);
      };
      if (left === 0) out.ok(true);
      for (const c of listed) {
        const one = outcome({
          onSuccess: done,
          onError: (code) => {
            if (failure === null) failure = code;
            done();
          },
        });
        ctx.request(one, (e, t) => e.removeConversation(t, c.conversationType, c.targetId), () => []);
      }
      return out.promise;
    },

    /** `getTotalUnreadCount(callback, conversationTypes?)`: `onSuccess(count)`. */
    getTotalUnreadCount(callback, conversationTypes) {
      const out = outcome(callback);
      const types = typeList(conversationTypes);
      if (!types) return bad(out, BAD_TYPE_LIST);
      return ctx.answer(out, (e) => e.totalUnreadCount(types));
    },

    /** `getConversationUnreadCount(conversationTypes, callback)`: `onSuccess(count)`. */
    getConversationUnreadCount(conversationTypes, callback) {
      const out = outcome(callback);
      const types = typeList(conversationTypes);
      if (!types) return bad(out, BAD_TYPE_LIST);
      return ctx.answer(out, (e) => e.totalUnreadCount(types));
    },

    /** `getUnreadCount(type, targetId, callback)`: `onSuccess(count)`. */
    getUnreadCount(conversationType, targetId, callback) {
      const out = outcome(callback);
      const reason = badTarget(conversationType, targetId);
      if (reason) return bad(out, reason);
      return ctx.answer(out, (e) => e.unreadCount(conversationType, targetId));
    },

    /**
     * `clearUnreadCount(type, targetId, callback)`: the count and @mention state go; local
     * only, as in 2.x. `onSuccess(true)`.
     */
    clearUnreadCount(conversationType, targetId, callback) {
      const out = outcome(callback);
      const reason = badTarget(conversationType, targetId);
      if (reason) return bad(out, reason);
      return ctx.answer(out, (e) => (e.clearUnreadCount(conversationType, targetId), true));
    },

    /** `saveTextMessageDraft(type, targetId, value)`: persisted; `true`, or `false` for bad arguments. */
    saveTextMessageDraft(conversationType, targetId, value) {
      if (badTarget(conversationType, targetId) || typeof value !== 'string') return false;
      return ctx.sync((e) => (e.saveDraft(conversationType, targetId, value), true), false);
    },

    /** `getTextMessageDraft(type, targetId)`: the draft, or `undefined`. */
    getTextMessageDraft(conversationType, targetId) {
      if (badTarget(conversationType, targetId)) return undefined;
      return ctx.sync((e) => e.draft(conversationType, targetId), undefined);
    },

    /** `clearTextMessageDraft(type, targetId)`: `true`, or `false` for bad arguments. */
    clearTextMessageDraft(conversationType, targetId) {
      if (badTarget(conversationType, targetId)) return false;
      return ctx.sync((e) => (e.clearDraft(conversationType, targetId), true), false);
    },
  };
}
