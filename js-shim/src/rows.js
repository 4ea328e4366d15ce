// The façade's hand-written tables, as rows in strings: the instance methods commands.js defines
// from rows (`*_REQUESTS` for requestMethods, `*_ANSWERS` for answerMethods; the row format is
// commands.js's, with `:key` for "the reply's `key`"), 2.x's model classes (MODELS) and the
// Conversation constructor's parameters (CONVERSATION_FIELDS).
//
// Nothing imports this file: scripts/gen-tables.mjs packs these strings together with the
// engine's tables into generated/tables.js, which exports them under the same names (the mini
// program counts every byte, and packed together they take half as many). A string here must
// hold no line break and none of unpack.js's MARKS.

// ---- conversations.js ----

// - `getConversationList(callback, conversationTypes?, count?, isGetHiddenConvers?)`: the
//   server's list (`qryRelation`) merged with what arrived locally, newest first; when not
//   connected, the local list. `onSuccess(conversations)`.
// - `setConversationToTop(type, targetId, isTop, callback)`: kept by the server; `onSuccess(true)`.
// - `getConversationNotificationStatus(type, targetId, callback)`: `onSuccess(status)`, 0
//   DO_NOT_DISTURB, 1 NOTIFY.
// - `getNotificationQuietHours(callback)`: `onSuccess(startTime, spanMinutes)` ("" and 0 when
//   none); a Promise of `{startTime, spanMinutes}`.
// - `setNotificationQuietHours(startTime, spanMinutes, callback)`: "HH:MM:SS", 1–1439; `onSuccess()`.
// - `removeNotificationQuietHours(callback)`, `setOfflineMessageDuration(days, callback)` (1–7
//   days): `onSuccess()`.
// - `removeConversation(type, targetId, callback)`: `delRelation`, then `onSuccess(true)`.
export const CONVERSATION_REQUESTS =
  'getConversationList fetchConversationList clob conversations|' +
  'setConversationToTop = nsbc true|' +
  'getConversationNotificationStatus notificationStatus nsc :status|' +
  'getNotificationQuietHours quietHours c quietHours|' +
  'setNotificationQuietHours setQuietHours snc|' +
  'removeNotificationQuietHours removeQuietHours c|' +
  'setOfflineMessageDuration = nc|' +
  'removeConversation = nsc true';

// - `clearTotalUnreadCount(callback)`: every count of this user; `onSuccess(true)`.
// - `clearUnreadCountByTimestamp(type, targetId, timestamp, callback)`: clears the count when no
//   counted message is newer than `timestamp`; `onSuccess(cleared)`.
// - `getConversation(type, targetId, callback)`: `onSuccess(conversation or null)`.
// - `getTotalUnreadCount(callback, conversationTypes?)`, `getConversationUnreadCount(conversationTypes,
//   callback)`, `getUnreadCount(type, targetId, callback)`: `onSuccess(count)`.
// - `clearUnreadCount(type, targetId, callback)`: the count and @mention state go; local only,
//   as in 2.x. `onSuccess(true)`.
export const CONVERSATION_ANSWERS =
  'clearTotalUnreadCount = c|' +
  'clearUnreadCountByTimestamp = nsnc|' +
  'getConversation conversation nsc conversation|' +
  'getTotalUnreadCount totalUnreadCount cl|' +
  'getConversationUnreadCount totalUnreadCount lc|' +
  'getUnreadCount unreadCount nsc|' +
  'clearUnreadCount = nsc';

/** 2.x's Conversation constructor parameters, in order, space-separated. */
export const CONVERSATION_FIELDS =
  'conversationTitle conversationType draft isTop latestMessage latestMessageId notificationStatus objectName ' +
  'receivedStatus receivedTime senderUserId senderUserName sentStatus sentTime targetId unreadMessageCount ' +
  'senderPortraitUri isHidden mentionedMsg hasUnreadMention _readTime';

// ---- queries.js ----

