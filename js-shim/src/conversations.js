// The conversation list, unread counts and drafts of RongIMClient (api.md §3.4). The engine keeps
// them (counters and drafts persisted in host storage); these methods check arguments and shape
// the 2.x results.
import { outcome } from './callbacks.js';
import { isObject } from './args.js';
import { num, nums, optNum, str } from './engine.js';
import { alias, answerMethods, requestMethods } from './commands.js';
import { CONVERSATION_ANSWERS, CONVERSATION_FIELDS, CONVERSATION_REQUESTS } from './generated/tables.js';

/** 2.x's Conversation constructor parameters, in order. */
const FIELDS = CONVERSATION_FIELDS.split(' ');

/** The client of each conversation the SDK made (`setTop` pins through it). */
const owners = new WeakMap();
/** The client of the namespace made last: 2.x's one global client, for the conversations an app makes. */
let lastClient = () => null;

/**
 * A conversation as 2.x's getConversationList returns it (newest first). Made from an object of
 * fields, or from 2.x's positional parameters. One class for every namespace, so `instanceof`
 * holds across them.
 */
export class Conversation {
  constructor(...args) {
    if (isObject(args[0])) Object.assign(this, args[0]);
    else args.forEach((v, i) => v !== undefined && (this[FIELDS[i]] = v));
  }

  /**
   * Pins the conversation for the user (`setConversationToTop`) through the client that listed
   * it; 2.5.3 only moved it to the front of its page's list.
   */
  setTop() {
    this.isTop = true;
    const im = (owners.get(this) || lastClient)();
    if (im) im.setConversationToTop(this.conversationType, this.targetId, true, { onSuccess() {}, onError() {} });
  }
}

/**
 * The maker of a namespace's conversations, whose `setTop` goes through its client `client()`;
 * that client also becomes the one for conversations an app makes itself.
 */
export function conversationMaker(client) {
  lastClient = client;
  return (fields) => {
    const c = new Conversation(fields);
    owners.set(c, client);
    return c;
  };
}

/**
 * Types `clearConversations()` removes when none are given (2.x's default list): ConversationType
 * CHATROOM, CUSTOMER_SERVICE, DISCUSSION, GROUP, PRIVATE, SYSTEM, PUBLIC_SERVICE, APP_PUBLIC_SERVICE.
 */
const ALL_TYPES = [4, 5, 2, 3, 1, 6, 8, 7];

/**
 * The instance methods of this group, for RongIMClient's prototype.
 * @param {{driver: () => any, request: Function, fail: Function, answer: Function, sync: Function,
 *          answerNow: Function, toMessage: (m: any) => any}} ctx
 */
