// Message content classes of RongIMLib 2.x (api.md §6.2): constructors copy only the fields their
// type declares (in the SDK's order), `encode()` is the JSON of the own properties, and
// `messageName` is the type name. Validation and the wire encoding happen in the engine.

// TYPES: one row per built-in type, `|`-separated, generated from the engine's BUILTIN_TYPES and
// content field tables (crates/wire/src/content/) by scripts/gen-tables.mjs: `typeName objectName
// tag fields`, where `RC:` is left out of the objectNames that start with it, `tag` is
// isCounted·2 + isPersisted, and `fields` are the declared fields in the SDK's order
// (comma-separated), or `=key` for the classes that keep the whole content under `key`. A string
// rather than nested arrays: the mini program counts every byte of this file.
import { TYPES } from './generated/tables.js';
import { hidden } from './props.js';
import { isObject } from './args.js';

/**
 * 2.x's abstract base of the content classes: `encode()` is the JSON of the own fields. Every
 * class here extends it (2.x's only implemented it), so `instanceof MessageContent` holds.
 */
export class MessageContent {
  encode() {
    return JSON.stringify(this);
  }

  static obtain(...args) {
    return new this(...args);
  }
}

/** The base of the notification contents (the persisted, uncounted `*Ntf` types). */
export class NotificationMessage extends MessageContent {}

/** The base of status contents (2.x's IsTypingStatusMessage). */
export class StatusMessage extends MessageContent {}

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

/**
 * The classes whose constructor turns a `data` string holding JSON into that JSON, as 2.x's do
 * (api.md §6.2): `data: JSON.stringify(obj)`, which 2.x's declarations ask for, is sent and
 * received as the object, as it is from and to 2.x.
 */
const PARSES_DATA = /^(Command|CommandNotification|ProfileNotification)Message$/;

/** A string's JSON value, or the string when it is not JSON. */
function jsonOf(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A content class that copies `fields` (or keeps its whole input under `wholeKey`). */
export function defineContent(typeName, fields, wholeKey, Base = MessageContent) {
  const parsesData = PARSES_DATA.test(typeName);
  const Content = class extends Base {
    constructor(data) {
      super();
      const src = isObject(data) ? data : {};
      if (wholeKey) {
        this[wholeKey] = data;
        return;
      }
      for (const f of fields) {
        const v = src[f];
        if (v !== undefined) this[f] = parsesData && f === 'data' && typeof v === 'string' ? jsonOf(v) : v;
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
  hidden(Content, 'name', typeName);
  hidden(Content.prototype, 'messageName', typeName);
  return Content;
}

/**
 * Lists the content class of a type. An objectName keeps its first type: built-in objectNames
 * cannot be taken over (2.x consults them first on receive).
 */
function register(typeName, objectName, tag, Content) {
  messageClasses[typeName] = Content;
  messageParams.set(typeName, { objectName, tag });
  if (!typeNameByObjectName.has(objectName)) typeNameByObjectName.set(objectName, typeName);
  MessageType[typeName] = typeName;
  return Content;
}

/** Registers a content type: `registerMessageType(typeName, objectName, messageTag, fields)`. */
export const registerContentType = (typeName, objectName, tag, fields) =>
  register(typeName, objectName, tag, defineContent(typeName, fields, null));

for (const row of TYPES.split('|')) {
  const [typeName, name, tag, fields] = row.split(' ');
  const objectName = name.includes(':') ? name : `RC:${name}`;
  const whole = fields[0] === '=';
  register(
    typeName,
    objectName,
    MessageTag.getTagByStatus(+tag),
    defineContent(
      typeName,
      whole ? null : fields.split(','),
      whole ? fields.slice(1) : null,
      tag === '1' && name.endsWith('Ntf') ? NotificationMessage : MessageContent,
    ),
  );
}
MessageType.UnknownMessage = 'UnknownMessage';

// `TextMessage.obtain(text)` sets `extra: ""`, which the positional form would leave out.
messageClasses.TextMessage.obtain = (content) =>
  new messageClasses.TextMessage({ content, extra: '' });

/** Content of an objectName nobody registered: `{message: {content, objectName}}`. */
export class UnknownMessage extends MessageContent {
  constructor(content, objectName) {
    super();
    this.message = { content, objectName };
  }

  encode() {
    return typeof this.message.content === 'string'
      ? this.message.content
      : JSON.stringify(this.message.content);
  }
}
hidden(UnknownMessage.prototype, 'messageName', 'UnknownMessage');
messageClasses.UnknownMessage = UnknownMessage;
