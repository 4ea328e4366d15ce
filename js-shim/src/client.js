// The RongIMLib 2.x façade: `RongIMClient` (static lifecycle and listeners, instance methods
// from getInstance()), content classes, enums. It checks argument shapes, drives one engine
// through the Driver and turns engine events into 2.x callbacks; the engine does the protocol.
// Conversations/unread/drafts (conversations.js) and history/blacklist/discussions/chatrooms
// (queries.js) are added to the instance from their own files.
import { ConnectionChannel, ConnectionStatus, ConversationType, ErrorCode } from './enums.js';
import { enumSet } from './enum-set.js';
import { hidden, method } from './props.js';
import {
  messageClasses,
  messageParams,
  MessageType,
  MessageTag,
  MentionedInfo,
  UnknownMessage,
  registerContentType,
} from './messages.js';
import { createDriver } from './driver.js';
import { defer, outcome, safeCall } from './callbacks.js';
import { Conversation, conversationMaker, conversationMethods } from './conversations.js';
import { queryMethods } from './queries.js';
import { localMethods } from './local.js';
import { pluginMethods } from './plugins.js';
import { presenceMethods } from './presence.js';
import { serviceMethods } from './services.js';
import { addSurface } from './surface.js';
import { isFunction, isObject, isNonEmptyString, notNonEmpty } from './args.js';
import { answer as parse, failure, str, num, optNum, strs } from './engine.js';
import { md5 } from './md5.js';

const SDK_VERSION = '2.5.3';
const NOT_INITIALIZED = 'RongIMClient.init() must be called first';

/** A message as 2.x hands it to onReceived and onSuccess (api.md §4.6, §5.4). */
export class Message {
  constructor(fields) {
    if (fields) Object.assign(this, fields);
  }
}

/** The engine's content JSON as an instance of its 2.x class. */
function contentOf(m) {
  if (m.messageType === 'UnknownMessage' || !messageClasses[m.messageType]) {
    return new UnknownMessage(m.content, m.objectName);
  }
  return new messageClasses[m.messageType](m.content);
}

function toMessage(m, sentContent) {
  const message = new Message(m);
  message.content = sentContent || contentOf(m);
  return message;
}


/**
 * Builds a `RongIMLib` namespace bound to a host: `platform()` makes the platform adapter,
 * `loadWasm(options)` resolves to the initialised wasm glue (with `Engine`).
 * @param {{platform: () => import('./platform/types.js').Platform,
 *          loadWasm: (options: object) => Promise<any>,
 *          defaultSecure: () => boolean}} host
 */
