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

  /** `getFileToken`'s value: an upload token and when it expires (ms). */
  interface FileToken {
    deadline: number;
    token: string;
  }

  /** A user's status as `getUserStatus` and the `setUserStatusListener` listener get it. */
  interface UserStatusInfo {
    userId: string;
    /** The status JSON's `us` object renamed (`o`, `p`, `s`); its raw text when it has none. */
    status: { online: number; platform: string[]; status: number; [key: string]: any } | string;
  }

  /** `setUserStatusListener`'s parameters: the users to watch; `multiple` keeps earlier listeners. */
  interface UserStatusListenerParams {
    userIds: string[];
    multiple?: boolean;
  }

  /** `addRealTimeLocationListener`'s listener (2.5.3's `RealTimeLocationListener`). */
  interface RealTimeLocationListener {
    onError(errorCode: RealTimeLocationErrorCode): void;
    onParticipantsJoin?(userId: string): void;
    onParticipantsQuit?(userId: string): void;
    onReceiveLocation?(latitude: number, longitude: number, userId: string): void;
    onStatusChange?(status: RealTimeLocationStatus): void;
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
    /**
     * The host `hasRemoteUnreadMessages` asks (`host[:port]`); by default the first `navi` host
     * (RongCloud's API host when `navi` is not given).
     */
    api?: string;
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
    /**
     * `true`: a message sent while disconnected, or whose PUBACK a lost connection took, waits
     * (also across a reload) and is sent when the connection is back, in order per
     * conversation; `onSuccess` comes then, `onError` only for a refusal or after
     * `outboxExpiryMs`. Off by default (2.x: such a send fails).
     */
    outbox?: boolean;
    /** How long the outbox keeps a send, in ms from the call (default 24 h); then `onError(-1)`. */
    outboxExpiryMs?: number;
    /**
     * Where the SDK keeps its state instead of the host's storage: a Storage, or a 2.x
     * StorageProvider (such as `new RongIMLib.MemeoryProvider()`).
     */
    storage?: Storage | StorageProvider;
    /** `false`: `RongIMClient.logger` does not call `showError`. */
    showError?: boolean;
    /**
     * Where the wasm is: a URL in a browser (default: next to the script), a package path in a
     * mini program (default `/miniprogram_npm/rongimlib-wasm/im_wasm_bg.wasm.br`).
     */
    wasmPath?: string;
  }

  // ---- messages and conversations ----

  /** A user as message contents carry it (a plain object does as well). */
  class UserInfo {
    constructor(id: string, name?: string, portraitUri?: string);
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
    /** Group read receipts of an own message asked about: `{[messageUId]: readerIds}`. */
    receiptResponse?: { [messageUId: string]: string[] };
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
    /** 2.x's positional form. */
    constructor(conversationTitle?: string, conversationType?: ConversationType, draft?: string, isTop?: boolean, latestMessage?: any, latestMessageId?: string, notificationStatus?: ConversationNotificationStatus, objectName?: string, receivedStatus?: ReceivedStatus, receivedTime?: number, senderUserId?: string, senderUserName?: string, sentStatus?: SentStatus, sentTime?: number, targetId?: string, unreadMessageCount?: number, senderPortraitUri?: string, isHidden?: boolean, mentionedMsg?: any, hasUnreadMention?: boolean, _readTime?: number);
    /** Pins it for the user (`setConversationToTop`); 2.5.3 only moved it to the front of the page's list. */
    setTop(): void;
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
    /** The user's setting, kept by the server (`setConversationNotificationStatus`). */
    notificationStatus: ConversationNotificationStatus;
    /** Pinned (`setConversationToTop`): listed first. Kept by the server for the user. */
    isTop: boolean;
    /** Hidden (`setConversationHidden`): listed only when asked for. Kept by the server. */
    isHidden: boolean;
  }

  /** A conversation's data, as a Conversation or a plain object with its fields. */
  type ConversationFields = Pick<Conversation, 'conversationType' | 'targetId'> & Partial<Omit<Conversation, 'setTop'>>;

  /** `getNotificationQuietHours`'s callback: `onSuccess(startTime, spanMinutes)`. */
  interface QuietHoursCallback {
    onSuccess(startTime: string, spanMinutes: number): void;
    onError(code: ErrorCode | number, data?: any): void;
  }

  /** `{id, name, creatorId, memberIdList, isOpen, openStatus}` from `getDiscussion`. */
  class Discussion {
    constructor(creatorId?: string, id?: string, memberIdList?: string[], name?: string, isOpen?: boolean);
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

  /** The `chatroomEntry` argument of `setChatroomEntry` and the other entry writes. */
  interface ChatroomEntry {
    /** 1–128 characters of `[A-Za-z0-9_=+-]`, else `onError(33003)`. */
    key: string;
    /** 1–4096 characters, else `onError(33003)`; not used by the removals. */
    value?: string;
    /** The server removes the entry when its setter leaves the room. */
    isAutoDelete?: boolean;
    /** The room gets an `RC:chrmKVNotiMsg` (ChrmKVNotificationMessage) about the change. */
    isSendNotification?: boolean;
    /** The notification's `extra`. */
    notificationExtra?: string;
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

  /** The base of every content class: its type name and its JSON encoding (of its own fields). */
  abstract class MessageContent {
    readonly messageName: string;
    encode(): string;
    /** `new this(...args)`. */
    static obtain(...args: any[]): MessageContent;
  }
  /** The base of the `*Ntf` contents (persisted, not counted). */
  abstract class NotificationMessage extends MessageContent {}
  /** The base of status contents. */
  abstract class StatusMessage extends MessageContent {}

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
  class InformationNotificationMessage extends NotificationMessage {
    constructor(data?: { message?: string; extra?: string; user?: UserInfo; });
    message?: string;
    extra?: string;
    user?: UserInfo;
    static obtain(message?: string, extra?: string, user?: UserInfo): InformationNotificationMessage;
  }
  /** RC:ContactNtf, persisted. */
  class ContactNotificationMessage extends NotificationMessage {
    constructor(data?: { operation?: string; targetUserId?: string; message?: string; extra?: string; sourceUserId?: string; user?: UserInfo; });
    operation?: string;
    targetUserId?: string;
    message?: string;
    extra?: string;
    sourceUserId?: string;
    user?: UserInfo;
    static obtain(operation?: string, targetUserId?: string, message?: string, extra?: string, sourceUserId?: string, user?: UserInfo): ContactNotificationMessage;
    static readonly CONTACT_OPERATION_REQUEST: 'ContactOperationRequest';
    static readonly CONTACT_OPERATION_ACCEPT_RESPONSE: 'ContactOperationAcceptResponse';
    static readonly CONTACT_OPERATION_REJECT_RESPONSE: 'ContactOperationRejectResponse';
  }
  /** RC:ProfileNtf, persisted. */
  class ProfileNotificationMessage extends NotificationMessage {
    constructor(data?: { operation?: string; data?: any; extra?: string; user?: UserInfo; });
    operation?: string;
    data?: any;
    extra?: string;
    user?: UserInfo;
    static obtain(operation?: string, data?: any, extra?: string, user?: UserInfo): ProfileNotificationMessage;
  }
  /** RC:CmdNtf, persisted. */
  class CommandNotificationMessage extends NotificationMessage {
    constructor(data?: { data?: any; name?: string; extra?: string; user?: UserInfo; });
    data?: any;
    name?: string;
    extra?: string;
    user?: UserInfo;
    static obtain(data?: any, name?: string, extra?: string, user?: UserInfo): CommandNotificationMessage;
  }
  /** RC:DizNtf, persisted. */
  class DiscussionNotificationMessage extends NotificationMessage {
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
  class GroupNotificationMessage extends NotificationMessage {
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

  /** RCJrmf:RpMsg under the name the 2.5.3 declarations give it (the same class). */
  const JrmfReadPacketMessage: typeof JrmfRedPacketMessage;
  type JrmfReadPacketMessage = JrmfRedPacketMessage;
  /** RCJrmf:RpOpendMsg under the name the 2.5.3 declarations give it (the same class). */
  const JrmfReadPacketOpenedMessage: typeof JrmfRedPacketOpenedMessage;
  type JrmfReadPacketOpenedMessage = JrmfRedPacketOpenedMessage;
  /** 2.x's status content without an objectName: it cannot be sent. */
  class IsTypingStatusMessage extends StatusMessage {
    constructor(data?: string);
    getMessage(): null;
  }
  /** 2.x's customer-service status content without an objectName: it cannot be sent. */
  class CustomerStatusMessage {
    constructor(data?: { status?: number });
    readonly messageName: 'CustomerStatusMessage';
    encode(): string;
    status?: number;
    /** `null`, as in 2.x. */
    static obtain(): null;
  }

  // ---- 2.x's model classes: the constructor sets each field from its arguments, in this order ----

  class ChannelInfo {
    constructor(Id?: string, Key?: string);
    Id: string;
    Key: string;
  }
  class UserStatus {
    constructor(platform?: string[], online?: boolean, status?: number);
    platform?: string[];
    online?: boolean;
    status?: number;
  }
  /** A message to delete: its messageUId, sentTime and MessageDirection. */
  class DeleteMessage {
    constructor(msgId?: string, msgDataTime?: number, direct?: MessageDirection);
    msgId?: string;
    msgDataTime?: number;
    direct?: MessageDirection;
  }
  class CustomServiceConfig {
    constructor(isBlack?: boolean, companyName?: string, companyUrl?: string);
    isBlack?: boolean;
    companyName?: string;
    companyUrl?: string;
  }
  class CustomServiceSession {
    constructor(uid?: string, cid?: string, pid?: string, isQuited?: boolean, type?: number, adminHelloWord?: string, adminOfflineWord?: string);
    uid?: string;
    cid?: string;
    pid?: string;
    isQuited?: boolean;
    type?: number;
    adminHelloWord?: string;
    adminOfflineWord?: string;
  }
  class Group {
    constructor(id?: string, name?: string, portraitUri?: string);
    id: string;
    name?: string;
    portraitUri?: string;
  }
  class PublicServiceMenuItem {
    constructor(id?: string, name?: string, type?: ConversationType, sunMenuItems?: PublicServiceMenuItem[], url?: string);
    id?: string;
    name?: string;
    type?: ConversationType;
    /** (sic) */
    sunMenuItems?: PublicServiceMenuItem[];
    url?: string;
  }
  class PublicServiceProfile {
    constructor(
      conversationType?: ConversationType,
      introduction?: string,
      menu?: PublicServiceMenuItem[],
      name?: string,
      portraitUri?: string,
      publicServiceId?: string,
      hasFollowed?: boolean,
      isGlobal?: boolean,
    );
    conversationType?: ConversationType;
    introduction?: string;
    menu?: PublicServiceMenuItem[];
    name?: string;
    portraitUri?: string;
    publicServiceId?: string;
    hasFollowed?: boolean;
    isGlobal?: boolean;
  }

  // ---- 2.x's utilities ----

  class ModelUtil {
    /** The content's fields without `messageName` and `encode`. */
    static modelClone(object: any): Record<string, any>;
    /** A content class copying `fields`, named `msgType`; not registered (see registerMessageType). */
    static modleCreate(fields: string[], msgType: string): RegisteredMessageClass;
  }
  class RongUtil {
    static noop(): void;
    /** An object without own keys, an empty string or array, 0, null or undefined. */
    static isEmpty(obj: any): boolean;
    /** MD5 of the UTF-8 text (HMAC-MD5 with `key`): lowercase hex, or with `raw` one char per byte. */
    static MD5(str: string, key?: string | null, raw?: boolean): string;
    static isObject(obj: any): boolean;
    static isArray(array: any): array is any[];
    static isFunction(fun: any): fun is Function;
    /** `'{0}{1}'` with `vals[0]`, `vals[1]`. */
    static stringFormat(tmpl: string, vals: any[]): string;
    static forEach(obj: any, callback: (value: any, key: any, obj?: any) => void): void;
    /** Copies `source`'s keys that `target` lacks (all with `force`) into `target`. */
    static extend<T>(source: any, target: T, callback?: any, force?: boolean): T;
    /** An XMLHttpRequest, or null where the host has none. */
    static createXHR(): any;
    /** A GET over XMLHttpRequest; `error(0, '')` where the host has none. */
    static request(opts: { url: string; method?: string; success?: (text: string) => void; error?: (status: number, text: string) => void }): any;
    static formatProtoclPath(config: { path: string; protocol: string; tmpl?: string; sub?: boolean }): string;
    static supportLocalStorage(): boolean;
    /** A copy with keys renamed: `rename({n: 1}, {n: 'name'})` → `{name: 1}`; arrays item by item. */
    static rename(origin: any, newNames: Record<string, string>): any;
    static some<T>(arrs: ArrayLike<T>, callback: (item: T) => unknown): boolean;
  }
  /** Watchers by key: `notify({key, entity})` calls each watcher whose key starts with `key`. */
  class RongObserver {
    watchers: { [key: string]: any };
    genUId(key: string): string;
    watch(params: { key: string | string[]; func: (entity: any) => void; multiple?: boolean }): void;
    notify(params: { key: string; entity?: any }): void;
    /** Removes every watcher. */
    remove(): void;
  }
  /** At most `limit` keys (10 by default), the oldest dropped first; a missing key reads 0. */
  class LimitableMap {
    constructor(limit?: number);
    map: any;
    keys: string[];
    limit: number;
    set(key: string, value: any): void;
    get(key: string): any;
    remove(key: string): void;
  }
  /** Conversations, newest first. */
  class ConversationMap {
    conversationList: Conversation[];
    get(conversationType: ConversationType, targetId: string): Conversation | null;
    /** Moves the listed one to the front, or puts this one there. */
    add(conversation: Conversation): void;
    replace(conversation: Conversation): void;
    remove(conversation: Conversation): void;
  }
  /** Public-service profiles, newest first. */
  class PublicServiceMap {
    publicServiceList: PublicServiceProfile[];
    get(publicServiceType: ConversationType, publicServiceId: string): PublicServiceProfile | null;
    add(publicServiceProfile: PublicServiceProfile): void;
    replace(publicServiceProfile: PublicServiceProfile): void;
    remove(conversationType: ConversationType, publicServiceId: string): void;
  }
  /** 2.x's argument checker; failed checks go to `RongIMClient.logger` as −3. */
  class CheckParam {
    static _instance: CheckParam | null;
    static getInstance(): CheckParam;
    logger(code: any, funcName: string, msg: string): void;
    /** Each of `args` must have a type named in the pattern at its index (`'string|null'`). */
    check(types: string[], position: string, d?: any, args?: ArrayLike<any>): boolean;
    getType(value: any): string;
    checkCookieDisable(): boolean;
  }
  /** 2.x's upload helper over XMLHttpRequest: `{url, token, base64}`, or a form with `type`. */
  class RongAjax {
    constructor(options: any);
    options: any;
    xmlhttp: any;
    send(callback: (reply?: any) => void): void;
  }
  /** 2.x loaded its codec here; the codec is in the wasm engine, `callback` runs at once. */
  class FeatureDectector {
    constructor(callback?: () => void);
    script: any;
    head: any;
  }
  class FeaturePatcher {
    patchAll(): void;
    patchForEach(): void;
    patchJSON(): void;
  }
  /** Unicode emoji ⇄ `[name]` symbols ⇄ HTML. */
  class RongIMEmoji {
    /** The default set, or 2.x's `{dataSource: {u1F600: {tag: '😀', zh: '…'}, …}}`. */
    static init(config?: { dataSource?: Record<string, { tag: string; zh?: string; en?: string }>; url?: string }): void;
    static list: { unicode: string; emoji: string; symbol: string }[];
    /** The HTML of each emoji of `list`. */
    static emojis: string[];
    static emojiToSymbol(message: string): string;
    static symbolToEmoji(message: string): string;
    static emojiToHTML(message: string): string;
    static symbolToHTML(message: string): string;
  }

  // ---- storage and data providers ----

  /** 2.x's storage interface (keys get the `rong_` prefix). */
  interface StorageProvider {
    setItem(composedKey: string, object: any): void;
    getItem(composedKey: string): string | null;
    getItemKey?(composedStr: string): string | null;
    removeItem(composedKey: string): void;
    clearItem?(): void;
    onOutOfQuota?(): number;
    /** Every stored key; without it the SDK cannot read back at start what it stored. */
    keys?(): string[];
  }
  /** A StorageProvider that is also a Storage: `RongIMClient.init(appKey, null, {storage: new MemeoryProvider()})`. */
  interface ProviderStorage extends StorageProvider, Storage {
    prefix: string;
    _host: string;
    setItem(composedKey: string, object: any): void;
    getItem(composedKey: string): string | null;
    getItemKey(composedStr: string): string | null;
    removeItem(composedKey: string): void;
    clearItem(): void;
    /** Bytes (UTF-16 code units) stored under the prefix. */
    onOutOfQuota(): number;
    get(key: string): string | null;
    set(key: string, value: string): void;
    remove(key: string): void;
    keys(): string[];
  }
  /** In memory (sic). */
  interface MemeoryProvider extends ProviderStorage {}
  class MemeoryProvider {
    _memeoryStore: Record<string, string>;
  }
  /** The browser's localStorage (memory where the host has none). */
  interface LocalStorageProvider extends ProviderStorage {}
  class LocalStorageProvider {}
  /** IE's userData in 2.x; here the same storage as LocalStorageProvider. */
  interface UserDataProvider extends ProviderStorage {}
  class UserDataProvider {
    oPersist: null;
    opersistName: string;
    keyManager: string;
  }
  /** 2.x's data-access provider: the engine does its work; it has the client instance's methods. */
  class ServerDataProvider extends RongIMClient {
    constructor();
    init(appKey: string, options?: InitOptions | (() => void)): RongIMClient;
    connect(token: string, callback: ConnectCallback): void;
    connect(token: string): Promise<string>;
    reconnect(callback: ConnectCallback, config?: ReconnectConfig): void;
    reconnect(callback?: null, config?: ReconnectConfig): Promise<string>;
    setConnectionStatusListener(listener: ConnectionStatusListener): void;
    setOnReceiveMessageListener(listener: ReceiveMessageListener): void;
    registerMessageType(typeName: string, objectName: string, messageTag: MessageTag, fields: string[]): RegisteredMessageClass;
    /** `getDeltaTime()` of the client (sic). */
    getDelaTime(): number;
    setServerInfo(info?: any): void;
    setDeviceId(deviceId?: string): void;
    setEnvironment(isPrivate?: boolean): void;
    /** Stores a message without sending it (`insertMessage`). */
    addMessage(conversationType: ConversationType, targetId: string, message: Partial<Message> | MessageContent, callback: ResultCallback<Message | null>): void;
    addMessage(conversationType: ConversationType, targetId: string, message: Partial<Message> | MessageContent): Promise<Message | null>;
    /** `deleteRemoteMessages`. */
    removeMessage(conversationType: ConversationType, targetId: string, delMsgs: (Message | DeleteMessage)[], callback: ResultCallback<boolean>): void;
    removeMessage(conversationType: ConversationType, targetId: string, delMsgs: (Message | DeleteMessage)[]): Promise<boolean>;
    /** `readStatus` clears the conversation's unread count; other keys fail with PARAMETER_ERROR. */
    updateMessages(conversationType: ConversationType, targetId: string, key: string, value: any, callback: ResultCallback<boolean>): void;
    updateMessages(conversationType: ConversationType, targetId: string, key: string, value?: any): Promise<boolean>;
    /** Subscribes to these users' status (what `setUserStatusListener` sends); `onSuccess(true)`. */
    subscribeUserStatus(userIds: string[], callback: ResultCallback<boolean>): void;
    subscribeUserStatus(userIds: string[]): Promise<boolean>;
    /** Every conversation, hidden ones too. */
    getAllConversations(callback: ResultCallback<Conversation[]>): void;
    getAllConversations(): Promise<Conversation[]>;
    /** `searchConversationByContent(keywords)`. */
    getConversationByContent(keywords: string, callback: ResultCallback<Conversation[]>): void;
    getConversationByContent(keywords: string): Promise<Conversation[]>;
    /** Every stored message of the conversation containing `keywords`, newest first. */
    getMessagesFromConversation(conversationType: ConversationType, targetId: string, keywords: string, callback: ResultCallback<Message[]>): void;
    getMessagesFromConversation(conversationType: ConversationType, targetId: string, keywords: string): Promise<Message[]>;
  }
  /** 2.x's provider for its desktop SDK; the same engine serves, `addon` is kept unused. */
  class VCDataProvider extends ServerDataProvider {
    constructor(addon?: any);
    addon: any;
  }

  // ---- enums: the 2.x names and values; like TypeScript enums they map values back to names ----

  enum BlacklistStatus {
    IN_BLACK_LIST = 0,
    NOT_IN_BLACK_LIST = 1,
  }
  enum ConnectionChannel {
    HTTP = 0,
    HTTPS = 1,
    XHR_POLLING = 0,
    WEBSOCKET = 1,
  }
  enum ConnectionState {
    ACCEPTED = 0,
    UNACCEPTABLE_PROTOCOL_VERSION = 1,
    IDENTIFIER_REJECTED = 2,
    SERVER_UNAVAILABLE = 3,
    TOKEN_INCORRECT = 4,
    NOT_AUTHORIZED = 5,
    REDIRECT = 6,
    PACKAGE_ERROR = 7,
    APP_BLOCK_OR_DELETE = 8,
    BLOCK = 9,
    TOKEN_EXPIRE = 10,
    DEVICE_ERROR = 11,
  }
  enum ConnectionStatus {
    CONNECTED = 0,
    CONNECTING = 1,
    DISCONNECTED = 2,
    NETWORK_UNAVAILABLE = 3,
    CONNECTION_CLOSED = 4,
    KICKED_OFFLINE_BY_OTHER_CLIENT = 6,
    WEBSOCKET_UNAVAILABLE = 7,
    WEBSOCKET_ERROR = 8,
    DOMAIN_INCORRECT = 12,
    APPKEY_IS_FAKE = 20,
    REQUEST_NAVI = 201,
    RESPONSE_NAVI = 202,
    RESPONSE_NAVI_ERROR = 203,
    RESPONSE_NAVI_TIMEOUT = 204,
    ULTRALIMIT = 1101,
  }
  enum ConversationNotificationStatus {
    DO_NOT_DISTURB = 0,
    NOTIFY = 1,
  }
  enum ConversationType {
    NONE = 0,
    PRIVATE = 1,
    DISCUSSION = 2,
    GROUP = 3,
    CHATROOM = 4,
    CUSTOMER_SERVICE = 5,
    SYSTEM = 6,
    APP_PUBLIC_SERVICE = 7,
    PUBLIC_SERVICE = 8,
    RTC = 12,
  }
  enum CustomerType {
    ONLY_ROBOT = 1,
    ONLY_HUMAN = 2,
    ROBOT_FIRST = 3,
    HUMAN_FIRST = 4,
  }
  enum DiscussionInviteStatus {
    OPENED = 0,
    CLOSED = 1,
  }
  enum ErrorCode {
    PARAMETER_ERROR = -3,
    UNKNOWN = -2,
    /** Not in 2.5.3: what an unknown failure passes (2.x's connect sample switches on it). */
    UNKNOWN_ERROR = -2,
    TIMEOUT = -1,
    SUCCESS = 0,
    CANCEL = 1,
    /** Not in 2.5.3 (sic): CONNACK 1, as `connect` passes it to onError. */
    UNACCEPTABLE_PaROTOCOL_VERSION = 1,
    REJECT = 2,
    /** Not in 2.5.3: CONNACK 2, as `connect` passes it to onError. */
    IDENTIFIER_REJECTED = 2,
    HANGUP = 3,
    /** Not in 2.5.3: CONNACK 3, as `connect` passes it to onError. */
    SERVER_UNAVAILABLE = 3,
    BUSYLINE = 4,
    NO_RESPONSE = 5,
    ENGINE_UN_SUPPORTED = 6,
    NETWORK_ERROR = 7,
    REMOTE_CANCEL = 11,
    REMOTE_REJECT = 12,
    REMOTE_HANGUP = 13,
    REMOTE_BUSYLINE = 14,
    REMOTE_NO_RESPONSE = 15,
    REMOTE_ENGINE_UN_SUPPORTED = 16,
    REMOTE_NETWORK_ERROR = 17,
    VOIP_NOT_AVALIABLE = 18,
    REJECTED_BY_BLACKLIST = 405,
    RC_MSG_UNAUTHORIZED = 20406,
    RC_DISCUSSION_GROUP_ID_INVALID = 20407,
    SEND_FREQUENCY_TOO_FAST = 20604,
    NOT_IN_DISCUSSION = 21406,
    JOIN_IN_DISCUSSION = 21407,
    CREATE_DISCUSSION = 21408,
    INVITE_DICUSSION = 21409,
    SENSITIVE_SHIELD = 21501,
    SENSITIVE_REPLACE = 21502,
    NOT_IN_GROUP = 22406,
    FORBIDDEN_IN_GROUP = 22408,
    NOT_IN_CHATROOM = 23406,
    GET_USERINFO_ERROR = 23407,
    FORBIDDEN_IN_CHATROOM = 23408,
    RC_CHATROOM_USER_KICKED = 23409,
    RC_CHATROOM_NOT_EXIST = 23410,
    RC_CHATROOM_IS_FULL = 23411,
    RC_CHATROOM_PATAMETER_INVALID = 23412,
    CHATROOM_GET_HISTORYMSG_ERROR = 23413,
    CHATROOM_NOT_OPEN_HISTORYMSG_STORE = 23414,
    CHATROOM_KV_EXCEED = 23423,
    CHATROOM_KV_OVERWRITE_INVALID = 23424,
    CHATROOM_KV_STORE_NOT_OPEN = 23426,
    CHATROOM_KEY_NOT_EXIST = 23427,
    HAVNODEVICEID = 24001,
    DEVICEIDISHAVE = 24002,
    FEILD = 24009,
    NOENGINETYPE = 24010,
    NULLCHANNELNAME = 24011,
    VOIPDYANMICERROR = 24012,
    VOIPISNULL = 24013,
    NOVOIP = 24014,
    INTERNALERRROR = 24015,
    VOIPCLOSE = 24016,
    RECALL_MESSAGE = 25101,
    RC_NET_CHANNEL_INVALID = 30001,
    RC_NET_UNAVAILABLE = 30002,
    RC_MSG_RESP_TIMEOUT = 30003,
    RC_HTTP_SEND_FAIL = 30004,
    RC_HTTP_REQ_TIMEOUT = 30005,
    RC_HTTP_RECV_FAIL = 30006,
    RC_NAVI_RESOURCE_ERROR = 30007,
    RC_NODE_NOT_FOUND = 30008,
    RC_DOMAIN_NOT_RESOLVE = 30009,
    RC_SOCKET_NOT_CREATED = 30010,
    RC_SOCKET_DISCONNECTED = 30011,
    RC_PING_SEND_FAIL = 30012,
    RC_PONG_RECV_FAIL = 30013,
    RC_MSG_SEND_FAIL = 30014,
    RC_CONN_ACK_TIMEOUT = 31000,
    RC_CONN_PROTO_VERSION_ERROR = 31001,
    RC_CONN_ID_REJECT = 31002,
    RC_CONN_SERVER_UNAVAILABLE = 31003,
    RC_CONN_USER_OR_PASSWD_ERROR = 31004,
    RC_CONN_NOT_AUTHRORIZED = 31005,
    RC_CONN_REDIRECTED = 31006,
    RC_CONN_PACKAGE_NAME_INVALID = 31007,
    RC_CONN_APP_BLOCKED_OR_DELETED = 31008,
    RC_CONN_USER_BLOCKED = 31009,
    RC_DISCONN_KICK = 31010,
    RC_DISCONN_EXCEPTION = 31011,
    RC_QUERY_ACK_NO_DATA = 32001,
    RC_MSG_DATA_INCOMPLETE = 32002,
    BIZ_ERROR_CLIENT_NOT_INIT = 33001,
    BIZ_ERROR_DATABASE_ERROR = 33002,
    BIZ_ERROR_INVALID_PARAMETER = 33003,
    BIZ_ERROR_NO_CHANNEL = 33004,
    BIZ_ERROR_RECONNECT_SUCCESS = 33005,
    BIZ_ERROR_CONNECTING = 33006,
    MSG_ROAMING_SERVICE_UNAVAILABLE = 33007,
    MSG_INSERT_ERROR = 33008,
    MSG_DEL_ERROR = 33009,
    CONVER_REMOVE_ERROR = 34001,
    CONVER_GETLIST_ERROR = 34002,
    CONVER_SETOP_ERROR = 34003,
    CONVER_TOTAL_UNREAD_ERROR = 34004,
    CONVER_TYPE_UNREAD_ERROR = 34005,
    CONVER_ID_TYPE_UNREAD_ERROR = 34006,
    CONVER_CLEAR_ERROR = 34007,
    CLEAR_HIS_TYPE_ERROR = 34008,
    CONVER_GET_ERROR = 34009,
    CLEAR_HIS_ERROR = 34010,
    CLEAR_HIS_TIME_ERROR = 34011,
    GROUP_SYNC_ERROR = 35001,
    GROUP_MATCH_ERROR = 35002,
    CHATROOM_ID_ISNULL = 36001,
    CHARTOOM_JOIN_ERROR = 36002,
    CHATROOM_HISMESSAGE_ERROR = 36003,
    CHATROOM_KV_NOT_FOUND = 36004,
    BLACK_ADD_ERROR = 37001,
    BLACK_GETSTATUS_ERROR = 37002,
    BLACK_REMOVE_ERROR = 37003,
    DRAF_GET_ERROR = 38001,
    DRAF_SAVE_ERROR = 38002,
    DRAF_REMOVE_ERROR = 38003,
    SUBSCRIBE_ERROR = 39001,
    QNTKN_FILETYPE_ERROR = 41001,
    QNTKN_GET_ERROR = 41002,
    CLOSE_BEFORE_OPEN = 51001,
    COOKIE_ENABLE = 51001,
    ALREADY_IN_USE = 51002,
    INVALID_CHANNEL_NAME = 51003,
    VIDEO_CONTAINER_IS_NULL = 51004,
    DELETE_MESSAGE_ID_IS_NULL = 61001,
    GET_MESSAGE_BY_ID_ERROR = 61001,
  }
  enum FileType {
    IMAGE = 1,
    AUDIO = 2,
    VIDEO = 3,
    FILE = 4,
  }
  enum GetChatRoomType {
    NONE = 0,
    SQQUENCE = 1,
    REVERSE = 2,
  }
  enum MediaType {
    IMAGE = 1,
    AUDIO = 2,
    VIDEO = 3,
    FILE = 100,
  }
  enum MentionedType {
    ALL = 1,
    PART = 2,
  }
  enum MessageDirection {
    SEND = 1,
    RECEIVE = 2,
  }
  enum MethodType {
    CUSTOMER_SERVICE = 1,
    RECALL = 2,
  }
  enum ReadStatus {
    UNREAD = 0,
    READ = 1,
    LISTENED = 2,
    DOWNLOADED = 4,
    RETRIEVED = 8,
  }
  enum RealTimeLocationErrorCode {
    RC_REAL_TIME_LOCATION_NOT_INIT = -1,
    RC_REAL_TIME_LOCATION_SUCCESS = 0,
    RC_REAL_TIME_LOCATION_GPS_DISABLED = 1,
    RC_REAL_TIME_LOCATION_CONVERSATION_NOT_SUPPORT = 2,
    RC_REAL_TIME_LOCATION_IS_ON_GOING = 3,
    RC_REAL_TIME_LOCATION_EXCEED_MAX_PARTICIPANT = 4,
    RC_REAL_TIME_LOCATION_JOIN_FAILURE = 5,
    RC_REAL_TIME_LOCATION_START_FAILURE = 6,
    RC_REAL_TIME_LOCATION_NETWORK_UNAVAILABLE = 7,
  }
  enum RealTimeLocationStatus {
    RC_REAL_TIME_LOCATION_STATUS_IDLE = 0,
    RC_REAL_TIME_LOCATION_STATUS_INCOMING = 1,
    RC_REAL_TIME_LOCATION_STATUS_OUTGOING = 2,
    RC_REAL_TIME_LOCATION_STATUS_CONNECTED = 3,
  }
  enum ReceivedStatus {
    UNREAD = 0,
    READ = 1,
    LISTENED = 2,
    DOWNLOADED = 4,
    RETRIEVED = 8,
  }
  enum SearchType {
    EXACT = 0,
    FUZZY = 1,
  }
  enum SentStatus {
    SENDING = 10,
    FAILED = 20,
    SENT = 30,
    RECEIVED = 40,
    READ = 50,
    DESTROYED = 60,
  }
  enum VoIPMediaType {
    MEDIA_AUDIO = 1,
    MEDIA_VEDIO = 2,
  }

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

  /** The argument of `RongIMClient.initApp`. */
  interface InitAppConfig {
    appkey: string;
    dataAccessProvider?: ServerDataProvider | null;
    opts?: InitOptions;
  }

  /** One type of `registerMessageTypes`. */
  interface MessageTypeSpec {
    /** The objectName. */
    name: string;
    /** isCounted·2 + isPersisted, 0–3 (default 3). */
    flag?: 0 | 1 | 2 | 3;
    /** Its keys are the fields. */
    proto?: Record<string, any>;
  }

  /** What `RongIMClient.logger` reports. */
  interface LogInfo {
    code: any;
    msg?: string;
    funcName?: string;
  }

  /** The `config` of `RongIMClient.reconnect`. */
  interface ReconnectConfig {
    auto?: boolean;
    url?: string;
    /** Delays (ms) between attempts. */
    rate?: number[];
  }

  class RongIMClient {
    /** The instance comes from `init`/`getInstance` (ServerDataProvider extends the class). */
    protected constructor();

    /**
     * Sets the app key and options; returns the instance; `callback()` runs once done. Throws a
     * TypeError without an app key.
     */
    static init(appKey: string, dataAccessProvider?: ServerDataProvider | null, options?: InitOptions, callback?: () => void): RongIMClient;
    /** `init(config.appkey, config.dataAccessProvider, config.opts)`, then `callback(error, instance)` (error −3 for a bad config). */
    static initApp(config: InitAppConfig, callback: (error: ErrorCode | null, instance: RongIMClient | null) => void): void;
    static initApp(config: InitAppConfig): Promise<RongIMClient>;
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
    /**
     * `{TypeName: {name: objectName, flag, proto: {field: …}}}`: registers each type with the
     * keys of `proto` as its fields. `flag` is isCounted·2 + isPersisted (0–3, default 3; 2.5.3
     * turned 1 and 0 into 3); another value throws a TypeError.
     */
    static registerMessageTypes(messageTypes: Record<string, MessageTypeSpec>): Record<string, RegisteredMessageClass>;
    /** `console.error` of the JSON of `errorInfo`. */
    static showError(errorInfo: any): void;
    /** `{code, funcName, msg}` → the LogFactory entry of `code` (or `{code}`) to `showError`, unless init's `showError` is false. */
    static logger(params: { code: any; funcName?: string; msg?: string }): LogInfo;
    /** The callback object whose `onError` goes through `logger` first. */
    static logCallback<T>(callback: ResultCallback<T>, funcName: string): ResultCallback<T>;
    static logSendCallback(callback: SendMessageCallback, funcName: string): SendMessageCallback;
    /** ErrorCode value → `{code, msg}` (msg: the ErrorCode name). */
    static LogFactory: Record<string, LogInfo>;
    /** 2.x's protobuf codec: null, the codec is in the wasm engine. */
    static Protobuf: null;
    /** `{appKey, depend: init options, sdkInfo}` after init. */
    static _memoryStore: { appKey?: string; depend?: InitOptions; sdkInfo?: { version: string } };
    static isNotPullMsg: boolean;
    /** The StorageProvider given to init, if any. */
    static _storageProvider: StorageProvider | null;
    /** init's dataAccessProvider, or a ServerDataProvider. */
    static _dataAccessProvider: ServerDataProvider | null;
    static _voipProvider: null;
    /** 2.x's socket bridge: null, the engine does its work. */
    static bridge: null;
    static userStatusObserver: RongObserver;
    static userStatusListener: ((status: any) => void) | null;

    /** As the static `registerMessageTypes` (2.5.3's JS had it on the instance). */
    registerMessageTypes(messageTypes: Record<string, MessageTypeSpec>): Record<string, RegisteredMessageClass>;

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
    /**
     * Sends `content` to the receivers online now; neither the server nor this SDK stores or
     * counts it (receivers treat it by its registered type).
     */
    sendStatusMessage(conversationType: ConversationType, targetId: string, content: MessageContent, callback: SendMessageCallback): void;
    sendStatusMessage(conversationType: ConversationType, targetId: string, content: MessageContent): Promise<Message>;
    /** 2.5.3's declared form names no conversation: it fails with PARAMETER_ERROR. */
    sendStatusMessage(content: MessageContent, sendCallback: SendMessageCallback, resultCallback?: ResultCallback<Message>): void;
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
    /** Pinned first, then newest first; hidden conversations only with `isGetHiddenConvers`. */
    getConversationList(callback: ResultCallback<Conversation[]>, conversationTypes?: ConversationType[] | null, count?: number | null, isGetHiddenConvers?: boolean): void;
    getConversationList(callback?: null, conversationTypes?: ConversationType[] | null, count?: number | null, isGetHiddenConvers?: boolean): Promise<Conversation[]>;
    getRemoteConversationList(callback: ResultCallback<Conversation[]>, conversationTypes?: ConversationType[] | null, count?: number | null, isGetHiddenConvers?: boolean): void;
    getRemoteConversationList(callback?: null, conversationTypes?: ConversationType[] | null, count?: number | null, isGetHiddenConvers?: boolean): Promise<Conversation[]>;
    /** Lists the conversation (keeping its title). */
    addConversation(conversation: ConversationFields, callback: ResultCallback<Conversation | null>): void;
    addConversation(conversation: ConversationFields): Promise<Conversation | null>;
    /** As `addConversation`, without a result. */
    pottingConversation(conversation: ConversationFields): void;
    /** A new conversation object, not listed. */
    createConversation(conversationType: ConversationType, targetId: string, converTitle?: string): Conversation;
    setConversationToTop(conversationType: ConversationType, targetId: string, isTop: boolean, callback: ResultCallback<boolean>): void;
    setConversationToTop(conversationType: ConversationType, targetId: string, isTop: boolean): Promise<boolean>;
    setConversationHidden(conversationType: ConversationType, targetId: string, isHidden: boolean, callback?: ResultCallback<boolean>): void;
    getConversationNotificationStatus(conversationType: ConversationType, targetId: string, callback: ResultCallback<ConversationNotificationStatus>): void;
    getConversationNotificationStatus(conversationType: ConversationType, targetId: string): Promise<ConversationNotificationStatus>;
    setConversationNotificationStatus(conversationType: ConversationType, targetId: string, notificationStatus: ConversationNotificationStatus, callback: ResultCallback<ConversationNotificationStatus>): void;
    setConversationNotificationStatus(conversationType: ConversationType, targetId: string, notificationStatus: ConversationNotificationStatus): Promise<ConversationNotificationStatus>;
    /** `startTime` "HH:MM:SS" and `spanMinutes` 1–1439; "" and 0 when none are set. */
    getNotificationQuietHours(callback: QuietHoursCallback): void;
    getNotificationQuietHours(): Promise<{ startTime: string; spanMinutes: number }>;
    setNotificationQuietHours(startTime: string, spanMinutes: number, callback: ResultCallback<void>): void;
    setNotificationQuietHours(startTime: string, spanMinutes: number): Promise<void>;
    removeNotificationQuietHours(callback: ResultCallback<void>): void;
    removeNotificationQuietHours(): Promise<void>;
    /** Days (1–7) the server keeps messages for this user while offline. */
    setOfflineMessageDuration(duration: number, callback: ResultCallback<void>): void;
    setOfflineMessageDuration(duration: number): Promise<void>;
    /** The unread messages that @mention the user. */
    getUnreadMentionedMessages(conversationType: ConversationType, targetId: string): Message[];
    /** Whether messages wait on the server for the user of `token`; works before `connect`. */
    hasRemoteUnreadMessages(token: string, callback: ResultCallback<boolean>): void;
    hasRemoteUnreadMessages(token: string): Promise<boolean>;
    clearTotalUnreadCount(callback: ResultCallback<boolean>): void;
    clearTotalUnreadCount(): Promise<boolean>;
    clearMessagesUnreadStatus(conversationType: ConversationType, targetId: string, callback: ResultCallback<boolean>): void;
    clearMessagesUnreadStatus(conversationType: ConversationType, targetId: string): Promise<boolean>;
    /** Clears the count when no counted message is newer than `timestamp`; `onSuccess(cleared)`. */
    clearUnreadCountByTimestamp(conversationType: ConversationType, targetId: string, timestamp: number, callback: ResultCallback<boolean>): void;
    clearUnreadCountByTimestamp(conversationType: ConversationType, targetId: string, timestamp: number): Promise<boolean>;
    getConversation(conversationType: ConversationType, targetId: string, callback: ResultCallback<Conversation | null>): void;
    getConversation(conversationType: ConversationType, targetId: string): Promise<Conversation | null>;
    /** Sets `conversationTitle`; returns the updated conversation, or null when it is not listed. */
    updateConversation(conversation: ConversationFields): Conversation | null;
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
    /** The server's history only (`getHistoryMessages` pages back through the local store first). */
    getRemoteHistoryMessages(conversationType: ConversationType, targetId: string, timestamp: number | null, count: number, callback: HistoryCallback): void;
    getRemoteHistoryMessages(conversationType: ConversationType, targetId: string, timestamp: number | null, count: number): Promise<HistoryResult>;

    // the local message store (per user, in the host's storage; `storeBudget` bytes, 4 MiB by default)
    getMessage(messageId: string | number, callback: ResultCallback<Message | null>): void;
    getMessage(messageId: string | number): Promise<Message | null>;
    /** Stores a message that is never sent; `onSuccess(message)` with its `messageId`. */
    insertMessage(conversationType: ConversationType, targetId: string, senderUserId: string, message: Partial<Message> | MessageContent, callback: ResultCallback<Message | null>): void;
    insertMessage(conversationType: ConversationType, targetId: string, message: Partial<Message> | MessageContent, callback: ResultCallback<Message | null>): void;
    insertMessage(conversationType: ConversationType, targetId: string, senderUserId: string, message: Partial<Message> | MessageContent): Promise<Message | null>;
    /** The conversation's stored messages sent at one of `timestamps` (2.x's data-provider name). */
    removeLocalMessage(conversationType: ConversationType, targetId: string, timestamps: number[], callback: ResultCallback<boolean>): void;
    removeLocalMessage(conversationType: ConversationType, targetId: string, timestamps: number[]): Promise<boolean>;
    deleteLocalMessages(conversationType: ConversationType, targetId: string, messageIds: (string | number)[], callback: ResultCallback<boolean>): void;
    deleteLocalMessages(conversationType: ConversationType, targetId: string, messageIds: (string | number)[]): Promise<boolean>;
    clearMessages(conversationType: ConversationType, targetId: string, callback: ResultCallback<boolean>): void;
    clearMessages(conversationType: ConversationType, targetId: string): Promise<boolean>;
    /** Content, extra and statuses of the stored message with this `messageId`. */
    updateMessage(message: Message, callback: ResultCallback<Message | null>): void;
    updateMessage(message: Message): Promise<Message | null>;
    setMessageContent(messageId: string | number, content: MessageContent | object | string, objectName?: string): void;
    setMessageExtra(messageId: string | number, value: string, callback: ResultCallback<boolean>): void;
    setMessageExtra(messageId: string | number, value: string): Promise<boolean>;
    setMessageReceivedStatus(messageId: string | number, receivedStatus: ReceivedStatus, callback: ResultCallback<boolean>): void;
    setMessageReceivedStatus(messageId: string | number, receivedStatus: ReceivedStatus): Promise<boolean>;
    setMessageSentStatus(messageId: string | number, sentStatus: SentStatus, callback: ResultCallback<boolean>): void;
    setMessageSentStatus(messageId: string | number, sentStatus: SentStatus): Promise<boolean>;
    /** Own messages sent up to `timestamp` get the SentStatus `status`. */
    setMessageStatus(conversationType: ConversationType, targetId: string, timestamp: number, status: SentStatus | string, callback: ResultCallback<boolean>): void;
    setMessageStatus(conversationType: ConversationType, targetId: string, timestamp: number, status: SentStatus | string): Promise<boolean>;
    /** Stored messages containing `keyword` (ASCII letters in any case), newest first, older than `timestamp` (0: all). */
    searchMessageByContent(conversationType: ConversationType, targetId: string, keyword: string, timestamp: number, count: number, total: number | null, callback: ResultCallback<Message[]>): void;
    searchMessageByContent(conversationType: ConversationType, targetId: string, keyword: string, timestamp: number, count: number, total?: number | null): Promise<Message[]>;
    /** Conversations with stored messages containing `keyword` (`matchedCount` of them, the newest as `latestMessage`). */
    searchConversationByContent(keyword: string, callback: ResultCallback<Conversation[]>, conversationTypes?: ConversationType[]): void;
    searchConversationByContent(keyword: string, callback?: null, conversationTypes?: ConversationType[]): Promise<Conversation[]>;
    /** `delMsg`: the server and the local store drop these messages (Messages or DeleteMessages). */
    deleteRemoteMessages(conversationType: ConversationType, targetId: string, messages: (Message | DeleteMessage)[], callback: ResultCallback<boolean>): void;
    deleteRemoteMessages(conversationType: ConversationType, targetId: string, messages: (Message | DeleteMessage)[]): Promise<boolean>;
    deleteMessages(conversationType: ConversationType, targetId: string, messages: (Message | DeleteMessage)[], callback: ResultCallback<boolean>): void;
    deleteMessages(conversationType: ConversationType, targetId: string, messages: (Message | DeleteMessage)[]): Promise<boolean>;
    /** Sends `message.content` to the message's conversation. */
    sendLocalMessage(message: Message, callback: SendMessageCallback): void;
    sendLocalMessage(message: Message): Promise<Message>;
    /** Answers the read-receipt requests (`ReadReceiptRequestMessage`) received in a group or discussion. */
    sendReceiptResponse(conversationType: ConversationType, targetId: string, callback: ResultCallback<void>): void;
    sendReceiptResponse(conversationType: ConversationType, targetId: string): Promise<void>;

    // blacklist
    addToBlacklist(userId: string, callback: ResultCallback): void;
    addToBlacklist(userId: string): Promise<void>;
    removeFromBlacklist(userId: string, callback: ResultCallback): void;
    removeFromBlacklist(userId: string): Promise<void>;
    getBlacklist(callback: ResultCallback<string[]>): void;
    getBlacklist(): Promise<string[]>;
    getBlacklistStatus(userId: string, callback: ResultCallback<'IN_BLACK_LIST' | 'NOT_IN_BLACK_LIST'>): void;
    getBlacklistStatus(userId: string): Promise<'IN_BLACK_LIST' | 'NOT_IN_BLACK_LIST'>;

    // customer service (api.md §3.1): `onSuccess()` once the server took the message. The
    // session comes with the service's RC:CsHsR (a HandShakeResponseMessage); without it the
    // other four answer onError(33001) (2.5.3 never called back). A service registered on
    // im-server answers with a robot greeting and assigns a human agent on switchToHumanMode.
    /** Sends the handshake (RC:CsHs) with `content` (`{requestInfo, userInfo}`). */
    startCustomService(custId: string, callback: ResultCallback<void>, content?: object | null): void;
    startCustomService(custId: string, callback?: null, content?: object | null): Promise<void>;
    /** Ends the session (RC:CsSp). */
    stopCustomeService(custId: string, callback: ResultCallback<void>): void;
    stopCustomeService(custId: string): Promise<void>;
    /** Asks for a human agent (RC:CSCha); the answer arrives as a ChangeModeResponseMessage. */
    switchToHumanMode(custId: string, callback: ResultCallback<void>): void;
    switchToHumanMode(custId: string): Promise<void>;
    /** RC:CsEva type 0 with `isresolve` and `suggest` (2.5.3 dropped both). */
    evaluateRebotCustomService(custId: string, isRobotResolved: boolean, sugest: string | null, callback: ResultCallback<void>): void;
    evaluateRebotCustomService(custId: string, isRobotResolved: boolean, sugest?: string | null): Promise<void>;
    /** RC:CsEva type 1 with `source` = `humanValue` (1–5, else −3) and `suggest`. */
    evaluateHumanCustomService(custId: string, humanValue: number, sugest: string | null, callback: ResultCallback<void>): void;
    evaluateHumanCustomService(custId: string, humanValue: number, sugest?: string | null): Promise<void>;

    // public services (api.md §3.8): profiles are plain objects with PublicServiceProfile's
    // fields, filled when the callback runs (2.5.3 filled them 100 ms later). psType is
    // APP_PUBLIC_SERVICE (7) or PUBLIC_SERVICE (8), else −3; searchType 0 exact, 1 fuzzy.
    /** The followed accounts (`pullMp`), kept for getPublicServiceProfile. */
    getRemotePublicServiceList(callback: ResultCallback<PublicServiceProfile[]>, pullMessageTime?: number): void;
    getRemotePublicServiceList(callback?: null, pullMessageTime?: number): Promise<PublicServiceProfile[]>;
    getPublicServiceList(callback: ResultCallback<PublicServiceProfile[]>): void;
    getPublicServiceList(): Promise<PublicServiceProfile[]>;
    /** The profile kept from the last list; `null` when it holds none. */
    getPublicServiceProfile(publicServiceType: ConversationType, publicServiceId: string | number, callback: ResultCallback<PublicServiceProfile | null>): void;
    getPublicServiceProfile(publicServiceType: ConversationType, publicServiceId: string | number): Promise<PublicServiceProfile | null>;
    /** Accounts of either type whose id or name matches `keywords` (`schMp`). */
    searchPublicService(searchType: SearchType, keywords: string, callback: ResultCallback<PublicServiceProfile[]>): void;
    searchPublicService(searchType: SearchType, keywords: string): Promise<PublicServiceProfile[]>;
    searchPublicServiceByType(publicServiceType: ConversationType, searchType: SearchType, keywords: string, callback: ResultCallback<PublicServiceProfile[]>): void;
    searchPublicServiceByType(publicServiceType: ConversationType, searchType: SearchType, keywords: string): Promise<PublicServiceProfile[]>;
    /** Follows (`mpFollow`/`mcFollow`), then refreshes the kept list. */
    subscribePublicService(publicServiceType: ConversationType, publicServiceId: string | number, callback: ResultCallback<void>): void;
    subscribePublicService(publicServiceType: ConversationType, publicServiceId: string | number): Promise<void>;
    /** Unfollows (`mpUnFollow`/`mcUnFollow`) and drops the kept profile. */
    unsubscribePublicService(publicServiceType: ConversationType, publicServiceId: string | number, callback: ResultCallback<void>): void;
    unsubscribePublicService(publicServiceType: ConversationType, publicServiceId: string | number): Promise<void>;

    // calls and real-time location: not included (they need RongCloud's call plugin). Calls
    // and getAgoraDynamicKey answer onError (or reject) with ErrorCode.VOIP_NOT_AVALIABLE (18);
    // hungupCall does nothing; the location methods return
    // RealTimeLocationErrorCode.RC_REAL_TIME_LOCATION_NOT_INIT (-1) and call the listener added
    // for that conversation with onError(-1).
    getAgoraDynamicKey(engineType: number, channelName: string, callback: ResultCallback<string>): void;
    getAgoraDynamicKey(engineType: number, channelName: string): Promise<string>;
    startCall(
      conversationType: ConversationType,
      targetId: string,
      userIds: string[],
      mediaType: VoIPMediaType,
      extra: string,
      callback: ResultCallback<ErrorCode>,
    ): void;
    startCall(
      conversationType: ConversationType,
      targetId: string,
      userIds: string[],
      mediaType: VoIPMediaType,
      extra: string,
    ): Promise<ErrorCode>;
    joinCall(mediaType: VoIPMediaType, callback: ResultCallback<ErrorCode>): void;
    joinCall(mediaType: VoIPMediaType): Promise<ErrorCode>;
    hungupCall(conversationType: ConversationType, targetId: string, reason: ErrorCode): void;
    changeMediaType(conversationType: ConversationType, targetId: string, mediaType: VoIPMediaType, callback: ResultCallback): void;
    changeMediaType(conversationType: ConversationType, targetId: string, mediaType: VoIPMediaType): Promise<void>;
    addRealTimeLocationListener(conversationType: ConversationType, targetId: string, listener: RealTimeLocationListener): void;
    getRealTimeLocation(conversationType: ConversationType, targetId: string): RealTimeLocationErrorCode;
    getRealTimeLocationCurrentState(conversationType: ConversationType, targetId: string): RealTimeLocationErrorCode;
    getRealTimeLocationParticipants(conversationType: ConversationType, targetId: string): RealTimeLocationErrorCode;
    joinRealTimeLocation(conversationType: ConversationType, targetId: string): RealTimeLocationErrorCode;
    quitRealTimeLocation(conversationType: ConversationType, targetId: string): RealTimeLocationErrorCode;
    startRealTimeLocation(conversationType: ConversationType, targetId: string): RealTimeLocationErrorCode;
    updateRealTimeLocationStatus(
      conversationType: ConversationType,
      targetId: string,
      latitude: number,
      longitude: number,
    ): RealTimeLocationErrorCode;

    // files and user status
    /** An upload token of a FileType (1–4, else onError(41001)); the app POSTs the file with it. */
    getFileToken(fileType: FileType, callback: ResultCallback<FileToken>): void;
    getFileToken(fileType: FileType): Promise<FileToken>;
    /** The download URL of the uploaded file `fileName` (its key); `oriName`: the name to save it under. */
    getFileUrl(fileType: FileType, fileName: string, oriName: string | null | undefined, callback: ResultCallback<{ downloadUrl: string }>): void;
    getFileUrl(fileType: FileType, fileName: string, oriName?: string | null): Promise<{ downloadUrl: string }>;
    /** The current user's status, whatever `userId` names (as in 2.5.3). */
    getUserStatus(userId: string, callback: ResultCallback<UserStatusInfo>): void;
    getUserStatus(userId?: string): Promise<UserStatusInfo>;
    setUserStatus(status: number, callback: ResultCallback<boolean>): void;
    setUserStatus(status?: number): Promise<boolean>;
    /**
     * Watches these users: `listener` gets each status change (the first at once). The Promise
     * resolves with true once subscribed (it never rejects unhandled).
     */
    setUserStatusListener(params: UserStatusListenerParams, listener: (status: UserStatusInfo) => void): Promise<boolean>;

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
    setChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry, callback: ResultCallback): void;
    setChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry): Promise<void>;
    forceSetChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry, callback: ResultCallback): void;
    forceSetChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry): Promise<void>;
    removeChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry, callback: ResultCallback): void;
    removeChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry): Promise<void>;
    forceRemoveChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry, callback: ResultCallback): void;
    forceRemoveChatroomEntry(chatroomId: string, chatroomEntry: ChatroomEntry): Promise<void>;
    /** The value from the cache of the joined room; `onError(23427)` when there is none. */
    getChatroomEntry(chatroomId: string, key: string, callback: ResultCallback<string>): void;
    getChatroomEntry(chatroomId: string, key: string): Promise<string>;
    /** Every entry of the joined room, `{key: value}`. */
    getAllChatroomEntries(chatroomId: string, callback: ResultCallback<{ [key: string]: string }>): void;
    getAllChatroomEntries(chatroomId: string): Promise<{ [key: string]: string }>;
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