// The blacklist (api.md §3.7):
// - `addToBlacklist(userId, callback)`, `removeFromBlacklist(userId, callback)`: `onSuccess()`.
// - `getBlacklist(callback)`: `onSuccess(userIds)`.
// - `getBlacklistStatus(userId, callback)`: `onSuccess('IN_BLACK_LIST')` or
//   `onSuccess('NOT_IN_BLACK_LIST')` (BlacklistStatus names). 2.x reported "not in the
//   blacklist" through `onError`; here it is a success value and `onError` means a failure.
// Discussions (api.md §3.5):
// - `createDiscussion(name, userIds, callback)`: `onSuccess(discussionId)`, after the invitation.
// - `getDiscussion(discussionId, callback)`: `onSuccess({id, name, creatorId, memberIdList,
//   isOpen, openStatus})`; `isOpen` is a boolean (2.x passed the raw status, 0 meaning open).
// - `addMemberToDiscussion(discussionId, userIds, callback)`, `quitDiscussion(discussionId,
//   callback)`, `removeMemberFromDiscussion(discussionId, userId, callback)`,
//   `setDiscussionInviteStatus(discussionId, status, callback)` (0 OPENED, 1 CLOSED),
//   `setDiscussionName(discussionId, name, callback)`: `onSuccess()`.
// Chatrooms (api.md §3.6):
// - `joinChatRoom(chatroomId, count, callback)`: `onSuccess()` once joined; the `count` most
//   recent messages (0 or −1: none) then reach the receive listeners. An empty id →
//   `onError(36001)`.
// - `quitChatRoom(chatroomId, callback)`: `onSuccess()`.
// - `getChatRoomInfo(chatroomId, count, order, callback)`: `order` a GetChatRoomType;
//   `onSuccess({userTotalNums, userInfos: [{id, time}]})`.
// - `getChatRoomHistoryMessages(chatroomId, count, order, callback)`: `onSuccess(messages,
//   hasMsg)`, oldest first; a Promise of `{list, hasMsg}`.
export const QUERY_REQUESTS =
  'addToBlacklist = sc|' +
  'removeFromBlacklist = sc|' +
  'getBlacklist blacklist c :userIds|' +
  'getBlacklistStatus blacklistStatus sc blacklistStatus|' +
  'createDiscussion = suc :id|' +
  'addMemberToDiscussion addDiscussionMembers suc|' +
  'getDiscussion discussion sc :discussion|' +
  'quitDiscussion = sc|' +
  'removeMemberFromDiscussion removeDiscussionMember ssc|' +
  'setDiscussionInviteStatus = snc|' +
  'setDiscussionName = ssc|' +
  'joinChatRoom joinChatroom soc|' +
  'quitChatRoom quitChatroom sc|' +
  'getChatRoomInfo chatroomInfo snnc chatroomInfo|' +
  'getChatRoomHistoryMessages chatroomHistory snoc history';

// Chatroom entries (api.md §8), answered from the engine's cache of the joined room:
// - `getChatroomEntry(chatroomId, key, callback)`: `onSuccess(value)`; `onError(23427)` when the
//   room has no such entry.
// - `getAllChatroomEntries(chatroomId, callback)`: `onSuccess({key: value, …})`.
export const QUERY_ANSWERS = 'getChatroomEntry chatroomEntry ssc|getAllChatroomEntries chatroomEntries sc';

// ---- local.js ----

// - `getRemoteHistoryMessages(type, targetId, timestamp, count, callback, order?)`: the
//   server's history only; `onSuccess(messages, hasMsg)`, oldest first; a Promise of
//   `{list, hasMsg}`.
// - `sendReceiptResponse(type, targetId, callback)`: answers every read-receipt request
//   received in the conversation (one ReadReceiptResponseMessage per requester); `onSuccess()`
//   once all are acknowledged, at once when none is pending.
export const LOCAL_REQUESTS = 'getRemoteHistoryMessages history nsonco history|sendReceiptResponse = nsc';

// - `getMessage(messageId, callback)`: `onSuccess(message or null)`.
// - `clearMessages(type, targetId, callback)`: the stored messages of the conversation go;
//   `onSuccess(true)`.
// - `searchMessageByContent(type, targetId, keyword, timestamp, count, total, callback)`:
//   stored messages containing `keyword`, newest first, older than `timestamp` (0: all);
//   `onSuccess(messages)`.
// - `searchConversationByContent(keyword, callback, types?)`: conversations with matching
//   messages.
export const LOCAL_ANSWERS =
  'getMessage = ic message|' +
  'clearMessages = nsc|' +
  'searchMessageByContent searchMessages nsson_c messages|' +
  'searchConversationByContent searchConversations scl conversations';

// ---- presence.js ----

// `getFileToken`, `getFileUrl` and `getUserStatus` (presence.js says what they answer).
export const PRESENCE_REQUESTS = 'getFileToken fileToken nc token|getFileUrl fileUrl nssc url|getUserStatus userStatus _c status';

// ---- surface.js ----

/**
 * 2.x's model classes, `name fields` per row: the constructor takes the fields in this order and
 * sets each of them (as TypeScript's `constructor(public a?, …)` does).
 */
export const MODELS =
  'ChannelInfo Id,Key|UserStatus platform,online,status|DeleteMessage msgId,msgDataTime,direct|' +
  'CustomServiceConfig isBlack,companyName,companyUrl|' +
  'CustomServiceSession uid,cid,pid,isQuited,type,adminHelloWord,adminOfflineWord|' +
  'Discussion creatorId,id,memberIdList,name,isOpen|Group id,name,portraitUri|' +
  'PublicServiceMenuItem id,name,type,sunMenuItems,url|' +
  'PublicServiceProfile conversationType,introduction,menu,name,portraitUri,publicServiceId,hasFollowed,isGlobal|' +
  'UserInfo id,name,portraitUri';

// ---- services.js ----

// Customer service and public services (the rows services.js's header describes).
export const SERVICE_REQUESTS =
  'startCustomService = scj|stopCustomeService customService sc0|switchToHumanMode customService sc1|' +
  'evaluateRebotCustomService customService s2bsc|evaluateHumanCustomService customService s3nsc|' +
  'getRemotePublicServiceList publicServices co :list|getPublicServiceList publicServices c :list|' +
  'searchPublicService = 0nsc :list|searchPublicServiceByType searchPublicService nnsc :list|' +
  'subscribePublicService followPublicService nic1|unsubscribePublicService followPublicService nic0';
export const SERVICE_ANSWERS = 'getPublicServiceProfile = nic';