export function createRongIMLib(host) {
  /** @type {any} */
  let glue = null;
  let appKey = null;
  let options = {};
  let platform = null;
  /** @type {import('./driver.js').Driver | null} */
  let driver = null;
  let instance = null;
  let deltaTime = 0;
  let filters = [];
  const statusListeners = [];
  const receiveListeners = [];
  const connectWaiters = [];
  const requests = new Map();
  const registered = new Map();

  function fail(out, code, reason) {
    out.fail_(code, null, reason);
    return out.promise_;
  }

  /** `fail` with −3 (PARAMETER_ERROR). */
  const refuse = (out, reason) => fail(out, ErrorCode.PARAMETER_ERROR, reason);

  /** `fail` with what an engine call threw: its `code`, else −3. */
  const failWith = (out, err) => fail(out, err && typeof err.code === 'number' ? err.code : ErrorCode.PARAMETER_ERROR, err && err.message);

  function engineConfig() {
    const prefix = `rong_${appKey}_`;
    const storage = {};
    try {
      for (const key of platform.storage.keys()) {
        if (key.startsWith(prefix)) {
          const value = platform.storage.get(key);
          if (value !== null) storage[key.slice(prefix.length)] = value;
        }
      }
    } catch {
      // An unreadable store starts from scratch; the server's sync fills the gaps.
    }
    const config = {
      appKey,
      secure: options.protocol ? options.protocol === 'https:' : host.defaultSecure(),
      seed: Math.floor(platform.random() * 2 ** 53),
      storage,
    };
    const navi = options.navi || options.navigaters;
    if (navi) config.naviHosts = Array.isArray(navi) ? navi.map(String) : [String(navi)];
    if (typeof options.api === 'string') config.apiHost = options.api;
    // The numeric options, each under its engine name.
    for (const [option, key] of [['naviTimeout', 'naviTimeoutMs'], ['maxNaviRetry', 'maxNaviRetry'], ['connectTimeout', 'connackTimeoutMs']]) {
      if (typeof options[option] === 'number') config[key] = options[option];
    }
    if (options.naviFile === 'navi.json' || options.naviFile === 'navi.js') config.naviFile = options.naviFile;
    if (options.outbox === true) config.outbox = true;
    if (typeof options.outboxExpiryMs === 'number' && options.outboxExpiryMs >= 0) config.outboxExpiryMs = Math.floor(options.outboxExpiryMs);
    if (options.autoReconnect === false) config.autoReconnect = null;
    else if (isObject(options.autoReconnect)) config.autoReconnect = options.autoReconnect;
    return { config, prefix };
  }

  /** The driver, created on first use once the wasm is loaded. */
  function ensureDriver() {
    if (driver) return driver;
    const { config, prefix } = engineConfig();
    driver = createDriver(glue.Engine, platform, config, prefix, dispatch);
    for (const [typeName, { objectName, tag }] of registered) {
      driver.engine_.registerMessageType(typeName, objectName, tag);
    }
    return driver;
  }

  /** Runs `fn` once the wasm is ready: at once when it is, else after loading. */
  function whenReady(fn, onLoadError) {
    if (glue) return fn();
    let loaded;
    try {
      loaded = host.loadWasm(options);
    } catch (err) {
      return onLoadError(err);
    }
    if (loaded && isFunction(loaded.then)) {
      loaded.then(
        (g) => {
          glue = g;
          fn();
        },
        (err) => onLoadError(err),
      );
      return undefined;
    }
    glue = loaded;
    return fn();
  }

  // Events are handled after the call that produced them has returned, so a command's id is
  // registered before its completion is looked up (2.x also defers its callbacks).
  let queued = [];
  function dispatch(events) {
    const first = queued.length === 0;
    queued.push(...events);
    if (first) defer(flush);
  }

  /** Settles every connect() waiting with `f(waiter)`. */
  const settleWaiters = (f) => connectWaiters.splice(0).forEach(f);

  function flush() {
    const events = queued;
    queued = [];
    for (const ev of events) {
      switch (ev.type) {
        case 'statusChanged':
          for (const l of statusListeners.slice()) safeCall(l, ev.status);
          break;
        case 'connected':
          deltaTime = platform.now() - driver.engine_.connectAckTime();
          settleWaiters((w) => w.ok_(ev.userId));
          break;
        case 'tokenIncorrect':
          settleWaiters((w) => w.tokenIncorrect_());
          break;
        case 'connectFailed':
          settleWaiters((w) => w.fail_(ev.code, null, `connect failed: ${ev.code}`));
          break;
        case 'storageFailed':
          // A refused storage write (full or unavailable storage), reported, never thrown.
          RongIMClient.logger({ code: ErrorCode.UNKNOWN, funcName: 'storage', msg: `could not store ${ev.key} (${ev.bytes} characters): ${ev.reason}` });
          break;
        case 'messageReceived':
          deliver(ev);
          break;
        case 'sendStarted': {
          // 2.x `onBefore(messageId)`: the PUBLISH is on its way.
          const req = requests.get(ev.id);
          if (req && req.onBefore_) safeCall(req.onBefore_, ev.messageId);
          break;
        }
        case 'requestCompleted':
          complete(ev.id, ev.result);
          break;
        case 'userStatus':
          ctx.userStatus_(ev);
          break;
        // Other events have no 2.x callback.
      }
    }
  }

  function deliver(ev) {
    const message = toMessage(ev.message);
    // Filters keep only the listed objectNames, for chatroom messages (as in 2.x, once each).
    if (
      filters.length &&
      message.conversationType === ConversationType.CHATROOM &&
      !filters.includes(message.objectName)
    ) {
      return;
    }
    for (const l of receiveListeners.slice()) safeCall(l, message, ev.left, ev.hasMore);
  }

  function complete(id, result) {
    const req = requests.get(id);
    if (!req) return;
    requests.delete(id);
    const { out_: out, map_: map, value_: value, content_: content } = req;
    if (result && 'Ok' in result) {
      const reply = result.Ok;
      if (map) {
        let args;
        try {
          args = map(reply);
        } catch (err) {
          out.fail_(ErrorCode.UNKNOWN, null, `unexpected reply: ${err && err.message}`);
          return;
        }
        // Callbacks get every value; a Promise resolves with the first, or with `value(...)`.
        if (!out.promise_) out.ok_(...args);
        else out.ok_(value ? value(...args) : args[0]);
      } else if (req.noValue_) out.ok_();
      else if (reply && reply.message) out.ok_(toMessage(reply.message, content));
      else out.ok_(reply);
    } else {
      const err = (result && result.Err) || { code: ErrorCode.UNKNOWN };
      out.fail_(err.code, err.message ? toMessage(err.message, content) : null, err.reason);
    }
  }

  /** Issues an engine command that completes with a `requestCompleted` event. */
  function request(out, call, extra) {
    if (!driver) return fail(out, ErrorCode.RC_NET_UNAVAILABLE, 'not connected');
    let id;
    try {
      id = driver.input_(call);
    } catch (err) {
      return failWith(out, err);
    }
    requests.set(id, Object.assign({ out_: out }, extra));
    return out.promise_;
  }

  /**
   * The value of a command answered at once (and drains what it persisted); throws an Error with
   * `code` when it fails.
   */
  function answerNow(call) {
    if (!driver) throw failure('the engine is not loaded', ErrorCode.RC_NET_UNAVAILABLE);
    return parse(driver.input_((e, t) => (call(e, t), e.text())));
  }

  /** Runs a synchronous engine call; `fallback` if it fails or answers nothing. */
  function sync(call, fallback) {
    try {
      const value = answerNow(call);
      return value === null ? fallback : value;
    } catch {
      return fallback;
    }
  }

  /** A synchronous engine answer delivered through a callback object or a Promise. */
  function answer(out, call, map) {
    let value;
    try {
      value = answerNow(call);
      if (map) value = map(value);
    } catch (err) {
      return failWith(out, err);
    }
    out.ok_(value);
    return out.promise_;
  }

  /** What the method groups (conversations.js, queries.js, local.js) use of this namespace. */
  // Its members, as every internal property, end in `_`: the mini program's bundle shortens
  // such names (scripts/build-pkg.mjs).
  const ctx = {
    conversation_: conversationMaker(() => instance),
    fail_: fail,
    sync_: sync,
    answer_: answer,
    answerNow_: answerNow,
    toMessage_: (m) => toMessage(m),
    /** As `request`, also before `connect`: loads the wasm and makes the engine first. */
    requestAnyTime_(out, call, map) {
      whenReady(
        () => (ensureDriver(), request(out, call, { map_: map })),
        (err) => out.fail_(ErrorCode.UNKNOWN, null, `the engine could not be loaded: ${err && err.message}`),
      );
      return out.promise_;
    },
    /**
     * An engine command whose reply `map(reply)` turns into the callback's arguments; a Promise
     * resolves with the first, or with `value(...arguments)`.
     */
    request_: (out, call, map, value) => request(out, call, { map_: map, value_: value }),
    /** A history reply's `map` and `value` for `request`: `onSuccess(messages, hasMsg)`, a Promise of `{list, hasMsg}`. */
    history_: [(r) => [r.list.map((m) => toMessage(m)), r.hasMore], (list, hasMsg) => ({ list, hasMsg })],
  };

  function startConnect(out, command) {
    connectWaiters.push(out);
    const unwait = () => connectWaiters.splice(connectWaiters.indexOf(out), 1);
    whenReady(
      () => {
        const d = ensureDriver();
        const started = d.input_(command);
        if (started < 0) {
          unwait();
          out.fail_(started, null, notNonEmpty('token'));
        } else if (!started) {
          // Ignored (already connected or connecting), silently as in 2.x; a Promise still
          // settles with the connection that exists or is being made.
          unwait();
          if (out.promise_) {
            if (d.engine_.status() === ConnectionStatus.CONNECTED) out.ok_(d.engine_.userId());
            else connectWaiters.push(out);
          }
        }
      },
      (err) => {
        unwait();
        out.fail_(ErrorCode.UNKNOWN, null, `the engine could not be loaded: ${err && err.message}`);
      },
    );
    return out.promise_;
  }

  // ---- instance methods (RongIMClient.getInstance()) ----

  function sendMessage(...args) {
    return send('', ...args);
  }

  /**
   * `sendMessage`; `how` is `''`, `'noValue'` (the success callback gets no argument: typing
   * status) or `'status'` (`sendStatusMessage`: online receivers only, stored nowhere).
   */
  function send(how, conversationType, targetId, content, callback, mentiondMsg, pushText, appData, methodType, params) {
    const out = outcome(callback);
    const bad = (reason) => refuse(out, reason);
    if (!isObject(content) || !isFunction(content.encode)) {
      return bad('content must be a message content object');
    }
    const typeParams = messageParams.get(content.messageName);
    if (!typeParams) return bad(`unregistered message type: ${String(content.messageName)}`);
    if (params != null && !isObject(params)) return bad('params must be an object');
    const p = params || {};
    let encoded;
    try {
      encoded = content.encode();
    } catch (err) {
      return bad(`content.encode() failed: ${err && err.message}`);
    }
    const onBefore = callback && isFunction(callback.onBefore) ? callback.onBefore : null;
    return request(
      out,
      (e, t) =>
        e.sendMessage(t, num(conversationType), str(targetId), typeParams.objectName, str(encoded), !!mentiondMsg,
          str(pushText) || undefined, str(appData) || undefined, optNum(methodType), strs(p.userIds),
          !!(p.isPush || p.isVoipPush), !!p.isFilerWhiteBlacklist, how === 'status'),
      { content_: content, noValue_: how === 'noValue', onBefore_: onBefore },
    );
  }

  class RongIMClient {
    /**
     * `init(appKey, dataAccessProvider, options)`. Options: `navi` (host[:port]), `protocol`
     * ('http:' | 'https:'), `naviTimeout`, `maxNaviRetry`; additions: `naviFile`
     * ('navi.js' | 'navi.json'), `autoReconnect` (false, or `{initialMs, maxMs, jitterPercent,
     * maxAttempts}`), `connectTimeout` (ms), `storage` (a Storage), `wasmPath` (mini program),
     * `outbox` (true: sends wait for a connection instead of failing, see the README) and
     * `outboxExpiryMs` (how long they wait, 24 h by default).
     */
    static init(appKey_, dataAccessProvider, options_) {
      if (!isNonEmptyString(appKey_)) throw new TypeError(`RongIMClient.init: ${notNonEmpty('appKey')}`);
      if (instance && appKey === appKey_) return instance;
      if (driver) {
        driver.dispose_();
        driver = null;
      }
      appKey = appKey_;
      options = Object.assign({}, isObject(options_) && options_);
      platform = host.platform();
      if (isObject(options.storage)) platform = Object.assign({}, platform, { storage: options.storage });
      instance = new RongIMClient();
      // The engine exists from init on (at once where the wasm loads synchronously), so
      // arguments are checked the same way before and after connecting.
      whenReady(ensureDriver, () => {});
      return instance;
    }

    static getInstance() {
      if (!instance) throw new Error(NOT_INITIALIZED);
      return instance;
    }

    static setConnectionStatusListener(listener) {
      if (!isObject(listener) || !isFunction(listener.onChanged)) {
        throw new TypeError('setConnectionStatusListener needs {onChanged(status)}');
      }
      statusListeners.push((s) => listener.onChanged(s));
    }

    static statusWatch(fn) {
      if (!isFunction(fn)) throw new TypeError('statusWatch needs a function');
      statusListeners.push(fn);
    }

    static setOnReceiveMessageListener(listener) {
      if (!isObject(listener) || !isFunction(listener.onReceived)) {
        throw new TypeError('setOnReceiveMessageListener needs {onReceived(message, left, hasMore)}');
      }
      receiveListeners.push((m, left, more) => listener.onReceived(m, left, more));
    }

    /** `connect(token, {onSuccess(userId), onTokenIncorrect(), onError(code)})`. */
    static connect(token, callback) {
      const out = outcome(callback);
      if (!instance) return refuse(out, NOT_INITIALIZED);
      if (typeof token !== 'string') return refuse(out, notNonEmpty('token'));
      return startConnect(out, (e, t) => e.connect(t, token, md5(token)));
    }

    /** `reconnect(callback, {auto, url, rate})`: connects again with the last token. */
    static reconnect(callback, config) {
      const out = outcome(callback);
      if (!driver) return refuse(out, 'reconnect() needs a previous connect()');
      if (config != null && !isObject(config)) {
        return refuse(out, 'config must be {auto, url, rate}');
      }
      const c = config || {};
      const rate = Array.isArray(c.rate) ? c.rate.filter((r) => typeof r === 'number') : undefined;
      const url = typeof c.url === 'string' ? c.url : undefined;
      return startConnect(out, (e, t) => e.reconnect(t, !!c.auto, url, rate));
    }

    /** `registerMessageType(typeName, objectName, messageTag, fields)`. */
    static registerMessageType(typeName, objectName, messageTag, fields) {
      if (!isNonEmptyString(typeName) || !isNonEmptyString(objectName)) {
        throw new TypeError('registerMessageType: typeName and objectName must be strings');
      }
      if (!isObject(messageTag) || !isFunction(messageTag.getMessageTag)) {
        throw new TypeError('registerMessageType: messageTag must be a MessageTag');
      }
      if (!Array.isArray(fields)) throw new TypeError('registerMessageType: fields must be an array');
      const tag = messageTag.getMessageTag();
      const Content = registerContentType(typeName, objectName, messageTag, fields.map(String));
      RongIMClient.RegisterMessage[typeName] = Content;
      registered.set(typeName, { objectName, tag });
      if (driver) driver.engine_.registerMessageType(typeName, objectName, tag);
      return Content;
    }

    // Instance methods.

    sendMessage(...args) {
      return sendMessage(...args);
    }

    /**
     * `sendStatusMessage(conversationType, targetId, content, callback)`: sent to the receivers
     * online now, stored and counted nowhere (2.5.3 declares `(content, sendCallback,
     * resultCallback)`, which names no conversation, and throws "Not implemented yet"; that form
     * gets `onError(PARAMETER_ERROR)`).
     */
    sendStatusMessage(conversationType, targetId, content, callback) {
      if (isObject(conversationType)) {
        return fail(outcome(targetId), ErrorCode.PARAMETER_ERROR, 'sendStatusMessage(conversationType, targetId, content, callback): a status message needs a conversation');
      }
      return send('status', conversationType, targetId, content, callback);
    }

    sendTextMessage(conversationType, targetId, text, callback) {
      if (typeof text !== 'string') return sendMessage(conversationType, targetId, null, callback);
      return sendMessage(conversationType, targetId, messageClasses.TextMessage.obtain(text), callback);
    }

    /** Sends RC:TypSts naming the objectName of `messageName`; onSuccess() has no argument. */
    sendTypingStatusMessage(conversationType, targetId, messageName, callback) {
      const typeParams = messageParams.get(messageName);
      if (!typeParams) {
        return refuse(outcome(callback), `unregistered message type: ${String(messageName)}`);
      }
      const content = new messageClasses.TypingStatusMessage({ typingContentType: typeParams.objectName, data: '' });
      return send('noValue', conversationType, targetId, content, callback);
    }

    /** Recalls a message this user sent: RC:RcCmd on `recallMsg` (api.md §3.2). */
    sendRecallMessage(message, callback) {
      const out = outcome(callback);
      if (!isObject(message)) return refuse(out, 'message must be the Message to recall');
      const m = message;
      return request(
        out,
        (e, t) =>
          e.sendRecall(t, num(m.conversationType), str(m.targetId), str(m.messageUId), num(m.sentTime),
            String(m.senderUserId || ''), typeof m.extra === 'string' ? m.extra : undefined),
        {},
      );
    }

    disconnect() {
      if (driver) driver.input_((e, t) => e.disconnect(t));
    }

    logout() {
      if (driver) driver.input_((e, t) => e.logout(t));
    }

    getCurrentConnectionStatus() {
      const s = driver ? driver.engine_.status() : -1;
      return s < 0 ? ConnectionStatus.CONNECTION_CLOSED : s;
    }

    getConnectionChannel() {
      return ConnectionChannel.WEBSOCKET;
    }

    getStorageProvider() {
      return 'ServerDataProvider';
    }

    getCurrentUserId() {
      return driver ? driver.engine_.userId() : '';
    }

    getDeltaTime() {
      return deltaTime;
    }

    getAppInfo() {
      return { appKey };
    }

    getSDKInfo() {
      return { version: SDK_VERSION };
    }

    getNavi() {
      const raw = driver && driver.engine_.navi();
      if (!raw) return {};
      try {
        return JSON.parse(raw);
      } catch {
        return {};
      }
    }

    /** Keeps only these objectNames among chatroom messages (api.md §8.2 item 10, fixed). */
    setFilterMessages(objectNames) {
      filters = Array.isArray(objectNames) ? objectNames.filter((n) => typeof n === 'string') : [];
    }

    clearListeners() {}

    /** Removes every `rong_`-prefixed storage key of this app key. */
    clearLocalStorage(callback) {
      if (platform) {
        const prefix = `rong_${appKey}_`;
        for (const key of platform.storage.keys()) if (key.startsWith(prefix)) platform.storage.remove(key);
      }
      safeCall(callback);
    }
  }

  // Conversations, unread counts and drafts; history, blacklist, discussions and chatrooms; the
  // call and location methods without their plugin; files and user status.
  for (const methods of [conversationMethods(ctx), queryMethods(ctx), localMethods(ctx), pluginMethods(), presenceMethods(ctx), serviceMethods(ctx)]) {
    for (const [name, fn] of Object.entries(methods)) {
      // An alias is named here, after its key.
      if (!fn.name) hidden(fn, 'name', name);
      method(RongIMClient.prototype, name, fn);
    }
  }

  RongIMClient.MessageType = MessageType;
  RongIMClient.MessageParams = messageParams;
  RongIMClient.RegisterMessage = {};

  // The rest of 2.5.3's classes and RongIMClient's remaining static members (surface.js).
  return addSurface(
    Object.assign({ RongIMClient, Message, Conversation, MessageTag, MentionedInfo, UnknownMessage }, enumSet, messageClasses),
  );
}
