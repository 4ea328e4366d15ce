// Types of the `rongimlib-wasm` package: the RongIMLib 2.x API (RongIMClient, message contents,
// enums, ErrorCode, callback objects and listeners) as the façade in js-shim/src implements it.
// Every method that takes a callback object `{onSuccess, onError}` returns a Promise instead when
// the callback is omitted; the Promise rejects with an `RongIMLib.RequestError`.

declare namespace RongIMLib {
  // ---- callbacks and listeners ----

  /** `{onSuccess, onError}`: `onError(code, data)` gets an ErrorCode and, for sends, the message. */
  interface ResultCallback<T = void> {
    onSuccess(value: T): void;
    onError(code: ErrorCode | number, data?: any): void;
  }

  /** The history callbacks: `onSuccess(messages, hasMsg)`, oldest first. */
  interface HistoryCallback {
    onSuccess(messages: Message[], hasMsg: boolean): void;
    onError(code: ErrorCode | number, data?: any): void;
  }

  /** `sendMessage`'s callback; `onBefore(messageId)` runs once the message is on its way. */
  interface SendMessageCallback {
    onSuccess(message: Message): void;
    onError(code: ErrorCode | number, message: Message | null): void;
    onBefore?(messageId: string): void;
  }

  /** `connect`'s callback; without `onTokenIncorrect`, a refused token calls `onError(31004)`. */
  interface ConnectCallback {
    onSuccess(userId: string): void;
    onTokenIncorrect?(): void;
    onError(code: ErrorCode | number): void;
  }

  /** What a Promise form rejects with. */
  interface RequestError {
    code: ErrorCode | number;
    message: string;
    data: any;
  }

  interface ConnectionStatusListener {
    onChanged(status: ConnectionStatus): void;
  }

  interface ReceiveMessageListener {
    /** `left`: messages still to come in this batch; `hasMore`: the server holds more. */
    onReceived(message: Message, left?: number, hasMore?: boolean): void;
  }

  // ---- init options ----

  /** The `autoReconnect` init option: backoff in ms and how many attempts (unbounded if absent). */
  interface AutoReconnectOptions {
    initialMs?: number;
    maxMs?: number;
    jitterPercent?: number;
    maxAttempts?: number;
  }

  /** Key/value storage the SDK persists unread counts, drafts and sync state to. */
  interface Storage {
    get(key: string): string | null;
    set(key: string, value: string): void;
    remove(key: string): void;
    keys(): string[];
  }

  /** The third argument of `RongIMClient.init`. */
  interface InitOptions {
    /** Navigation server(s): `host[:port]` (e.g. `im.example.com` or `127.0.0.1:8080`). */
    navi?: string | string[];
    /** 2.x's name for `navi`. */
    navigaters?: string | string[];
    /** `'https:'` (navigation over https, socket over wss) or `'http:'` (http, ws). */
    protocol?: 'http:' | 'https:';
    /** Which navigation document to request: `navi.json` or `navi.js`. */
    naviFile?: 'navi.json' | 'navi.js';
    naviTimeout?: number;
    maxNaviRetry?: number;
    /** ms to wait for the server's CONNACK. */
    connectTimeout?: number;
    /** `false` turns automatic reconnection off. */
    autoReconnect?: false | AutoReconnectOptions;
    /** Where the SDK keeps its state instead of the host's storage. */
    storage?: Storage;
    /**
     * Where the wasm is: a URL in a browser (default: next to the script), a package path in a
     * mini program (default `/miniprogram_npm/rongimlib-wasm/im_wasm_bg.wasm.br`).
     */
    wasmPath?: string;
  }

  // ---- messages and conversations ----

  /** A user as message contents carry it. */
  interface UserInfo {
    id: string;
    name?: string;
    portraitUri?: string;
    extra?: string;
  }

  /** A message as `onReceived`, `onSuccess` of a send and the history methods give it. */
  class Message {
    constructor(fields?: Partial<Message>);
    conversationType: ConversationType;
    targetId: string;
    senderUserId: string;
    content: MessageContent;
    objectName: string;
    messageType: string;
    messageDirection: MessageDirection;
    messageUId?: string;
    sentTime: number;
    receivedTime?: number;
    receivedStatus?: ReceivedStatus;
    sentStatus?: SentStatus;
    messageId?: string;
    offLineMessage?: boolean;
    [field: string]: any;
  }

  /** The unread message that @mentions the user. */
  interface MentionedMsg {
    uid: string;
    time: number;
    mentionedInfo?: MentionedInfo;
  }

  /** A conversation as `getConversationList` and `getConversation` give it. */
  class Conversation {
    constructor(fields?: Partial<Conversation>);
    conversationType: ConversationType;
    targetId: string;
    conversationTitle?: string;
    latestMessage?: Message;
    latestMessageId?: string;
    objectName?: string;
    senderUserId?: string;
    /** The latest message's SentStatus, or what `updateConversation` set. */
    sentStatus?: SentStatus;
    /** The latest message's ReceivedStatus. */
    receivedStatus?: ReceivedStatus;
    /** Set by `updateConversation`. */
    senderUserName?: string;
    /** Set by `updateConversation`. */
    senderPortraitUri?: string;
    sentTime: number;
    unreadMessageCount: number;
    mentionedMsg?: MentionedMsg;
    notificationStatus: ConversationNotificationStatus;
  }

  /** `{id, name, creatorId, memberIdList, isOpen, openStatus}` from `getDiscussion`. */
  interface Discussion {
    id: string;
    name: string;
    creatorId: string;
    memberIdList: string[];
    isOpen: boolean;
    openStatus: DiscussionInviteStatus;
  }

  interface ChatRoomInfo {
    userTotalNums: number;
    userInfos: { id: string; time: number }[];
  }

  /** What the history methods' Promise forms resolve with. */
  interface HistoryResult {
    list: Message[];
    hasMsg: boolean;
  }

  /** Whether a content type is counted as unread and stored (`sessionId` flags on the wire). */
  class MessageTag {
    constructor(isCounted: boolean, isPersited: boolean);
    isCounted: boolean;
    /** (sic, the 2.x spelling) */
    isPersited: boolean;
    getMessageTag(): number;
    static getTagByStatus(status: number): MessageTag;
  }

