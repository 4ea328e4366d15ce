// The rest of RongIMLib 2.5.3's public surface: model classes, storage and data providers, 2.x's
// utility classes, the emoji helper, and RongIMClient's remaining static members. Each class is
// as small as its behaviour here needs; where a 2.x class has no job in this design (the codec
// and the protocol live in the wasm engine) it exists with its fields, as its comment says.
import { ErrorCode } from './enums.js';
import { MessageTag, MessageContent, NotificationMessage, StatusMessage, defineContent, messageClasses } from './messages.js';
import { defer, outcome, safeCall } from './callbacks.js';
import { isFunction, isObject } from './args.js';
import { md5 } from './md5.js';
import { hidden, method } from './props.js';
import { RongIMEmoji } from './emoji.js';
import { MODELS } from './generated/tables.js';

// MODELS (rows.js): 2.x's model classes and their constructor's fields.
const models = {};
for (const row of MODELS.split('|')) {
  const [name, fields] = row.split(' ');
  models[name] = hidden(
    class {
      constructor(...args) {
        fields.split(',').forEach((f, i) => {
          this[f] = args[i];
        });
      }
    },
    'name',
    name,
  );
}

const typeOf = (v) => Object.prototype.toString.call(v).slice(8, -1).toLowerCase();
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/** Defines each of `members` on `C` as class syntax defines a static method. */
const statics = (C, members) => {
  for (const [key, value] of Object.entries(members)) method(C, key, value);
};

/** 2.x's helpers, with its names. */
export class RongUtil {}
statics(RongUtil, {
  noop() {},

  /** An object without own keys, an empty string or array, 0, null or undefined. */
  isEmpty(o) {
    if (typeof o === 'number') return o === 0;
    if (typeof o === 'string' || Array.isArray(o)) return !o.length;
    return !(RongUtil.isObject(o) && Object.keys(o).length);
  },

  MD5(text, key, raw) {
    return md5(text, key, raw);
  },

  isObject: (o) => typeOf(o) === 'object',

  isArray: (a) => Array.isArray(a),

  isFunction: (f) => isFunction(f),

  /** `'{0} and {1}'` with `vals[0]`, `vals[1]`. */
  stringFormat(tmpl, vals) {
    return String(tmpl).replace(/\{(\d+)\}/g, (m, i) => (vals && i < vals.length ? vals[i] : m));
  },

  /** `callback(value, key, obj)` for an object's own keys, `callback(value, index)` for an array. */
  forEach(obj, callback) {
    if (Array.isArray(obj)) obj.forEach((v, i) => callback(v, i));
    else if (RongUtil.isObject(obj)) for (const k of Object.keys(obj)) callback(obj[k], k, obj);
  },

  /** Copies `source`'s keys that `target` lacks (all of them with `force`) into `target`. */
  extend(source, target, callback, force) {
    RongUtil.forEach(source, (v, k) => {
      if (force || !(k in target)) target[k] = v;
    });
    return target;
  },

  // XMLHttpRequest and localStorage are looked up where they are used: the mini-program build
  // defines both as undefined (no mini program has them), so the code using them drops out.

  /** An XMLHttpRequest, or null where the host has none (Node, mini programs). */
  createXHR: () => (typeof XMLHttpRequest === 'function' ? new XMLHttpRequest() : null),

  /** `{url, method, success(text), error(status, text)}` over XMLHttpRequest. */
  request(opts) {
    const o = isObject(opts) ? opts : {};
    if (typeof XMLHttpRequest !== 'function') {
      defer(() => safeCall(o.error, 0, ''));
      return null;
    }
    const x = new XMLHttpRequest();
    x.onreadystatechange = () => {
      if (x.readyState === 4) {
        if (x.status === 200) safeCall(o.success, x.responseText);
        else safeCall(o.error, x.status, x.responseText);
      }
    };
    x.open(o.method || 'GET', o.url, true);
    x.send(null);
    return x;
  },

  /** `{path, protocol, tmpl, sub}`: `path` without its scheme (and, with `sub`, its path) in `tmpl`. */
  formatProtoclPath(config) {
    let path = String(config.path);
    const at = path.indexOf('://');
    if (at > -1) path = path.slice(at + 3);
    if (config.sub && path.indexOf('/') > -1) path = path.slice(0, path.indexOf('/'));
    return RongUtil.stringFormat(config.tmpl || '{0}{1}', [config.protocol, path]);
  },

  supportLocalStorage() {
    const key = 'RC_TMP_KEY';
    const value = 'RC_TMP_VAL';
    try {
      if (typeof localStorage !== 'object') return false;
      localStorage.setItem(key, value);
      const ok = localStorage.getItem(key) === value;
      localStorage.removeItem(key);
      return ok;
    } catch {
      return false;
    }
  },

  /** A copy of an object (or of each object of an array) with keys renamed by `newNames`. */
  rename(origin, newNames) {
    const one = RongUtil.isObject(origin);
    const list = JSON.parse(JSON.stringify(one ? [origin] : origin)).map((item) => {
      if (!RongUtil.isObject(item)) return item;
      const out = {};
      for (const k of Object.keys(item)) out[hasOwn(newNames, k) ? newNames[k] : k] = item[k];
      return out;
    });
    return one ? list[0] : list;
  },

  some: (arrs, callback) => Array.prototype.some.call(arrs, (x) => callback(x)),
});

