// The local message store of RongIMClient (api.md §3.3): messages kept per user in the host's
// storage by the engine, behind 2.5.3's local-message methods, local-first history and search.
// Each method hands its arguments to one engine command; the engine keeps and checks everything.
import { outcome } from './callbacks.js';
import { isFunction, isObject } from './args.js';
import { messageParams } from './messages.js';
import { num, optNum, str } from './engine.js';
import { alias, answerMethods, mid, requestMethods } from './commands.js';
import { LOCAL_ANSWERS, LOCAL_REQUESTS } from './generated/tables.js';

/** A content's objectName and JSON text: a MessageContent (`encode()`), a plain object or text. */
function encoded(content, objectName) {
  if (isObject(content) && isFunction(content.encode)) {
    const params = messageParams.get(content.messageName);
    return [objectName || (params && params.objectName), content.encode()];
  }
  return [objectName, typeof content === 'string' ? content : JSON.stringify(content)];
}

/**
 * The instance methods of this group, for RongIMClient's prototype.
 * @param {{request: Function, answer: Function, sync: Function, history: any[],
 *          toMessage: (m: any) => any}} ctx
 */
export function localMethods(ctx) {
  const message = (m) => (m ? ctx.toMessage_(m) : null);
  const yes = () => true;
  /** `updateMessage` of the stored message `messageId` with `fields()` after the id; `onSuccess(true)`. */
  const update = (messageId, callback, fields) =>
    ctx.answer_(outcome(callback), (e) => e.updateMessage(mid(messageId), ...fields()), yes);

  // Rows: rows.js's LOCAL_REQUESTS.
  const requests = requestMethods(ctx, LOCAL_REQUESTS, {
    history: ctx.history_,
  });

  // Rows: rows.js's LOCAL_ANSWERS.
  const answers = answerMethods(
    ctx,
    LOCAL_ANSWERS,
    {
      message,
      messages: (r) => r.list.map(ctx.toMessage_),
      conversations: (list) =>
        list.map((c) => ctx.conversation_(Object.assign(c, { latestMessage: ctx.toMessage_(c.latestMessage) }))),
    },
  );

  return Object.assign(requests, answers, {
    /**
     * `getHistoryMessages(type, targetId, timestamp, count, callback, objectName?, order?)`:
     * older messages come from the local store first, then from the server below what is
     * stored; newer ones (order 1) from the server. `onSuccess(messages, hasMsg)`, oldest first.
     */
    getHistoryMessages(conversationType, targetId, timestamp, count, callback, objectName, order) {
      if (order != null && order !== 0) return this.getRemoteHistoryMessages(conversationType, targetId, timestamp, count, callback, order);
      return ctx.request_(
        outcome(callback),
        (e, t) => e.historyLocalFirst(t, num(conversationType), str(targetId), optNum(timestamp), num(count)),
        ...ctx.history_,
      );
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
      return ctx.answer_(
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
      return ctx.answer_(outcome(callback), (e) => e.deleteLocalMessages(num(conversationType), str(targetId), ids));
    },

    /**
     * `removeLocalMessage(type, targetId, timestamps, callback)` (2.x's data-provider name): the
     * conversation's stored messages sent at one of `timestamps` go; `onSuccess(true)`.
     */
    removeLocalMessage(conversationType, targetId, timestamps, callback) {
      const times = Array.isArray(timestamps) ? timestamps.map(num) : undefined;
      return ctx.answer_(outcome(callback), (e) => e.deleteLocalMessagesAt(num(conversationType), str(targetId), times));
    },

    /** `updateMessage(message, callback)`: content, extra and statuses of the stored message; `onSuccess(message)`. */
    updateMessage(m, callback) {
      const msg = isObject(m) ? m : {};
      const [objectName, json] = msg.content ? encoded(msg.content, msg.objectName) : [];
      return ctx.answer_(
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
      ctx.sync_((e) => e.updateMessage(mid(messageId), str(name), str(json)), null);
    },

    /** `setMessageExtra(messageId, value, callback)`: `onSuccess(true)`. */
    setMessageExtra(messageId, value, callback) {
      return update(messageId, callback, () => [undefined, undefined, str(value)]);
    },

    /** `setMessageReceivedStatus(messageId, receivedStatus, callback)`: `onSuccess(true)`. */
    setMessageReceivedStatus(messageId, receivedStatus, callback) {
      return update(messageId, callback, () => [undefined, undefined, undefined, num(receivedStatus)]);
    },

    /** `setMessageSentStatus(messageId, sentStatus, callback)`: `onSuccess(true)`. */
    setMessageSentStatus(messageId, sentStatus, callback) {
      return update(messageId, callback, () => [undefined, undefined, undefined, undefined, num(sentStatus)]);
    },

    /** `setMessageStatus(type, targetId, timestamp, status, callback)`: own messages up to `timestamp`; `onSuccess(true)`. */
    setMessageStatus(conversationType, targetId, timestamp, status, callback) {
      return ctx.answer_(outcome(callback), (e) =>
        e.setMessageStatus(num(conversationType), str(targetId), num(timestamp), num(Number(status))),
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
      return ctx.request_(outcome(callback), (e, t) => e.deleteRemoteMessages(t, num(conversationType), str(targetId), rows), () => [
        true,
      ]);
    },

    /** The 2.5.3 alias of `deleteRemoteMessages`. */
    deleteMessages: alias('deleteRemoteMessages', 4),

    /** `sendLocalMessage(message, callback)`: sends `message.content` to the message's conversation. */
    sendLocalMessage(m, callback) {
      const msg = isObject(m) ? m : {};
      return this.sendMessage(msg.conversationType, msg.targetId, msg.content, callback);
    },
  });
}