  /** Who a message @mentions: `type` MentionedType.ALL or PART, with the user ids for PART. */
  class MentionedInfo {
    constructor(type: MentionedType, userIdList?: string[], mentionedContent?: string);
    type: MentionedType;
    userIdList: string[];
    mentionedContent?: string;
  }

  /** What every content class has: its type name and its JSON encoding. */
  abstract class MessageContent {
    readonly messageName: string;
    encode(): string;
  }

  /** The content of an objectName nobody registered. */
  class UnknownMessage extends MessageContent {
    constructor(content: any, objectName: string);
    message: { content: any; objectName: string };
  }

  /** A content class made by `RongIMClient.registerMessageType`. */
  interface RegisteredMessageClass {
    new (data?: Record<string, any>): MessageContent & Record<string, any>;
    obtain(...fields: any[]): MessageContent & Record<string, any>;
  }

  // ---- content classes (RongIMLib.TextMessage.obtain(...), new RongIMLib.ImageMessage({...})) ----

  /** RC:TxtMsg, counted, persisted. */
  class TextMessage extends MessageContent {
    constructor(data?: { content?: string; extra?: string; user?: UserInfo; mentionedInfo?: MentionedInfo; });
    content?: string;
    extra?: string;
    user?: UserInfo;
    mentionedInfo?: MentionedInfo;
    /** `{content, extra: ""}`, as 2.x's `TextMessage.obtain(text)`. */
    static obtain(content: string): TextMessage;
  }
  /** RC:ImgMsg, counted, persisted. */
  class ImageMessage extends MessageContent {
    constructor(data?: { content?: string; imageUri?: string; extra?: string; user?: UserInfo; mentionedInfo?: MentionedInfo; });
    content?: string;
    imageUri?: string;
    extra?: string;
    user?: UserInfo;
    mentionedInfo?: MentionedInfo;
    static obtain(content?: string, imageUri?: string, extra?: string, user?: UserInfo, mentionedInfo?: MentionedInfo): ImageMessage;
  }
  /** RC:VcMsg, counted, persisted. */
  class VoiceMessage extends MessageContent {
    constructor(data?: { content?: string; duration?: number; extra?: string; user?: UserInfo; mentionedInfo?: MentionedInfo; });
    content?: string;
    duration?: number;
    extra?: string;
    user?: UserInfo;
    mentionedInfo?: MentionedInfo;
    static obtain(content?: string, duration?: number, extra?: string, user?: UserInfo, mentionedInfo?: MentionedInfo): VoiceMessage;
  }
  /** RC:HQVCMsg, counted, persisted. */
  class HQVoiceMessage extends MessageContent {
    constructor(data?: { type?: any; localPath?: string; remoteUrl?: string; duration?: number; extra?: string; user?: UserInfo; });
    type?: any;
    localPath?: string;
    remoteUrl?: string;
    duration?: number;
    extra?: string;
    user?: UserInfo;
    static obtain(type?: any, localPath?: string, remoteUrl?: string, duration?: number, extra?: string, user?: UserInfo): HQVoiceMessage;
  }
  /** RC:ImgTextMsg, counted, persisted. */
  class RichContentMessage extends MessageContent {
    constructor(data?: { title?: string; content?: string; imageUri?: string; extra?: string; url?: string; user?: UserInfo; });
    title?: string;
    content?: string;
    imageUri?: string;
    extra?: string;
    url?: string;
    user?: UserInfo;
    static obtain(title?: string, content?: string, imageUri?: string, extra?: string, url?: string, user?: UserInfo): RichContentMessage;
  }
  /** RC:LBSMsg, counted, persisted. */
  class LocationMessage extends MessageContent {
    constructor(data?: { latitude?: number; longitude?: number; poi?: string; content?: string; extra?: string; user?: UserInfo; mentionedInfo?: MentionedInfo; });
    latitude?: number;
    longitude?: number;
    poi?: string;
    content?: string;
    extra?: string;
    user?: UserInfo;
    mentionedInfo?: MentionedInfo;
    static obtain(latitude?: number, longitude?: number, poi?: string, content?: string, extra?: string, user?: UserInfo, mentionedInfo?: MentionedInfo): LocationMessage;
  }
  /** RC:FileMsg, counted, persisted. */
  class FileMessage extends MessageContent {
    constructor(data?: { name?: string; size?: number; type?: any; fileUrl?: string; extra?: string; user?: UserInfo; });
    name?: string;
    size?: number;
    type?: any;
    fileUrl?: string;
    extra?: string;
    user?: UserInfo;
    static obtain(name?: string, size?: number, type?: any, fileUrl?: string, extra?: string, user?: UserInfo): FileMessage;
  }
  /** RC:CombineMsg, counted, persisted. */
  class RCCombineMessage extends MessageContent {
    constructor(data?: { nameList?: string[]; remoteUrl?: string; user?: UserInfo; summaryList?: string[]; });
    nameList?: string[];
    remoteUrl?: string;
    user?: UserInfo;
    summaryList?: string[];
    static obtain(nameList?: string[], remoteUrl?: string, user?: UserInfo, summaryList?: string[]): RCCombineMessage;
  }
  /** RC:PSImgTxtMsg: the whole object is kept under `richContentMessage`. */
  class PublicServiceRichContentMessage extends MessageContent {
    constructor(data?: any);
    richContentMessage: any;
    static obtain(data?: any): PublicServiceRichContentMessage;
  }
  /** RC:PSMultiImgTxtMsg: the whole object is kept under `richContentMessages`. */
  class PublicServiceMultiRichContentMessage extends MessageContent {
    constructor(data?: any);
    richContentMessages: any;
    static obtain(data?: any): PublicServiceMultiRichContentMessage;
  }
  /** RCJrmf:RpMsg: the whole object is kept under `message`. */
  class JrmfRedPacketMessage extends MessageContent {
    constructor(data?: any);
    message: any;
    static obtain(data?: any): JrmfRedPacketMessage;
  }
  /** RCJrmf:RpOpendMsg: the whole object is kept under `message`. */
  class JrmfRedPacketOpenedMessage extends MessageContent {
    constructor(data?: any);
    message: any;
    static obtain(data?: any): JrmfRedPacketOpenedMessage;
  }
  /** RC:InfoNtf, persisted. */
  class InformationNotificationMessage extends MessageContent {
    constructor(data?: { message?: string; extra?: string; user?: UserInfo; });
    message?: string;
    extra?: string;
    user?: UserInfo;
    static obtain(message?: string, extra?: string, user?: UserInfo): InformationNotificationMessage;
  }
  /** RC:ContactNtf, persisted. */
  class ContactNotificationMessage extends MessageContent {
    constructor(data?: { operation?: string; targetUserId?: string; message?: string; extra?: string; sourceUserId?: string; user?: UserInfo; });
    operation?: string;
    targetUserId?: string;
    message?: string;
    extra?: string;
    sourceUserId?: string;
    user?: UserInfo;
    static obtain(operation?: string, targetUserId?: string, message?: string, extra?: string, sourceUserId?: string, user?: UserInfo): ContactNotificationMessage;
  }
  /** RC:ProfileNtf, persisted. */
  class ProfileNotificationMessage extends MessageContent {
    constructor(data?: { operation?: string; data?: any; extra?: string; user?: UserInfo; });
    operation?: string;
    data?: any;
    extra?: string;
    user?: UserInfo;
    static obtain(operation?: string, data?: any, extra?: string, user?: UserInfo): ProfileNotificationMessage;
  }
  /** RC:CmdNtf, persisted. */
  class CommandNotificationMessage extends MessageContent {
    constructor(data?: { data?: any; name?: string; extra?: string; user?: UserInfo; });
    data?: any;
    name?: string;
    extra?: string;
    user?: UserInfo;
    static obtain(data?: any, name?: string, extra?: string, user?: UserInfo): CommandNotificationMessage;
  }
  /** RC:DizNtf, persisted. */
  class DiscussionNotificationMessage extends MessageContent {
    constructor(data?: { extra?: string; extension?: string; type?: any; isHasReceived?: boolean; operation?: string; user?: UserInfo; });
    extra?: string;
    extension?: string;
    type?: any;
    isHasReceived?: boolean;
    operation?: string;
    user?: UserInfo;
    static obtain(extra?: string, extension?: string, type?: any, isHasReceived?: boolean, operation?: string, user?: UserInfo): DiscussionNotificationMessage;
  }
  /** RC:GrpNtf, persisted. */
  class GroupNotificationMessage extends MessageContent {
    constructor(data?: { operatorUserId?: string; operation?: string; data?: any; message?: string; extra?: string; });
    operatorUserId?: string;
    operation?: string;
    data?: any;
    message?: string;
    extra?: string;
    static obtain(operatorUserId?: string, operation?: string, data?: any, message?: string, extra?: string): GroupNotificationMessage;
  }
  /** RC:RcCmd, persisted. */
  class RecallCommandMessage extends MessageContent {
    constructor(data?: { messageUId?: string; conversationType?: number; targetId?: string; sentTime?: number; extra?: string; user?: UserInfo; });
    messageUId?: string;
    conversationType?: number;
    targetId?: string;
    sentTime?: number;
    extra?: string;
    user?: UserInfo;
    static obtain(messageUId?: string, conversationType?: number, targetId?: string, sentTime?: number, extra?: string, user?: UserInfo): RecallCommandMessage;
  }
  /** RC:CmdMsg. */
  class CommandMessage extends MessageContent {
    constructor(data?: { data?: any; name?: string; extra?: string; });
    data?: any;
    name?: string;
    extra?: string;
    static obtain(data?: any, name?: string, extra?: string): CommandMessage;
  }
  /** RC:TypSts. */
  class TypingStatusMessage extends MessageContent {
    constructor(data?: { typingContentType?: string; data?: any; });
    typingContentType?: string;
    data?: any;
    static obtain(typingContentType?: string, data?: any): TypingStatusMessage;
  }
  /** RC:ReadNtf. */
  class ReadReceiptMessage extends MessageContent {
    constructor(data?: { lastMessageSendTime?: number; messageUId?: string; type?: any; });
    lastMessageSendTime?: number;
    messageUId?: string;
    type?: any;
    static obtain(lastMessageSendTime?: number, messageUId?: string, type?: any): ReadReceiptMessage;
  }
  /** RC:SRSMsg. */
  class SyncReadStatusMessage extends MessageContent {
    constructor(data?: { lastMessageSendTime?: number; });
    lastMessageSendTime?: number;
    static obtain(lastMessageSendTime?: number): SyncReadStatusMessage;
  }
  /** RC:RRReqMsg. */
  class ReadReceiptRequestMessage extends MessageContent {
    constructor(data?: { messageUId?: string; });
    messageUId?: string;
    static obtain(messageUId?: string): ReadReceiptRequestMessage;
  }
  /** RC:RRRspMsg. */
  class ReadReceiptResponseMessage extends MessageContent {
    constructor(data?: { receiptMessageDic?: Record<string, string[]>; });
    receiptMessageDic?: Record<string, string[]>;
    static obtain(receiptMessageDic?: Record<string, string[]>): ReadReceiptResponseMessage;
  }
  /** RC:PSCmd. */
  class PublicServiceCommandMessage extends MessageContent {
    constructor(data?: { content?: string; extra?: string; menuItem?: any; user?: UserInfo; mentionedInfo?: MentionedInfo; });
    content?: string;
    extra?: string;
    menuItem?: any;
    user?: UserInfo;
    mentionedInfo?: MentionedInfo;
    static obtain(content?: string, extra?: string, menuItem?: any, user?: UserInfo, mentionedInfo?: MentionedInfo): PublicServiceCommandMessage;
  }
  /** RC:chrmKVNotiMsg. */
  class ChrmKVNotificationMessage extends MessageContent {
    constructor(data?: { key?: any; value?: any; type?: any; extra?: string; user?: UserInfo; });
    key?: any;
    value?: any;
    type?: any;
    extra?: string;
    user?: UserInfo;
    static obtain(key?: any, value?: any, type?: any, extra?: string, user?: UserInfo): ChrmKVNotificationMessage;
  }
  /** RC:CsHs. */
  class HandShakeMessage extends MessageContent {
    constructor(data?: { requestInfo?: any; userInfo?: any; });
    requestInfo?: any;
    userInfo?: any;
    static obtain(requestInfo?: any, userInfo?: any): HandShakeMessage;
  }
  /** RC:CsHsR. */
  class HandShakeResponseMessage extends MessageContent {
    constructor(data?: { msg?: any; status?: any; data?: any; });
    msg?: any;
    status?: any;
    data?: any;
    static obtain(msg?: any, status?: any, data?: any): HandShakeResponseMessage;
  }
  /** RC:CSCha. */
  class ChangeModeMessage extends MessageContent {
    constructor(data?: { uid?: any; sid?: any; pid?: any; });
    uid?: any;
    sid?: any;
    pid?: any;
    static obtain(uid?: any, sid?: any, pid?: any): ChangeModeMessage;
  }
  /** RC:CsChaR. */
  class ChangeModeResponseMessage extends MessageContent {
    constructor(data?: { code?: any; data?: any; msg?: any; });
    code?: any;
    data?: any;
    msg?: any;
    static obtain(code?: any, data?: any, msg?: any): ChangeModeResponseMessage;
  }
  /** RC:CsEva. */
  class EvaluateMessage extends MessageContent {
    constructor(data?: { uid?: any; sid?: any; pid?: any; source?: any; suggest?: any; isresolve?: any; type?: any; });
    uid?: any;
    sid?: any;
    pid?: any;
    source?: any;
    suggest?: any;
    isresolve?: any;
    type?: any;
    static obtain(uid?: any, sid?: any, pid?: any, source?: any, suggest?: any, isresolve?: any, type?: any): EvaluateMessage;
  }
  /** RC:CsSp. */
  class SuspendMessage extends MessageContent {
    constructor(data?: { uid?: any; sid?: any; pid?: any; });
    uid?: any;
    sid?: any;
    pid?: any;
    static obtain(uid?: any, sid?: any, pid?: any): SuspendMessage;
  }
  /** RC:CsEnd. */
  class TerminateMessage extends MessageContent {
    constructor(data?: { code?: any; msg?: any; sid?: any; });
    code?: any;
    msg?: any;
    sid?: any;
    static obtain(code?: any, msg?: any, sid?: any): TerminateMessage;
  }
  /** RC:CsUpdate. */
  class CustomerStatusUpdateMessage extends MessageContent {
    constructor(data?: { serviceStatus?: any; sid?: any; });
    serviceStatus?: any;
    sid?: any;
    static obtain(serviceStatus?: any, sid?: any): CustomerStatusUpdateMessage;
  }
  /** RC:CsContact. */
  class CustomerContact extends MessageContent {
    constructor(data?: { page?: any; nickName?: any; routingInfo?: any; info?: any; requestInfo?: any; });
    page?: any;
    nickName?: any;
    routingInfo?: any;
    info?: any;
    requestInfo?: any;
    static obtain(page?: any, nickName?: any, routingInfo?: any, info?: any, requestInfo?: any): CustomerContact;
  }
  /** RC:VCAccept. */
  class AcceptMessage extends MessageContent {
    constructor(data?: { mediaId?: any; callId?: any; mediaType?: any; mode?: any; subInfo?: any; });
    mediaId?: any;
    callId?: any;
    mediaType?: any;
    mode?: any;
    subInfo?: any;
    static obtain(mediaId?: any, callId?: any, mediaType?: any, mode?: any, subInfo?: any): AcceptMessage;
  }
  /** RC:VCRinging. */
  class RingingMessage extends MessageContent {
    constructor(data?: { callId?: any; });
    callId?: any;
    static obtain(callId?: any): RingingMessage;
  }
  /** RC:VCSummary. */
  class SummaryMessage extends MessageContent {
    constructor(data?: { caller?: any; inviter?: any; mediaType?: any; memberIdList?: any; startTime?: any; connectedTime?: any; duration?: number; status?: any; });
    caller?: any;
    inviter?: any;
    mediaType?: any;
    memberIdList?: any;
    startTime?: any;
    connectedTime?: any;
    duration?: number;
    status?: any;
    static obtain(caller?: any, inviter?: any, mediaType?: any, memberIdList?: any, startTime?: any, connectedTime?: any, duration?: number, status?: any): SummaryMessage;
  }
  /** RC:VCHangup. */
  class HungupMessage extends MessageContent {
    constructor(data?: { callId?: any; reason?: any; mode?: any; subInfo?: any; });
    callId?: any;
    reason?: any;
    mode?: any;
    subInfo?: any;
    static obtain(callId?: any, reason?: any, mode?: any, subInfo?: any): HungupMessage;
  }
  /** RC:VCInvite. */
  class InviteMessage extends MessageContent {
    constructor(data?: { mediaId?: any; callId?: any; engineType?: any; channelInfo?: any; mediaType?: any; extra?: string; inviteUserIds?: any; observerUserIds?: any; mode?: any; subInfo?: any; });
    mediaId?: any;
    callId?: any;
    engineType?: any;
    channelInfo?: any;
    mediaType?: any;
    extra?: string;
    inviteUserIds?: any;
    observerUserIds?: any;
    mode?: any;
    subInfo?: any;
    static obtain(mediaId?: any, callId?: any, engineType?: any, channelInfo?: any, mediaType?: any, extra?: string, inviteUserIds?: any, observerUserIds?: any, mode?: any, subInfo?: any): InviteMessage;
  }
  /** RC:VCModifyMedia. */
  class MediaModifyMessage extends MessageContent {
    constructor(data?: { callId?: any; mediaType?: any; mode?: any; subInfo?: any; });
    callId?: any;
    mediaType?: any;
    mode?: any;
    subInfo?: any;
    static obtain(callId?: any, mediaType?: any, mode?: any, subInfo?: any): MediaModifyMessage;
  }
  /** RC:VCModifyMem. */
  class MemberModifyMessage extends MessageContent {
    constructor(data?: { modifyMemType?: any; callId?: any; caller?: any; engineType?: any; channelInfo?: any; mediaType?: any; extra?: string; inviteUserIds?: any; existedMemberStatusList?: any; existedUserPofiles?: any; observerUserIds?: any; mode?: any; subInfo?: any; });
    modifyMemType?: any;
    callId?: any;
    caller?: any;
    engineType?: any;
    channelInfo?: any;
    mediaType?: any;
    extra?: string;
    inviteUserIds?: any;
    existedMemberStatusList?: any;
    existedUserPofiles?: any;
    observerUserIds?: any;
    mode?: any;
    subInfo?: any;
    static obtain(modifyMemType?: any, callId?: any, caller?: any, engineType?: any, channelInfo?: any, mediaType?: any, extra?: string, inviteUserIds?: any, existedMemberStatusList?: any, existedUserPofiles?: any, observerUserIds?: any, mode?: any, subInfo?: any): MemberModifyMessage;
  }

