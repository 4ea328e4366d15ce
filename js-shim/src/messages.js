// Message content classes of RongIMLib 2.x (api.md §6.2): constructors copy only the fields their
// type declares (in the SDK's order), `encode()` is the JSON of the own properties, and
// `messageName` is the type name. Validation and the wire encoding happen in the engine.

/** [typeName, objectName, isCounted, isPersisted, fields, wholeObjectKey?] — one row per type. */
const TYPES = [
  ["TextMessage", "RC:TxtMsg", true, true, ["content", "extra", "user", "mentionedInfo"]],
  ["ImageMessage", "RC:ImgMsg", true, true, ["content", "imageUri", "extra", "user", "mentionedInfo"]],
  ["VoiceMessage", "RC:VcMsg", true, true, ["content", "duration", "extra", "user", "mentionedInfo"]],
  ["HQVoiceMessage", "RC:HQVCMsg", true, true, ["type", "localPath", "remoteUrl", "duration", "extra", "user"]],
  ["RichContentMessage", "RC:ImgTextMsg", true, true, ["title", "content", "imageUri", "extra", "url", "user"]],
  ["LocationMessage", "RC:LBSMsg", true, true, ["latitude", "longitude", "poi", "content", "extra", "user", "mentionedInfo"]],
  ["FileMessage", "RC:FileMsg", true, true, ["name", "size", "type", "fileUrl", "extra", "user"]],
  ["RCCombineMessage", "RC:CombineMsg", true, true, ["nameList", "remoteUrl", "user", "summaryList"]],
  ["PublicServiceRichContentMessage", "RC:PSImgTxtMsg", true, true, null, "richContentMessage"],
  ["PublicServiceMultiRichContentMessage", "RC:PSMultiImgTxtMsg", true, true, null, "richContentMessages"],
  ["JrmfRedPacketMessage", "RCJrmf:RpMsg", true, true, null, "message"],
  ["JrmfRedPacketOpenedMessage", "RCJrmf:RpOpendMsg", true, true, null, "message"],
  ["InformationNotificationMessage", "RC:InfoNtf", false, true, ["message", "extra", "user"]],
  ["ContactNotificationMessage", "RC:ContactNtf", false, true, ["operation", "targetUserId", "message", "extra", "sourceUserId", "user"]],
  ["ProfileNotificationMessage", "RC:ProfileNtf", false, true, ["operation", "data", "extra", "user"]],
  ["CommandNotificationMessage", "RC:CmdNtf", false, true, ["data", "name", "extra", "user"]],
  ["DiscussionNotificationMessage", "RC:DizNtf", false, true, ["extra", "extension", "type", "isHasReceived", "operation", "user"]],
  ["GroupNotificationMessage", "RC:GrpNtf", false, true, ["operatorUserId", "operation", "data", "message", "extra"]],
  ["RecallCommandMessage", "RC:RcCmd", false, true, ["messageUId", "conversationType", "targetId", "sentTime", "extra", "user"]],
  ["CommandMessage", "RC:CmdMsg", false, false, ["data", "name", "extra"]],
  ["TypingStatusMessage", "RC:TypSts", false, false, ["typingContentType", "data"]],
  ["ReadReceiptMessage", "RC:ReadNtf", false, false, ["lastMessageSendTime", "messageUId", "type"]],
  ["SyncReadStatusMessage", "RC:SRSMsg", false, false, ["lastMessageSendTime"]],
  ["ReadReceiptRequestMessage", "RC:RRReqMsg", false, false, ["messageUId"]],
  ["ReadReceiptResponseMessage", "RC:RRRspMsg", false, false, ["receiptMessageDic"]],
  ["PublicServiceCommandMessage", "RC:PSCmd", false, false, ["content", "extra", "menuItem", "user", "mentionedInfo"]],
  ["ChrmKVNotificationMessage", "RC:chrmKVNotiMsg", false, false, ["key", "value", "type", "extra", "user"]],
  ["HandShakeMessage", "RC:CsHs", false, false, ["requestInfo", "userInfo"]],
  ["HandShakeResponseMessage", "RC:CsHsR", false, false, ["msg", "status", "data"]],
  ["ChangeModeMessage", "RC:CSCha", false, false, ["uid", "sid", "pid"]],
  ["ChangeModeResponseMessage", "RC:CsChaR", false, false, ["code", "data", "msg"]],
  ["EvaluateMessage", "RC:CsEva", false, false, ["uid", "sid", "pid", "source", "suggest", "isresolve", "type"]],
  ["SuspendMessage", "RC:CsSp", false, false, ["uid", "sid", "pid"]],
  ["TerminateMessage", "RC:CsEnd", false, false, ["code", "msg", "sid"]],
  ["CustomerStatusUpdateMessage", "RC:CsUpdate", false, false, ["serviceStatus", "sid"]],
  ["CustomerContact", "RC:CsContact", false, false, ["page", "nickName", "routingInfo", "info", "requestInfo"]],
  ["AcceptMessage", "RC:VCAccept", false, false, ["mediaId", "callId", "mediaType", "mode", "subInfo"]],
  ["RingingMessage", "RC:VCRinging", false, false, ["callId"]],
  ["SummaryMessage", "RC:VCSummary", false, false, ["caller", "inviter", "mediaType", "memberIdList", "startTime", "connectedTime", "duration", "status"]],
  ["HungupMessage", "RC:VCHangup", false, false, ["callId", "reason", "mode", "subInfo"]],
  ["InviteMessage", "RC:VCInvite", false, false, ["mediaId", "callId", "engineType", "channelInfo", "mediaType", "extra", "inviteUserIds", "observerUserIds", "mode", "subInfo"]],
  ["MediaModifyMessage", "RC:VCModifyMedia", false, false, ["callId", "mediaType", "mode", "subInfo"]],
  ["MemberModifyMessage", "RC:VCModifyMem", false, false, ["modifyMemType", "callId", "caller", "engineType", "channelInfo", "mediaType", "extra", "inviteUserIds", "existedMemberStatusList", "existedUserPofiles", "observerUserIds", "mode", "subInfo"]],
];

