// The engine binding: `Engine`, one JS method per engine method, over the wasm `EngineCore`,
// whose values cross as JSON text (one serializer per type in wasm, no JS object handling
// there). The engine checks the arguments; one that does not fit is an Error with code -3.
// scripts/build-pkg.mjs re-exports this class from the wasm glue module, as `Engine`.
import { EngineCore } from './wasm/im_wasm.js';

/** `ErrorCode.PARAMETER_ERROR`. */
const PARAMETER_ERROR = -3;

function failure(message) {
  const err = new Error(message);
  err.code = PARAMETER_ERROR;
  return err;
}

/** Non-finite numbers keep their names, so that the engine rejects them (JSON would say null). */
const replacer = (key, value) => (typeof value === 'number' && !isFinite(value) ? String(value) : value);

export class Engine {
  /** A config object: `appKey`, `naviHosts`, `secure`, `seed`, `storage`, … (im_client::Config). */
  constructor(config) {
    this.core = new EngineCore();
    try {
      this.call('new', [config]);
    } catch (err) {
      this.core.free();
      throw err;
    }
  }

  /** Runs an engine command `name(...args)`; its answer, or `undefined` for none. */
  call(name, args) {
    let text;
    try {
      text = JSON.stringify([name, ...args], replacer);
    } catch (err) {
      throw failure(`invalid arguments of ${name}: ${err && err.message}`);
    }
    const answer = this.core.call(text);
    if (answer[0] === '!') throw failure(answer.slice(1));
    return answer === '' ? undefined : JSON.parse(answer);
  }

  /** The next output `{type, …}`; `sendBytes` carries its frame as `bytes` (a Uint8Array). */
  pollOutput() {
    const out = JSON.parse(this.core.pollOutput());
    if (out.type === 'sendBytes') out.bytes = this.core.bytes();
    return out;
  }

  /** One binary WebSocket message. */
  handleSocketData(now, bytes) {
    this.core.handleSocketData(now, bytes);
  }

  /** The last connection status emitted, or −1 before any. */
  get status() {
    return this.call('status', []);
  }

  /** The current user id (empty before the first connection). */
  get userId() {
    return this.call('userId', []);
  }

  /** The server time (ms) of the last accepted CONNACK, 0 before any. */
  get connectAckTime() {
    return this.call('connectAckTime', []);
  }

  free() {
    this.core.free();
  }
}

// The other engine methods, each `name(...args)` → `call(name, args)` (crates/wasm documents
// their arguments).
for (const name of (
  'handleTimeout handleHttpResponse handleSocketOpen handleSocketClose handleSocketError connect reconnect ' +
  'disconnect logout sendMessage sendRecall query registerMessageType navi stored fetchConversationList ' +
  'conversationList conversation updateConversation removeConversation totalUnreadCount unreadCount ' +
  'clearUnreadCount saveDraft draft clearDraft history clearRemoteHistory addToBlacklist removeFromBlacklist ' +
  'blacklist blacklistStatus createDiscussion addDiscussionMembers discussion quitDiscussion ' +
  'removeDiscussionMember setDiscussionInviteStatus setDiscussionName joinChatroom quitChatroom chatroomInfo ' +
  'setChatroomHistoryTimestamp chatroomHistory'
).split(' ')) {
  Engine.prototype[name] = function (...args) {
    return this.call(name, args);
  };
}