export function conversationMethods(ctx) {
  const text = (v) => (typeof v === 'string' ? v : undefined);
  function toConversation(c) {
    if (!c) return null;
    const conversation = ctx.conversation_(c);
    if (c.latestMessage) conversation.latestMessage = ctx.toMessage_(c.latestMessage);
    return conversation;
  }

  // Rows: rows.js's CONVERSATION_REQUESTS.
  const requests = requestMethods(
    ctx,
    CONVERSATION_REQUESTS,
    {
      conversations: (r) => [r.list.map(toConversation)],
      quietHours: [(r) => [r.startTime, r.spanMinutes], (startTime, spanMinutes) => ({ startTime, spanMinutes })],
    },
  );

  // Rows: rows.js's CONVERSATION_ANSWERS.
  const answers = answerMethods(ctx, CONVERSATION_ANSWERS, { conversation: toConversation });

  return Object.assign(requests, answers, {
    /** `getRemoteConversationList(callback, types?, count?, isGetHiddenConvers?)`: as getConversationList. */
    getRemoteConversationList: alias('getConversationList', 4),

    /** `clearMessagesUnreadStatus(type, targetId, callback)`: as clearUnreadCount; `onSuccess(true)`. */
    clearMessagesUnreadStatus: alias('clearUnreadCount', 3),

    /** `addConversation(conversation, callback)`: lists it (keeping its title); `onSuccess(conversation)`. */
    addConversation(conversation, callback) {
      const c = isObject(conversation) ? conversation : {};
      return ctx.answer_(
        outcome(callback),
        (e) => e.addConversation(num(c.conversationType), str(c.targetId), text(c.conversationTitle)),
        toConversation,
      );
    },

    /** `pottingConversation(conversation)`: lists it, as `addConversation` without a callback. */
    pottingConversation(conversation) {
      this.addConversation(conversation, {});
    },

    /** `createConversation(type, targetId, title)`: a new Conversation, not listed (as 2.x). */
    createConversation(conversationType, targetId, converTitle) {
      return ctx.conversation_({
        conversationType,
        targetId,
        conversationTitle: converTitle,
        latestMessage: {},
        unreadMessageCount: 0,
        notificationStatus: 1,
        isTop: false,
        isHidden: false,
      });
    },

    /** `setConversationHidden(type, targetId, isHidden)`: kept by the server (2.x: a no-op); no Promise. */
    setConversationHidden(conversationType, targetId, isHidden, callback) {
      return ctx.request_(
        outcome(callback || {}),
        (e, t) => e.setConversationHidden(t, num(conversationType), str(targetId), !!isHidden),
        () => [true],
      );
    },

    /** `setConversationNotificationStatus(type, targetId, status, callback)`: kept by the server; `onSuccess(status)`. */
    setConversationNotificationStatus(conversationType, targetId, notificationStatus, callback) {
      return ctx.request_(
        outcome(callback),
        (e, t) => e.setNotificationStatus(t, num(conversationType), str(targetId), num(notificationStatus)),
        () => [notificationStatus],
      );
    },

    /** `getUnreadMentionedMessages(type, targetId)`: the unread messages that @mention the user. */
    getUnreadMentionedMessages(conversationType, targetId) {
      const list = ctx.sync_((e) => e.unreadMentionedMessages(num(conversationType), str(targetId)), []);
      return list.map(ctx.toMessage_);
    },

    /**
     * `hasRemoteUnreadMessages(token, callback)`: whether messages wait on the server for the
     * user of `token` (asked over HTTP, also before `connect`); `onSuccess(boolean)`.
     */
    hasRemoteUnreadMessages(token, callback) {
      return ctx.requestAnyTime_(outcome(callback), (e, t) => e.hasRemoteUnread(t, str(token)), (r) => [!!r.status]);
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
      return toConversation(
        ctx.sync_(
          (e) =>
            e.updateConversation(num(c.conversationType), str(c.targetId), text(c.conversationTitle),
              text(c.senderUserName), text(c.senderPortraitUri), optNum(c.sentStatus)),
          null,
        ),
      );
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
        listed = ctx.answerNow_((e) => e.conversationList(nums(types.length ? types : ALL_TYPES), true));
      } catch (err) {
        return ctx.fail_(out, err.code, err.message);
      }
      let left = listed.length;
      let failure = null;
      const done = () => {
        left -= 1;
        if (left > 0) return;
        if (failure === null) out.ok_(true);
        else out.fail_(failure, null, `removing a conversation failed: ${failure}`);
      };
      if (left === 0) out.ok_(true);
      for (const c of listed) {
        const one = outcome({
          onSuccess: done,
          onError: (code) => {
            if (failure === null) failure = code;
            done();
          },
        });
        ctx.request_(one, (e, t) => e.removeConversation(t, c.conversationType, c.targetId), () => []);
      }
      return out.promise_;
    },

    /** `saveTextMessageDraft(type, targetId, value)`: persisted; `true`, or `false` for bad arguments. */
    saveTextMessageDraft(conversationType, targetId, value) {
      return ctx.sync_((e) => e.saveDraft(num(conversationType), str(targetId), str(value)), false);
    },

    /** `getTextMessageDraft(type, targetId)`: the draft, or `undefined`. */
    getTextMessageDraft(conversationType, targetId) {
      return ctx.sync_((e) => e.draft(num(conversationType), str(targetId)), undefined);
    },

    /** `clearTextMessageDraft(type, targetId)`: `true`, or `false` for bad arguments. */
    clearTextMessageDraft(conversationType, targetId) {
      return ctx.sync_((e) => e.clearDraft(num(conversationType), str(targetId)), false);
    },
  });
}