/** Watchers by key: `watch({key, func, multiple})`, `notify({key, entity})` calls those whose key starts with `key`. */
export class RongObserver {
  constructor() {
    this.watchers = {};
  }

  genUId(key) {
    return `${key}_${Date.now()}`;
  }

  watch(params) {
    const keys = Array.isArray(params.key) ? params.key : [params.key];
    for (const k of keys) this.watchers[params.multiple ? this.genUId(k) : k] = params.func;
  }

  notify(params) {
    for (const k of Object.keys(this.watchers)) {
      if (k.indexOf(params.key) === 0) safeCall(this.watchers[k], params.entity);
    }
  }

  /** Removes every watcher. */
  remove() {
    this.watchers = {};
  }
}

/** A map keeping at most `limit` keys (10 by default): the oldest goes first; a missing key reads 0. */
export class LimitableMap {
  constructor(limit) {
    this.map = {};
    this.keys = [];
    this.limit = limit || 10;
  }

  set(key, value) {
    if (!hasOwn(this.map, key) && this.keys.push(key) > this.limit) delete this.map[this.keys.shift()];
    this.map[key] = value;
  }

  get(key) {
    return this.map[key] || 0;
  }

  remove(key) {
    delete this.map[key];
    this.keys = this.keys.filter((k) => k !== key);
  }
}

/** A list of `{conversationType, [id]}` items, newest first, as 2.x's ConversationMap and PublicServiceMap keep them. */
class ItemList {
  constructor(list, id) {
    this[list] = [];
    hidden(this, '_k', [list, id]);
  }

  /** The list, and the index in it of the item of `type` and `id` (−1: none). */
  _at(type, id) {
    const [name, key] = this._k;
    const items = this[name];
    return [items, items.findIndex((x) => x.conversationType == type && x[key] == id)]; // eslint-disable-line eqeqeq
  }

  get(type, id) {
    const [items, i] = this._at(type, id);
    return i < 0 ? null : items[i];
  }

  /** Moves the item that is listed to the front, or puts this one there. */
  add(item) {
    const [items, i] = this._at(item.conversationType, item[this._k[1]]);
    items.unshift(i < 0 ? item : items.splice(i, 1)[0]);
  }

  /** Replaces the listed item in place. */
  replace(item) {
    const [items, i] = this._at(item.conversationType, item[this._k[1]]);
    if (i > -1) items[i] = item;
  }

  remove(type, id) {
    const [items, i] = this._at(type, id);
    if (i > -1) items.splice(i, 1);
  }
}

export class ConversationMap extends ItemList {
  constructor() {
    super('conversationList', 'targetId');
  }

  remove(conversation) {
    super.remove(conversation.conversationType, conversation.targetId);
  }
}

export class PublicServiceMap extends ItemList {
  constructor() {
    super('publicServiceList', 'publicServiceId');
  }
}

