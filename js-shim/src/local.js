// The local message store of RongIMClient (api.md §3.3): messages kept per user in the host's
// storage by the engine, behind 2.5.3's local-message methods, local-first history and search.
// Each method hands its arguments to one engine command; the engine keeps and checks everything.
import { outcome } from './callbacks.js';
import { isObject } from './args.js';
import { messageParams } from './messages.js';
import { Conversation } from './conversations.js';
import { num, nums, optNum, str } from './engine.js';

/** A messageId as the engine reads it (the store's ids are decimal text; numbers are accepted). */
const mid = (v) => (typeof v === 'number' || typeof v === 'string' ? String(v) : undefined);

/** A content's objectName and JSON text: a MessageContent (`encode()`), a plain object or text. */
function encoded(content, objectName) {
  if (isObject(content) && typeof content.encode === 'function') {
    const params = messageParams.get(content.messageName);
    return [objectName || (params && params.objectName), content.encode()];
  }
  return [objectName, typeof content === 'string' ? content : JSON.stringify(content)];
}

/**
 * The instance methods of this group, for RongIMClient's prototype.
 * @param {{request: Function, answer: Function, sync: Function, toMessage: (m: any) => any}} ctx
 */
export function localMethods(ctx) {
  const message = (m) => (m ? ctx.toMessage(m) : null);
  const yes = () => true;
  const history = (r) => [r.list.map(ctx.toMessage), r.hasMore];
  const asHistory = { value: (list, hasMsg) => ({ list, hasMsg }) };

  return {
    /**
     * `getHistoryMessages(type, targetId, timestamp, count, callback, objectName?, order?)`:
     * older messages come from the local store first, then from the server below what is
     * stored; newer ones (order 1) from the server. `onSuccess(messages, hasMsg)`, oldest first.
     */
    getHistoryMessages(conversationType, targetId, timestamp, count, callback, objectName, order) {
      if (order != null && order !== 0) return this.getRemoteHistoryMessages(conversationType, targetId, timestamp, count, callback, order);
      return ctx.request(
        outcome(callback),
        (e, t) => e.historyLocalFirst(t, num(conversationType), str(targetId), optNum(timestamp), num(count)),
        history,
        asHistory,
      );
    },

    /** `getRemoteHistoryMessages(type, targetId, timestamp, count, callback)`: the server's history only. */
    getRemoteHistoryMessages(conversationType, targetId, timestamp, count, callback, order) {
      return ctx.request(
        outcome(callback),
        (e, t) => e.history(t, num(conversationType), str(targetId), optNum(timestamp), num(count), optNum(order)),
        history,
        asHistory,
      );
    },

    /** `getMessage(messageId, callback)`: `onSuccess(message or null)`. */
    getMessage(messageId, callback) {
      return ctx.answer(outcome(callback), (e) => e.getMessage(mid(messageId)), message);
    },

    /**
     * `insertMessage(type, targetId, [senderUserId,] message, callback)`: stores a message that is
     * never sent (`message` a Message with `content`, `messageDirection`, `sentTime`, …, or a bare
     * content); `onSuccess(message)` with its `messageId`.
     */
    insertMessage(conversationType, targetId, senderUserId, content, callback) {
      if (isObject(senderUserId)) return this.insertMessage(conversationType, targetId, undefined, senderUserId, content);
      const m = isObject(content) && isObject(content.content) ? content : { content };
      const [objectName, json] = encoded(m.content, m.objectName);
      const sender = str(senderUserId) || m.senderUserId;
      const direction = m.messageDirection || 1;
      const status = direction === 1 ? m.sentStatus : m.receivedStatus;
      return ctx.answer(
        outcome(callback),
        (e, t) =>
          e.insertMessage(t, num(conversationType), str(targetId), str(sender), str(objectName), str(json),
            num(direction), optNum(status), optNum(m.sentTime)),
        message,
      );
    },

    /** `deleteLocalMessages(type, targetId, messageIds, callback)`: `onSuccess(true)`. */
    deleteLocalMessages(conversationType, targetId, messageIds, callback) {
      const ids = Array.isArray(messageIds) ? JSON.stringify(messageIds) : undefined;
      return ctx.answer(outcome(callback), (e) => e.deleteLocalMessages(num(conversationType), str(targetId), ids));
    },

    /** `clearMessages(type, targetId, callback)`: the stored messages of the conversation go; `onSuccess(true)`. */
    clearMessages(conversationType, targetId, callback) {
      return ctx.answer(outcome(callback), (e) => e.clearMessages(num(conversationType), str(targetId)));
    },

    /** `updateMessage(message, callback)`: content, extra and statuses of the stored message; `onSuccess(message)`. */
    updateMessage(m, callback) {
      const msg = isObject(m) ? m : {};
      const [objectName, json] = msg.content ? encoded(msg.content, msg.objectName) : [];
      return ctx.answer(
        outcome(callback),
        (e) =>
          e.updateMessage(mid(msg.messageId), str(objectName), str(json), str(msg.extra), optNum(msg.receivedStatus),
            optNum(msg.sentStatus)),
        message,
      );
    },

    /** `setMessageContent(messageId, content, objectName)`. */
    setMessageContent(messageId, content, objectName) {
      const [name, json] = encoded(content, objectName);
      ctx.sync((e) => e.updateMessage(mid(messageId), str(name), str(json)), null);
    },

    /** `setMessageExtra(messageId, value, callback)`: `onSuccess(true)`. */
    setMessageExtra(messageId, value, callback) {
      return ctx.answer(outcome(callback), (e) => e.updateMessage(mid(messageId), undefined, undefined, str(value)), yes);
    },

    /** `setMessageReceivedStatus(messageId, receivedStatus, callback)`: `onSuccess(true)`. */
    setMessageReceivedStatus(messageId, receivedStatus, callback) {
      return ctx.answer(
        outcome(callback),
        (e) => e.updateMessage(mid(messageId), undefined, undefined, undefined, num(receivedStatus)),
        yes,
      );
    },

    /** `setMessageSentStatus(messageId, sentStatus, callback)`: `onSuccess(true)`. */
    setMessageSentStatus(messageId, sentStatus, callback) {
      return ctx.answer(
        outcome(callback),
        (e) => e.updateMessage(mid(messageId), undefined, undefined, undefined, undefined, num(sentStatus)),
        yes,
      );
    },

    /** `setMessageStatus(type, targetId, timestamp, status, callback)`: own messages up to `timestamp`; `onSuccess(true)`. */
    setMessageStatus(conversationType, targetId, timestamp, status, callback) {
      return ctx.answer(outcome(callback), (e) =>
        e.setMessageStatus(num(conversationType), str(targetId), num(timestamp), num(Number(status))),
      );
    },

    /**
     * `searchMessageByContent(type, targetId, keyword, timestamp, count, total, callback)`:
     * stored messages containing `keyword`, newest first, older than `timestamp` (0: all);
     * `onSuccess(messages, matched)`.
     */
    searchMessageByContent(conversationType, targetId, keyword, timestamp, count, total, callback) {
      return ctx.answer(
        outcome(callback),
        (e) => e.searchMessages(num(conversationType), str(targetId), str(keyword), optNum(timestamp), num(count)),
        (r) => r.list.map(ctx.toMessage),
      );
    },

    /** `searchConversationByContent(keyword, callback, types?)`: conversations with matching messages. */
    searchConversationByContent(keyword, callback, conversationTypes) {
      return ctx.answer(outcome(callback), (e) => e.searchConversations(str(keyword), nums(conversationTypes)), (list) =>
        list.map((c) => new Conversation(Object.assign(c, { latestMessage: ctx.toMessage(c.latestMessage) }))),
      );
    },

    /**
     * `deleteRemoteMessages(type, targetId, messages, callback)`: `delMsg` for these messages
     * (Messages or DeleteMessages); the server and the local store drop them. `onSuccess(true)`.
     */
    deleteRemoteMessages(conversationType, targetId, delMsgs, callback) {
      const rows = Array.isArray(delMsgs)
        ? JSON.stringify(
            delMsgs.map((m) =>
              isObject(m) ? [m.messageUId || m.msgId, m.sentTime || m.msgDataTime, m.messageDirection || m.direct] : null,
            ),
          )
        : undefined;
      return ctx.request(outcome(callback), (e, t) => e.deleteRemoteMessages(t, num(conversationType), str(targetId), rows), () => [
        true,
      ]);
    },

    /** The 2.5.3 alias of `deleteRemoteMessages`. */
    deleteMessages(conversationType, targetId, delMsgs, callback) {
      return this.deleteRemoteMessages(conversationType, targetId, delMsgs, callback);
    },

    /** `sendLocalMessage(message, callback)`: sends `message.content` to the message's conversation. */
    sendLocalMessage(m, callback) {
      const msg = isObject(m) ? m : {};
      return this.sendMessage(msg.conversationType, msg.targetId, msg.content, callback);
    },

    /**
     * `sendReceiptResponse(type, targetId, callback)`: answers every read-receipt request received
     * in the conversation (one ReadReceiptResponseMessage per requester); `onSuccess()` once all
     * are acknowledged, at once when none is pending.
     */
    sendReceiptResponse(conversationType, targetId, callback) {
      return ctx.request(outcome(callback), (e, t) => e.sendReceiptResponse(t, num(conversationType), str(targetId)), () => []);
    },
  };
}
