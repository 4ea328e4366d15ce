// The conversation list, unread counts and drafts of RongIMClient (api.md §3.4). The engine keeps
// them (counters and drafts persisted in host storage); these methods check arguments and shape
// the 2.x results.
import { ConversationType } from './enums.js';
import { outcome } from './callbacks.js';
import { isObject } from './args.js';
import { num, nums, optNum, str } from './engine.js';

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
 * @param {{driver: () => any, request: Function, fail: Function, answer: Function, sync: Function,
 *          toMessage: (m: any) => any}} ctx
 */
export function conversationMethods(ctx) {
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
      return ctx.request(outcome(callback), (e, t) => e.fetchConversationList(t, nums(conversationTypes), optNum(count)), (r) => [
        r.list.map(toConversation),
      ]);
    },

    /** `getConversation(type, targetId, callback)`: `onSuccess(conversation or null)`. */
    getConversation(conversationType, targetId, callback) {
      return ctx.answer(outcome(callback), (e) => e.conversation(num(conversationType), str(targetId)), toConversation);
    },

    /**
     * `updateConversation(conversation)`: copies `conversationTitle`, `senderUserName`,
     * `senderPortraitUri` and `sentStatus` (when given and not empty or 0) into the listed
     * conversation. Returns the updated conversation, or `null` when it is not listed or the
     * argument is not a conversation (2.x meant to return it but returned `undefined`).
     */
    updateConversation(conversation) {
      if (!isObject(conversation)) return null;
      const c = conversation;
      const text = (v) => (typeof v === 'string' ? v : undefined);
      return toConversation(
        ctx.sync(
          (e) =>
            e.updateConversation(num(c.conversationType), str(c.targetId), text(c.conversationTitle),
              text(c.senderUserName), text(c.senderPortraitUri), optNum(c.sentStatus)),
          null,
        ),
      );
    },

    /** `removeConversation(type, targetId, callback)`: `delRelation`, then `onSuccess(true)`. */
    removeConversation(conversationType, targetId, callback) {
      return ctx.request(outcome(callback), (e, t) => e.removeConversation(t, num(conversationType), str(targetId)), () => [
        true,
      ]);
    },

    /**
     * `clearConversations(callback, ...conversationTypes)`: removes every listed conversation
     * of those types (all when none are given); `onSuccess(true)` once all are removed, or
     * `onError(code)` with the first failure.
     */
    clearConversations(callback, ...conversationTypes) {
      const out = outcome(callback);
      const types = conversationTypes.flat();
      let listed;
      try {
        listed = ctx.answerNow((e) => e.conversationList(nums(types.length ? types : ALL_TYPES)));
      } catch (err) {
        return ctx.fail(out, err.code, err.message);
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
      return ctx.answer(outcome(callback), (e) => e.totalUnreadCount(nums(conversationTypes)));
    },

    /** `getConversationUnreadCount(conversationTypes, callback)`: `onSuccess(count)`. */
    getConversationUnreadCount(conversationTypes, callback) {
      return ctx.answer(outcome(callback), (e) => e.totalUnreadCount(nums(conversationTypes)));
    },

    /** `getUnreadCount(type, targetId, callback)`: `onSuccess(count)`. */
    getUnreadCount(conversationType, targetId, callback) {
      return ctx.answer(outcome(callback), (e) => e.unreadCount(num(conversationType), str(targetId)));
    },

    /**
     * `clearUnreadCount(type, targetId, callback)`: the count and @mention state go; local
     * only, as in 2.x. `onSuccess(true)`.
     */
    clearUnreadCount(conversationType, targetId, callback) {
      return ctx.answer(outcome(callback), (e) => e.clearUnreadCount(num(conversationType), str(targetId)));
    },

    /** `saveTextMessageDraft(type, targetId, value)`: persisted; `true`, or `false` for bad arguments. */
    saveTextMessageDraft(conversationType, targetId, value) {
      return ctx.sync((e) => e.saveDraft(num(conversationType), str(targetId), str(value)), false);
    },

    /** `getTextMessageDraft(type, targetId)`: the draft, or `undefined`. */
    getTextMessageDraft(conversationType, targetId) {
      return ctx.sync((e) => e.draft(num(conversationType), str(targetId)), undefined);
    },

    /** `clearTextMessageDraft(type, targetId)`: `true`, or `false` for bad arguments. */
    clearTextMessageDraft(conversationType, targetId) {
      return ctx.sync((e) => e.clearDraft(num(conversationType), str(targetId)), false);
    },
  };
}