/** The upload helper of 2.x (`{url, token, base64}`, or `{url, type, appKey, …}` as a form) over XMLHttpRequest. */
export class RongAjax {
  constructor(options) {
    this.options = options || {};
    this.xmlhttp = RongUtil.createXHR();
  }

  /** `callback(json reply)`, or `callback()` for a form; `callback()` at once without XMLHttpRequest. */
  send(callback) {
    const o = this.options;
    const x = this.xmlhttp;
    if (typeof XMLHttpRequest !== 'function' || !x) return void defer(() => safeCall(callback));
    x.onreadystatechange = () => {
      if (x.readyState !== 4) return;
      if (o.type) return void safeCall(callback);
      let reply;
      try {
        reply = JSON.parse(String(x.responseText).replace(/'/g, '"'));
      } catch {
        // Not JSON: the callback gets undefined.
      }
      safeCall(callback, reply);
    };
    x.open('POST', o.url, true);
    x.withCredentials = false;
    x.setRequestHeader('Content-type', o.type ? 'application/x-www-form-urlencoded; charset=utf-8' : 'application/octet-stream');
    if (!o.type) x.setRequestHeader('Authorization', `UpToken ${o.token}`);
    const form = ['appKey', 'deviceId', 'timestamp', 'deviceInfo'].map((k) => `${k}=${o[k]}&`).join('');
    x.send(o.type ? `${form}privateInfo=${JSON.stringify(o.privateInfo)}` : o.base64);
  }
}

/** 2.x loaded its protobuf codec here; the codec is in the wasm engine, so there is nothing to load. */
export class FeatureDectector {
  constructor(callback) {
    this.script = null;
    this.head = null;
    if (isFunction(callback)) defer(() => safeCall(callback));
  }
}

/** 2.x's polyfills: `Array.forEach(array, fn)` where missing; every supported host has JSON. */
export class FeaturePatcher {
  patchAll() {
    this.patchJSON();
    this.patchForEach();
  }

  patchForEach() {
    if (!Array.forEach) Array.forEach = (arr, fn) => Array.prototype.forEach.call(arr, (v, i) => fn.call(arr, v, i, arr));
  }

  patchJSON() {}
}

export class ModelUtil {
  /** The content's fields without `messageName` and `encode`. */
  static modelClone(object) {
    const out = {};
    for (const k in object) if (k !== 'messageName' && k !== 'encode') out[k] = object[k];
    return out;
  }

  /** A content class copying `fields`, named `msgType` (not registered: see registerMessageType). */
  static modleCreate(fields, msgType) {
    return defineContent(msgType, fields.map(String));
  }
}

/** 2.x's status content without an objectName: it is never sent (sendMessage refuses it with −3). */
export class IsTypingStatusMessage extends StatusMessage {
  getMessage() {
    return null;
  }
}
hidden(IsTypingStatusMessage.prototype, 'messageName', 'IsTypingStatusMessage');

/** 2.x's customer-service status content, also without an objectName. */
export const CustomerStatusMessage = defineContent('CustomerStatusMessage', ['status']);
CustomerStatusMessage.obtain = () => null;

// `ContactNotificationMessage.CONTACT_OPERATION_REQUEST` = 'ContactOperationRequest', …
for (const op of ['Request', 'AcceptResponse', 'RejectResponse']) {
  messageClasses.ContactNotificationMessage[`CONTACT_OPERATION_${op.replace(/\B[A-Z]/g, '_$&').toUpperCase()}`] = `ContactOperation${op}`;
}

// ---- storage providers ----

/** A host storage as get/set/remove/keys over an object. */
const objectStore = (o) => ({
  get: (k) => (hasOwn(o, k) ? o[k] : null),
  set: (k, v) => {
    o[k] = v;
  },
  remove: (k) => {
    delete o[k];
  },
  keys: () => Object.keys(o),
});

/** The browser's localStorage as a store, or memory where the host has none. */
function hostStore() {
  try {
    const ls = localStorage;
    if (ls) {
      return {
        get: (k) => ls.getItem(k),
        set: (k, v) => ls.setItem(k, v),
        remove: (k) => ls.removeItem(k),
        keys: () => Array.from({ length: ls.length }, (_, i) => ls.key(i)),
      };
    }
  } catch {
    // No localStorage here (or no access to it).
  }
  return objectStore({});
}

/**
 * 2.x's StorageProvider (`setItem`, `getItem`, … on keys prefixed `rong_`), which is also a
 * storage the SDK can keep its state in: `RongIMClient.init(appKey, null, {storage: provider})`.
 */
class Provider {
  constructor(store) {
    hidden(this, '_s', store);
    this.prefix = 'rong_';
    this._host = '';
  }

  _key(k) {
    k = String(k);
    return k.indexOf(this.prefix) < 0 ? this.prefix + k : k;
  }

  setItem(key, value) {
    this._s.set(this._key(key), String(value));
  }

  getItem(key) {
    return this._s.get(this._key(key));
  }

  removeItem(key) {
    this._s.remove(this._key(key));
  }

  /** The first stored key that starts with the prefix and `str`, or null. */
  getItemKey(str) {
    return this.keys().find((k) => k.indexOf(this.prefix + str) === 0) || null;
  }

  /** Removes every key with the prefix. */
  clearItem() {
    for (const k of this.keys()) if (k.indexOf(this.prefix) === 0) this._s.remove(k);
  }

  /** Bytes (UTF-16 code units) stored under the prefix. */
  onOutOfQuota() {
    return this.keys().reduce((n, k) => (k.indexOf(this.prefix) === 0 ? n + k.length + String(this._s.get(k)).length : n), 0);
  }

  get(key) {
    return this._s.get(key);
  }

  set(key, value) {
    this._s.set(key, String(value));
  }

  remove(key) {
    this._s.remove(key);
  }

  keys() {
    return this._s.keys();
  }
}

/** Keeps everything in `_memeoryStore` (sic). */
export class MemeoryProvider extends Provider {
  constructor() {
    const store = {};
    super(objectStore(store));
    this._memeoryStore = store;
  }
}

/** The browser's localStorage (memory where the host has none). */
export class LocalStorageProvider extends Provider {
  constructor() {
    super(hostStore());
  }
}

/** IE's userData store in 2.x; here the same storage as LocalStorageProvider, under the 2.x name. */
export class UserDataProvider extends Provider {
  constructor() {
    super(hostStore());
    this.oPersist = null;
    this.opersistName = 'RongIMLib';
    this.keyManager = 'RongUserDataKeyManager';
  }
}

/** An app's own 2.x StorageProvider as a storage; without `keys()` nothing stored is read back at start. */
const storageOf = (p) => ({
  get: (k) => {
    const v = p.getItem(k);
    return v === undefined || v === '' ? null : v;
  },
  set: (k, v) => p.setItem(k, v),
  remove: (k) => p.removeItem(k),
  keys: () => (isFunction(p.keys) ? p.keys() : []),
});

/** Everything of this file that does not depend on a namespace. */
const shared = Object.assign(models, {
  RongUtil,
  RongObserver,
  LimitableMap,
  ConversationMap,
  PublicServiceMap,
  RongAjax,
  FeatureDectector,
  FeaturePatcher,
  ModelUtil,
  MessageContent,
  NotificationMessage,
  StatusMessage,
  IsTypingStatusMessage,
  CustomerStatusMessage,
  MemeoryProvider,
  LocalStorageProvider,
  UserDataProvider,
  RongIMEmoji,
  // The 2.5.3 declarations spell the red-packet classes this way; the classes are the same.
  JrmfReadPacketMessage: messageClasses.JrmfRedPacketMessage,
  JrmfReadPacketOpenedMessage: messageClasses.JrmfRedPacketOpenedMessage,
});

/**
 * Adds the rest of the surface to a namespace `L` made by createRongIMLib: the classes above,
 * the namespace's CheckParam and data providers, and RongIMClient's remaining static members.
 */
export function addSurface(L) {
  const C = L.RongIMClient;
  let showErrors = true;

  /** 2.x's argument checker: a failed check is reported through `RongIMClient.logger` as −3. */
  class CheckParam {
    static getInstance() {
      return CheckParam._instance || (CheckParam._instance = new CheckParam());
    }

    logger(code, funcName, msg) {
      C.logger({ code, funcName, msg });
    }

    /** Each of `args` must have a type named in the pattern at its index (`'string|null'`). */
    check(types, position, d, args) {
      let ok = true;
      (types || []).forEach((t, i) => {
        if (!new RegExp(`^(${t})$`).test(this.getType(args && args[i]))) {
          ok = false;
          this.logger(ErrorCode.PARAMETER_ERROR, position, `argument ${i + 1} is not ${t}`);
        }
      });
      return ok;
    }

    getType(v) {
      return typeOf(v);
    }

    checkCookieDisable() {
      return !(typeof navigator === 'object' && navigator && navigator.cookieEnabled);
    }
  }
  CheckParam._instance = null;

  /**
   * 2.x's data-access provider: here the engine does that work, so the provider has the client
   * instance's methods (and the static ones 2.x also put on it).
   */
  class ServerDataProvider extends C {
    init(appKey, options) {
      return isFunction(options) ? C.init(appKey, this, undefined, options) : C.init(appKey, this, options);
    }

    getDelaTime() {
      return C.getInstance().getDeltaTime();
    }

    setServerInfo() {}

    setDeviceId() {}

    setEnvironment() {}

    // 2.x's provider names for what the client does (2.5.3's own bodies were mostly stubs).

    /** Stores `message` in the conversation without sending it (`insertMessage`). */
    addMessage(conversationType, targetId, message, callback) {
      return this.insertMessage(conversationType, targetId, message, callback);
    }

    /** Deletes messages from the user's history on the server (`deleteRemoteMessages`). */
    removeMessage(conversationType, targetId, delMsgs, callback) {
      return this.deleteRemoteMessages(conversationType, targetId, delMsgs, callback);
    }

    /** `readStatus` clears the conversation's unread count; other keys fail with PARAMETER_ERROR. */
    updateMessages(conversationType, targetId, key, value, callback) {
      if (key === 'readStatus') return this.clearUnreadCount(conversationType, targetId, callback);
      const out = outcome(callback);
      out.fail_(ErrorCode.PARAMETER_ERROR, null, `updateMessages: unknown key ${String(key)} (only readStatus)`);
      return out.promise_;
    }

    /** `subscribeUserStatus(userIds, callback)`: `onSuccess(true)` once subscribed (the request of `setUserStatusListener`). */
    subscribeUserStatus(userIds, callback) {
      const subscribed = this.setUserStatusListener({ userIds }, null);
      if (!isObject(callback)) return subscribed;
      subscribed.then((v) => safeCall(callback.onSuccess, v), (e) => safeCall(callback.onError, e.code));
      return undefined;
    }

    /** Every conversation of every type, hidden ones too. */
    getAllConversations(callback) {
      return this.getConversationList(callback, null, null, true);
    }

    /** The conversations whose stored messages contain `keywords` (`searchConversationByContent`). */
    getConversationByContent(keywords, callback) {
      return this.searchConversationByContent(keywords, callback);
    }

    /** Every stored message of the conversation that contains `keywords`, newest first. */
    getMessagesFromConversation(conversationType, targetId, keywords, callback) {
      return this.searchMessageByContent(conversationType, targetId, keywords, 0, 2 ** 31 - 1, 0, callback);
    }
  }
  for (const n of ['connect', 'reconnect', 'setConnectionStatusListener', 'setOnReceiveMessageListener', 'registerMessageType', 'registerMessageTypes']) {
    ServerDataProvider.prototype[n] = (...a) => C[n](...a);
  }

  /** 2.x's provider for its desktop (C++ addon) SDK; the same engine serves here, the addon is kept unused. */
  class VCDataProvider extends ServerDataProvider {
    constructor(addon) {
      super();
      this.addon = addon;
    }
  }

  const init = C.init;
  const LogFactory = {};
  for (const k in ErrorCode) if (/^-?\d+$/.test(k)) LogFactory[k] = { code: k, msg: ErrorCode[k] };

  /** `{onSuccess, onError}` (and `onBefore` for sends) whose errors go through `logger` first. */
  const logged = (callback, funcName, send) => {
    const cb = isObject(callback) ? callback : {};
    const out = {
      onSuccess: cb.onSuccess,
      onError: (code, result) => {
        C.logger({ code, funcName });
        if (send) safeCall(cb.onError, code, result);
        else safeCall(cb.onError, code);
      },
    };
    if (send) out.onBefore = cb.onBefore;
    return out;
  };

  Object.assign(C, {
    /** The protobuf codec of 2.x; the codec is in the wasm engine. */
    Protobuf: null,
    /** ErrorCode value → `{code, msg}` (the name), for `logger`. */
    LogFactory,
    _memoryStore: {},
    isNotPullMsg: false,
    _storageProvider: null,
    _dataAccessProvider: null,
    _voipProvider: null,
    /** 2.x's socket bridge; the engine and the driver do its work. */
    bridge: null,
    userStatusObserver: new RongObserver(),
    userStatusListener: null,

    /**
     * `init(appKey, dataAccessProvider, options, callback)`: also accepts a 2.x StorageProvider
     * as `options.storage`, `options.showError` (false: `logger` stays quiet), and calls
     * `callback()` once done.
     */
    init(appKey, provider, options, callback) {
      const o = isObject(options) ? Object.assign({}, options) : options;
      const storage = o && o.storage;
      if (isObject(storage) && !isFunction(storage.get) && isFunction(storage.getItem)) {
        o.storage = storageOf(storage);
      }
      const instance = init(appKey, provider, o);
      showErrors = !(o && o.showError === false);
      C._memoryStore = { appKey, depend: o || {}, sdkInfo: instance.getSDKInfo() };
      C._dataAccessProvider = isObject(provider) ? provider : new ServerDataProvider();
      C._storageProvider = isObject(storage) && isFunction(storage.getItem) ? storage : null;
      if (isFunction(callback)) defer(() => safeCall(callback));
      return instance;
    },

    /** `initApp({appkey, dataAccessProvider, opts}, callback(error, instance))`; without a callback, a Promise of the instance. */
    initApp(config, callback) {
      const c = isObject(config) ? config : {};
      let instance = null;
      let error = null;
      try {
        instance = C.init(c.appkey, c.dataAccessProvider, c.opts);
      } catch {
        error = ErrorCode.PARAMETER_ERROR;
      }
      if (isFunction(callback)) {
        defer(() => safeCall(callback, error, instance));
        return undefined;
      }
      return error === null ? Promise.resolve(instance) : Promise.reject({ code: error, message: 'initApp needs {appkey}', data: null });
    },

    showError(errorInfo) {
      if (typeof console !== 'undefined') console.error(JSON.stringify(errorInfo));
    },

    /** `logger({code, funcName, msg})`: the LogFactory entry of `code` to `showError` (unless init's showError is false). */
    logger(params) {
      const p = isObject(params) ? params : {};
      const info = Object.assign({}, LogFactory[p.code] || { code: p.code }, { funcName: p.funcName });
      if (p.msg) info.msg = p.msg;
      if (showErrors) C.showError(info);
      return info;
    },

    logCallback: (callback, funcName) => logged(callback, funcName),

    logSendCallback: (callback, funcName) => logged(callback, funcName, true),

    /**
     * `registerMessageTypes({TypeName: {name: objectName, flag, proto: {field: …}}})`. `flag` is
     * the tag value isCounted·2 + isPersisted (0–3, default 3): 2.5.3 turned 1 and 0 into counted
     * and persisted; here 1 is persisted only and 0 neither.
     */
    registerMessageTypes(types) {
      const out = {};
      for (const [typeName, t] of Object.entries(isObject(types) ? types : {})) {
        const d = isObject(t) ? t : {};
        const flag = d.flag === undefined ? 3 : d.flag;
        if (![0, 1, 2, 3].includes(flag)) throw new TypeError(`registerMessageTypes: ${typeName}.flag must be 0, 1, 2 or 3`);
        out[typeName] = C.registerMessageType(typeName, d.name, MessageTag.getTagByStatus(flag), Object.keys(isObject(d.proto) ? d.proto : {}));
      }
      return out;
    },
  });
  // 2.5.3's JS had registerMessageTypes on the instance (its declarations made it static).
  method(C.prototype, 'registerMessageTypes', C.registerMessageTypes);

  return Object.assign(L, shared, { CheckParam, ServerDataProvider, VCDataProvider });
}