  // ---- enums: the 2.x names and values ----

  const BlacklistStatus: {
    readonly IN_BLACK_LIST: 0;
    readonly NOT_IN_BLACK_LIST: 1;
  };
  type BlacklistStatus = (typeof BlacklistStatus)[keyof typeof BlacklistStatus];
  const ConnectionChannel: {
    readonly XHR_POLLING: 0;
    readonly WEBSOCKET: 1;
    readonly HTTP: 0;
    readonly HTTPS: 1;
  };
  type ConnectionChannel = (typeof ConnectionChannel)[keyof typeof ConnectionChannel];
  const ConnectionState: {
    readonly ACCEPTED: 0;
    readonly UNACCEPTABLE_PROTOCOL_VERSION: 1;
    readonly IDENTIFIER_REJECTED: 2;
    readonly SERVER_UNAVAILABLE: 3;
    readonly TOKEN_INCORRECT: 4;
    readonly NOT_AUTHORIZED: 5;
    readonly REDIRECT: 6;
    readonly PACKAGE_ERROR: 7;
    readonly APP_BLOCK_OR_DELETE: 8;
    readonly BLOCK: 9;
    readonly TOKEN_EXPIRE: 10;
    readonly DEVICE_ERROR: 11;
  };
  type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];
  const ConnectionStatus: {
    readonly CONNECTED: 0;
    readonly CONNECTING: 1;
    readonly DISCONNECTED: 2;
    readonly NETWORK_UNAVAILABLE: 3;
    readonly CONNECTION_CLOSED: 4;
    readonly KICKED_OFFLINE_BY_OTHER_CLIENT: 6;
    readonly WEBSOCKET_UNAVAILABLE: 7;
    readonly WEBSOCKET_ERROR: 8;
    readonly DOMAIN_INCORRECT: 12;
    readonly APPKEY_IS_FAKE: 20;
    readonly REQUEST_NAVI: 201;
    readonly RESPONSE_NAVI: 202;
    readonly RESPONSE_NAVI_ERROR: 203;
    readonly RESPONSE_NAVI_TIMEOUT: 204;
    readonly ULTRALIMIT: 1101;
  };
  type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];
  const ConversationNotificationStatus: {
    readonly DO_NOT_DISTURB: 0;
    readonly NOTIFY: 1;
  };
  type ConversationNotificationStatus = (typeof ConversationNotificationStatus)[keyof typeof ConversationNotificationStatus];
  const ConversationType: {
    readonly NONE: 0;
    readonly PRIVATE: 1;
    readonly DISCUSSION: 2;
    readonly GROUP: 3;
    readonly CHATROOM: 4;
    readonly CUSTOMER_SERVICE: 5;
    readonly SYSTEM: 6;
    readonly APP_PUBLIC_SERVICE: 7;
    readonly PUBLIC_SERVICE: 8;
    readonly RTC: 12;
  };
  type ConversationType = (typeof ConversationType)[keyof typeof ConversationType];
  const CustomerType: {
    readonly ONLY_ROBOT: 1;
    readonly ONLY_HUMAN: 2;
    readonly ROBOT_FIRST: 3;
    readonly HUMAN_FIRST: 4;
  };
  type CustomerType = (typeof CustomerType)[keyof typeof CustomerType];
  const DiscussionInviteStatus: {
    readonly OPENED: 0;
    readonly CLOSED: 1;
  };
  type DiscussionInviteStatus = (typeof DiscussionInviteStatus)[keyof typeof DiscussionInviteStatus];
  const ErrorCode: {
    readonly PARAMETER_ERROR: -3;
    readonly UNKNOWN: -2;
    readonly TIMEOUT: -1;
    readonly SUCCESS: 0;
    readonly CANCEL: 1;
    readonly REJECT: 2;
    readonly HANGUP: 3;
    readonly BUSYLINE: 4;
    readonly NO_RESPONSE: 5;
    readonly ENGINE_UN_SUPPORTED: 6;
    readonly NETWORK_ERROR: 7;
    readonly REMOTE_CANCEL: 11;
    readonly REMOTE_REJECT: 12;
    readonly REMOTE_HANGUP: 13;
    readonly REMOTE_BUSYLINE: 14;
    readonly REMOTE_NO_RESPONSE: 15;
    readonly REMOTE_ENGINE_UN_SUPPORTED: 16;
    readonly REMOTE_NETWORK_ERROR: 17;
    readonly VOIP_NOT_AVALIABLE: 18;
    readonly REJECTED_BY_BLACKLIST: 405;
    readonly RC_MSG_UNAUTHORIZED: 20406;
    readonly RC_DISCUSSION_GROUP_ID_INVALID: 20407;
    readonly SEND_FREQUENCY_TOO_FAST: 20604;
    readonly NOT_IN_DISCUSSION: 21406;
    readonly JOIN_IN_DISCUSSION: 21407;
    readonly CREATE_DISCUSSION: 21408;
    readonly INVITE_DICUSSION: 21409;
    readonly SENSITIVE_SHIELD: 21501;
    readonly SENSITIVE_REPLACE: 21502;
    readonly NOT_IN_GROUP: 22406;
    readonly FORBIDDEN_IN_GROUP: 22408;
    readonly NOT_IN_CHATROOM: 23406;
    readonly GET_USERINFO_ERROR: 23407;
    readonly FORBIDDEN_IN_CHATROOM: 23408;
    readonly RC_CHATROOM_USER_KICKED: 23409;
    readonly RC_CHATROOM_NOT_EXIST: 23410;
    readonly RC_CHATROOM_IS_FULL: 23411;
    readonly RC_CHATROOM_PATAMETER_INVALID: 23412;
    readonly CHATROOM_GET_HISTORYMSG_ERROR: 23413;
    readonly CHATROOM_NOT_OPEN_HISTORYMSG_STORE: 23414;
    readonly CHATROOM_KV_EXCEED: 23423;
    readonly CHATROOM_KV_OVERWRITE_INVALID: 23424;
    readonly CHATROOM_KV_STORE_NOT_OPEN: 23426;
    readonly CHATROOM_KEY_NOT_EXIST: 23427;
    readonly HAVNODEVICEID: 24001;
    readonly DEVICEIDISHAVE: 24002;
    readonly FEILD: 24009;
    readonly NOENGINETYPE: 24010;
    readonly NULLCHANNELNAME: 24011;
    readonly VOIPDYANMICERROR: 24012;
    readonly VOIPISNULL: 24013;
    readonly NOVOIP: 24014;
    readonly INTERNALERRROR: 24015;
    readonly VOIPCLOSE: 24016;
    readonly RECALL_MESSAGE: 25101;
    readonly RC_NET_CHANNEL_INVALID: 30001;
    readonly RC_NET_UNAVAILABLE: 30002;
    readonly RC_MSG_RESP_TIMEOUT: 30003;
    readonly RC_HTTP_SEND_FAIL: 30004;
    readonly RC_HTTP_REQ_TIMEOUT: 30005;
    readonly RC_HTTP_RECV_FAIL: 30006;
    readonly RC_NAVI_RESOURCE_ERROR: 30007;
    readonly RC_NODE_NOT_FOUND: 30008;
    readonly RC_DOMAIN_NOT_RESOLVE: 30009;
    readonly RC_SOCKET_NOT_CREATED: 30010;
    readonly RC_SOCKET_DISCONNECTED: 30011;
    readonly RC_PING_SEND_FAIL: 30012;
    readonly RC_PONG_RECV_FAIL: 30013;
    readonly RC_MSG_SEND_FAIL: 30014;
    readonly RC_CONN_ACK_TIMEOUT: 31000;
    readonly RC_CONN_PROTO_VERSION_ERROR: 31001;
    readonly RC_CONN_ID_REJECT: 31002;
    readonly RC_CONN_SERVER_UNAVAILABLE: 31003;
    readonly RC_CONN_USER_OR_PASSWD_ERROR: 31004;
    readonly RC_CONN_NOT_AUTHRORIZED: 31005;
    readonly RC_CONN_REDIRECTED: 31006;
    readonly RC_CONN_PACKAGE_NAME_INVALID: 31007;
    readonly RC_CONN_APP_BLOCKED_OR_DELETED: 31008;
    readonly RC_CONN_USER_BLOCKED: 31009;
    readonly RC_DISCONN_KICK: 31010;
    readonly RC_DISCONN_EXCEPTION: 31011;
    readonly RC_QUERY_ACK_NO_DATA: 32001;
    readonly RC_MSG_DATA_INCOMPLETE: 32002;
    readonly BIZ_ERROR_CLIENT_NOT_INIT: 33001;
    readonly BIZ_ERROR_DATABASE_ERROR: 33002;
    readonly BIZ_ERROR_INVALID_PARAMETER: 33003;
    readonly BIZ_ERROR_NO_CHANNEL: 33004;
    readonly BIZ_ERROR_RECONNECT_SUCCESS: 33005;
    readonly BIZ_ERROR_CONNECTING: 33006;
    readonly MSG_ROAMING_SERVICE_UNAVAILABLE: 33007;
    readonly MSG_INSERT_ERROR: 33008;
    readonly MSG_DEL_ERROR: 33009;
    readonly CONVER_REMOVE_ERROR: 34001;
    readonly CONVER_GETLIST_ERROR: 34002;
    readonly CONVER_SETOP_ERROR: 34003;
    readonly CONVER_TOTAL_UNREAD_ERROR: 34004;
    readonly CONVER_TYPE_UNREAD_ERROR: 34005;
    readonly CONVER_ID_TYPE_UNREAD_ERROR: 34006;
    readonly CONVER_CLEAR_ERROR: 34007;
    readonly CLEAR_HIS_TYPE_ERROR: 34008;
    readonly CONVER_GET_ERROR: 34009;
    readonly CLEAR_HIS_ERROR: 34010;
    readonly CLEAR_HIS_TIME_ERROR: 34011;
    readonly GROUP_SYNC_ERROR: 35001;
    readonly GROUP_MATCH_ERROR: 35002;
    readonly CHATROOM_ID_ISNULL: 36001;
    readonly CHARTOOM_JOIN_ERROR: 36002;
    readonly CHATROOM_HISMESSAGE_ERROR: 36003;
    readonly CHATROOM_KV_NOT_FOUND: 36004;
    readonly BLACK_ADD_ERROR: 37001;
    readonly BLACK_GETSTATUS_ERROR: 37002;
    readonly BLACK_REMOVE_ERROR: 37003;
    readonly DRAF_GET_ERROR: 38001;
    readonly DRAF_SAVE_ERROR: 38002;
    readonly DRAF_REMOVE_ERROR: 38003;
    readonly SUBSCRIBE_ERROR: 39001;
    readonly QNTKN_FILETYPE_ERROR: 41001;
    readonly QNTKN_GET_ERROR: 41002;
    readonly CLOSE_BEFORE_OPEN: 51001;
    readonly COOKIE_ENABLE: 51001;
    readonly ALREADY_IN_USE: 51002;
    readonly INVALID_CHANNEL_NAME: 51003;
    readonly VIDEO_CONTAINER_IS_NULL: 51004;
    readonly DELETE_MESSAGE_ID_IS_NULL: 61001;
    readonly GET_MESSAGE_BY_ID_ERROR: 61001;
  };
  type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
  const FileType: {
    readonly IMAGE: 1;
    readonly AUDIO: 2;
    readonly VIDEO: 3;
    readonly FILE: 4;
  };
  type FileType = (typeof FileType)[keyof typeof FileType];
  const GetChatRoomType: {
    readonly NONE: 0;
    readonly SQQUENCE: 1;
    readonly REVERSE: 2;
  };
  type GetChatRoomType = (typeof GetChatRoomType)[keyof typeof GetChatRoomType];
  const MediaType: {
    readonly IMAGE: 1;
    readonly AUDIO: 2;
    readonly VIDEO: 3;
    readonly FILE: 100;
  };
  type MediaType = (typeof MediaType)[keyof typeof MediaType];
  const MentionedType: {
    readonly ALL: 1;
    readonly PART: 2;
  };
  type MentionedType = (typeof MentionedType)[keyof typeof MentionedType];
  const MessageDirection: {
    readonly SEND: 1;
    readonly RECEIVE: 2;
  };
  type MessageDirection = (typeof MessageDirection)[keyof typeof MessageDirection];
  const MethodType: {
    readonly CUSTOMER_SERVICE: 1;
    readonly RECALL: 2;
  };
  type MethodType = (typeof MethodType)[keyof typeof MethodType];
  const ReadStatus: {
    readonly UNREAD: 0;
    readonly READ: 1;
    readonly LISTENED: 2;
    readonly DOWNLOADED: 4;
    readonly RETRIEVED: 8;
  };
  type ReadStatus = (typeof ReadStatus)[keyof typeof ReadStatus];
  const ReceivedStatus: {
    readonly UNREAD: 0;
    readonly READ: 1;
    readonly LISTENED: 2;
    readonly DOWNLOADED: 4;
    readonly RETRIEVED: 8;
  };
  type ReceivedStatus = (typeof ReceivedStatus)[keyof typeof ReceivedStatus];
  const SearchType: {
    readonly EXACT: 0;
    readonly FUZZY: 1;
  };
  type SearchType = (typeof SearchType)[keyof typeof SearchType];
  const SentStatus: {
    readonly SENDING: 10;
    readonly FAILED: 20;
    readonly SENT: 30;
    readonly RECEIVED: 40;
    readonly READ: 50;
    readonly DESTROYED: 60;
  };
  type SentStatus = (typeof SentStatus)[keyof typeof SentStatus];

  // ---- the client ----

  /** The argument of `clearRemoteHistoryMessages`. */
  interface ClearHistoryParams {
    conversationType: ConversationType;
    targetId: string;
    /** Messages up to this time (ms) go. */
    timestamp: number;
  }

  /** The last argument of `sendMessage`. */
  interface SendMessageParams {
    /** Group messages only to these members. */
    userIds?: string[];
    isPush?: boolean;
    isVoipPush?: boolean;
    isFilerWhiteBlacklist?: boolean;
  }

  /** The `config` of `RongIMClient.reconnect`. */
  interface ReconnectConfig {
    auto?: boolean;
    url?: string;
    /** Delays (ms) between attempts. */
    rate?: number[];
  }

  class RongIMClient {
    private constructor();

    /** Sets the app key and options; returns the instance. Throws a TypeError without an app key. */
    static init(appKey: string, dataAccessProvider?: null, options?: InitOptions): RongIMClient;
    /** The instance made by `init`; throws before it. */
    static getInstance(): RongIMClient;
    static connect(token: string, callback: ConnectCallback): void;
    static connect(token: string): Promise<string>;
    static reconnect(callback: ConnectCallback, config?: ReconnectConfig): void;
    static reconnect(callback?: null, config?: ReconnectConfig): Promise<string>;
    static setConnectionStatusListener(listener: ConnectionStatusListener): void;
    static statusWatch(watcher: (status: ConnectionStatus) => void): void;
    static setOnReceiveMessageListener(listener: ReceiveMessageListener): void;
    /** Registers a custom content type; the class is also at `RongIMClient.RegisterMessage[typeName]`. */
    static registerMessageType(
      typeName: string,
      objectName: string,
      messageTag: MessageTag,
      fields: string[],
    ): RegisteredMessageClass;
    /** typeName → typeName, for the built-in and registered types. */
    static MessageType: Record<string, string>;
    static MessageParams: Map<string, { objectName: string; tag: MessageTag }>;
    static RegisterMessage: Record<string, RegisteredMessageClass>;

    // messages
    sendMessage(
      conversationType: ConversationType,
      targetId: string,
      content: MessageContent,
      callback: SendMessageCallback,
      mentiondMsg?: boolean,
      pushText?: string | null,
      appData?: string | null,
      methodType?: number | null,
      params?: SendMessageParams | null,
    ): void;
    sendMessage(
      conversationType: ConversationType,
      targetId: string,
      content: MessageContent,
      callback?: null,
      mentiondMsg?: boolean,
      pushText?: string | null,
      appData?: string | null,
      methodType?: number | null,
      params?: SendMessageParams | null,
    ): Promise<Message>;
    sendTextMessage(conversationType: ConversationType, targetId: string, text: string, callback: SendMessageCallback): void;
    sendTextMessage(conversationType: ConversationType, targetId: string, text: string): Promise<Message>;
    /** Sends RC:TypSts for the content type `messageName` (e.g. `'TextMessage'`). */
    sendTypingStatusMessage(conversationType: ConversationType, targetId: string, messageName: string, callback: ResultCallback): void;
    sendTypingStatusMessage(conversationType: ConversationType, targetId: string, messageName: string): Promise<void>;
    /** Recalls a message this user sent. */
    sendRecallMessage(message: Message, callback: ResultCallback<Message>): void;
    sendRecallMessage(message: Message): Promise<Message>;

    // connection and state
    disconnect(): void;
    logout(): void;
    getCurrentConnectionStatus(): ConnectionStatus;
    getConnectionChannel(): ConnectionChannel;
    getStorageProvider(): string;
    getCurrentUserId(): string;
    /** Local clock minus server clock, in ms, measured at connect. */
    getDeltaTime(): number;
    getAppInfo(): { appKey: string };
    getSDKInfo(): { version: string };
    /** The navigation document the last connect used (`{}` before). */
    getNavi(): Record<string, any>;
    /** Keeps only these objectNames among chatroom messages. */
    setFilterMessages(objectNames: string[]): void;
    clearListeners(): void;
    /** Removes what this app key stored in the host storage. */
    clearLocalStorage(callback?: () => void): void;

    // conversations, unread counts, drafts
    getConversationList(callback: ResultCallback<Conversation[]>, conversationTypes?: ConversationType[] | null, count?: number): void;
    getConversationList(callback?: null, conversationTypes?: ConversationType[] | null, count?: number): Promise<Conversation[]>;
    getConversation(conversationType: ConversationType, targetId: string, callback: ResultCallback<Conversation | null>): void;
    getConversation(conversationType: ConversationType, targetId: string): Promise<Conversation | null>;
    /** Sets `conversationTitle`; returns the updated conversation, or null when it is not listed. */
    updateConversation(conversation: Conversation): Conversation | null;
    removeConversation(conversationType: ConversationType, targetId: string, callback: ResultCallback<boolean>): void;
    removeConversation(conversationType: ConversationType, targetId: string): Promise<boolean>;
    clearConversations(callback: ResultCallback<boolean>, ...conversationTypes: ConversationType[]): void;
    clearConversations(callback?: null, ...conversationTypes: ConversationType[]): Promise<boolean>;
    getTotalUnreadCount(callback: ResultCallback<number>, conversationTypes?: ConversationType[]): void;
    getTotalUnreadCount(callback?: null, conversationTypes?: ConversationType[]): Promise<number>;
    getConversationUnreadCount(conversationTypes: ConversationType[], callback: ResultCallback<number>): void;
    getConversationUnreadCount(conversationTypes: ConversationType[]): Promise<number>;
    getUnreadCount(conversationType: ConversationType, targetId: string, callback: ResultCallback<number>): void;
    getUnreadCount(conversationType: ConversationType, targetId: string): Promise<number>;
    clearUnreadCount(conversationType: ConversationType, targetId: string, callback: ResultCallback<boolean>): void;
    clearUnreadCount(conversationType: ConversationType, targetId: string): Promise<boolean>;
    saveTextMessageDraft(conversationType: ConversationType, targetId: string, value: string): boolean;
    getTextMessageDraft(conversationType: ConversationType, targetId: string): string | undefined;
    clearTextMessageDraft(conversationType: ConversationType, targetId: string): boolean;

    // history
    /** `timestamp` null continues from the previous call, 0 starts from the newest; `count` 1–20; `order` 0 older, 1 newer. */
    getHistoryMessages(
      conversationType: ConversationType,
      targetId: string,
      timestamp: number | null,
      count: number,
      callback: HistoryCallback,
      objectName?: string | null,
      order?: 0 | 1,
    ): void;
    getHistoryMessages(
      conversationType: ConversationType,
      targetId: string,
      timestamp: number | null,
      count: number,
      callback?: null,
      objectName?: string | null,
      order?: 0 | 1,
    ): Promise<HistoryResult>;
    clearRemoteHistoryMessages(params: ClearHistoryParams, callback: ResultCallback<boolean>): void;
    clearRemoteHistoryMessages(params: ClearHistoryParams): Promise<boolean>;
    clearHistoryMessages(params: ClearHistoryParams, callback: ResultCallback<boolean>): void;
    clearHistoryMessages(params: ClearHistoryParams): Promise<boolean>;

    // blacklist
    addToBlacklist(userId: string, callback: ResultCallback): void;
    addToBlacklist(userId: string): Promise<void>;
    removeFromBlacklist(userId: string, callback: ResultCallback): void;
    removeFromBlacklist(userId: string): Promise<void>;
    getBlacklist(callback: ResultCallback<string[]>): void;
    getBlacklist(): Promise<string[]>;
    getBlacklistStatus(userId: string, callback: ResultCallback<'IN_BLACK_LIST' | 'NOT_IN_BLACK_LIST'>): void;
    getBlacklistStatus(userId: string): Promise<'IN_BLACK_LIST' | 'NOT_IN_BLACK_LIST'>;

    // discussions
    createDiscussion(name: string, userIds: string[], callback: ResultCallback<string>): void;
    createDiscussion(name: string, userIds: string[]): Promise<string>;
    addMemberToDiscussion(discussionId: string, userIds: string[], callback: ResultCallback): void;
    addMemberToDiscussion(discussionId: string, userIds: string[]): Promise<void>;
    getDiscussion(discussionId: string, callback: ResultCallback<Discussion>): void;
    getDiscussion(discussionId: string): Promise<Discussion>;
    quitDiscussion(discussionId: string, callback: ResultCallback): void;
    quitDiscussion(discussionId: string): Promise<void>;
    removeMemberFromDiscussion(discussionId: string, userId: string, callback: ResultCallback): void;
    removeMemberFromDiscussion(discussionId: string, userId: string): Promise<void>;
    setDiscussionInviteStatus(discussionId: string, status: DiscussionInviteStatus, callback: ResultCallback): void;
    setDiscussionInviteStatus(discussionId: string, status: DiscussionInviteStatus): Promise<void>;
    setDiscussionName(discussionId: string, name: string, callback: ResultCallback): void;
    setDiscussionName(discussionId: string, name: string): Promise<void>;

    // chatrooms
    /** The `count` latest messages (0 or −1: none) then reach the receive listeners. */
    joinChatRoom(chatroomId: string, count: number, callback: ResultCallback): void;
    joinChatRoom(chatroomId: string, count: number): Promise<void>;
    quitChatRoom(chatroomId: string, callback: ResultCallback): void;
    quitChatRoom(chatroomId: string): Promise<void>;
    getChatRoomInfo(chatroomId: string, count: number, order: GetChatRoomType, callback: ResultCallback<ChatRoomInfo>): void;
    getChatRoomInfo(chatroomId: string, count: number, order: GetChatRoomType): Promise<ChatRoomInfo>;
    setChatroomHisMessageTimestamp(chatroomId: string, timestamp: number): void;
    getChatRoomHistoryMessages(chatroomId: string, count: number, order: 0 | 1, callback: HistoryCallback): void;
    getChatRoomHistoryMessages(chatroomId: string, count: number, order?: 0 | 1): Promise<HistoryResult>;
  }

  /** Options of `createRongIMLib`: a mini-program `wx` object (Node and mini program). */
  interface CreateOptions {
    wx?: any;
    platform?: any;
  }

  /** A fresh, independent namespace with its own RongIMClient (e.g. two users in one process). */
  function createRongIMLib(options?: CreateOptions): typeof RongIMLib;
}

// ---- ES module exports ----
export default RongIMLib;
export declare const RongIMClient: typeof RongIMLib.RongIMClient;
export declare const createRongIMLib: typeof RongIMLib.createRongIMLib;
export { RongIMLib };