/** `new MessageTag(isCounted, isPersited)` (sic, as in 2.x). */
export class MessageTag {
  constructor(isCounted, isPersited) {
    this.isCounted = !!isCounted;
    this.isPersited = !!isPersited;
  }

  /** The flag word sent as `sessionId`: bit 0 persisted, bit 1 counted. */
  getMessageTag() {
    return (this.isCounted ? 2 : 0) | (this.isPersited ? 1 : 0);
  }

  static getTagByStatus(status) {
    return new MessageTag(!!(status & 2), !!(status & 1));
  }
}

/** `{type, userIdList, mentionedContent}`; unlike 2.x's constructor, it keeps what it is given. */
export class MentionedInfo {
  constructor(type, userIdList, mentionedContent) {
    this.type = type;
    this.userIdList = userIdList || [];
    if (mentionedContent !== undefined) this.mentionedContent = mentionedContent;
  }
}

/** typeName → {objectName, tag} for built-in and registered types. */
export const messageParams = new Map();
/** objectName → typeName for built-in and registered types. */
export const typeNameByObjectName = new Map();
/** `RongIMClient.MessageType`: typeName → typeName. */
export const MessageType = {};
/** The content classes by type name (built-in and registered). */
export const messageClasses = {};

function defineContent(typeName, fields, wholeKey) {
  const Content = class {
    constructor(data) {
      const src = data && typeof data === 'object' ? data : {};
      if (wholeKey) {
        this[wholeKey] = data;
        return;
      }
      for (const f of fields) {
        if (src[f] !== undefined) this[f] = src[f];
      }
    }

    encode() {
      return JSON.stringify(wholeKey ? this[wholeKey] : this);
    }

    /** Builds the content from positional arguments in field order, as the 2.x `obtain`s do. */
    static obtain(...args) {
      const data = {};
      (fields || []).forEach((f, i) => {
        if (args[i] !== undefined) data[f] = args[i];
      });
      return new Content(data);
    }
  };
  Object.defineProperty(Content, 'name', { value: typeName });
  Object.defineProperty(Content.prototype, 'messageName', { value: typeName, enumerable: false });
  return Content;
}

/**
 * Registers a content type: `registerMessageType(typeName, objectName, messageTag, fields)`.
 * Built-in objectNames cannot be taken over (2.x consults them first on receive).
 */
export function registerContentType(typeName, objectName, tag, fields) {
  const Content = defineContent(typeName, fields, null);
  messageClasses[typeName] = Content;
  messageParams.set(typeName, { objectName, tag });
  if (!typeNameByObjectName.has(objectName)) typeNameByObjectName.set(objectName, typeName);
  MessageType[typeName] = typeName;
  return Content;
}

for (const [typeName, objectName, counted, persisted, fields, wholeKey] of TYPES) {
  const Content = defineContent(typeName, fields, wholeKey);
  messageClasses[typeName] = Content;
  messageParams.set(typeName, { objectName, tag: new MessageTag(counted, persisted) });
  typeNameByObjectName.set(objectName, typeName);
  MessageType[typeName] = typeName;
}
MessageType.UnknownMessage = 'UnknownMessage';

// `TextMessage.obtain(text)` sets `extra: ""`, which the positional form would leave out.
messageClasses.TextMessage.obtain = (content) =>
  new messageClasses.TextMessage({ content, extra: '' });

/** Content of an objectName nobody registered: `{message: {content, objectName}}`. */
export class UnknownMessage {
  constructor(content, objectName) {
    this.message = { content, objectName };
  }

  encode() {
    return typeof this.message.content === 'string'
      ? this.message.content
      : JSON.stringify(this.message.content);
  }
}
Object.defineProperty(UnknownMessage.prototype, 'messageName', { value: 'UnknownMessage' });
messageClasses.UnknownMessage = UnknownMessage;
