// The built package, imported by name: its namespace has the 2.x surface, and invalid arguments
// end in onError (or a rejected Promise) with a code — never in an exception.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { consumer } from './support/consumer.mjs';

let mod;
let pkgDir;

before(async () => {
  const c = await consumer();
  mod = await c.loadNode();
  pkgDir = c.resolveInPackage('');
});

test('the package exports RongIMLib with the 2.x names', () => {
  const R = mod.default;
  assert.equal(mod.RongIMLib, R);
  assert.equal(mod.RongIMClient, R.RongIMClient);
  for (const name of ['init', 'connect', 'reconnect', 'getInstance', 'setConnectionStatusListener',
    'setOnReceiveMessageListener', 'registerMessageType', 'statusWatch']) {
    assert.equal(typeof R.RongIMClient[name], 'function', name);
  }
  assert.equal(typeof R.RongIMClient.MessageType, 'object');
  assert.equal(typeof R.RongIMClient.RegisterMessage, 'object');
  for (const name of ['ConversationType', 'ConnectionStatus', 'ErrorCode', 'SentStatus', 'MentionedType', 'MessageDirection']) {
    assert.equal(typeof R[name], 'object', name);
  }
  for (const name of ['TextMessage', 'ImageMessage', 'FileMessage', 'RecallCommandMessage', 'MessageTag', 'MentionedInfo']) {
    assert.equal(typeof R[name], 'function', name);
  }
  const pkg = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
  assert.equal(pkg.name, 'rongimlib-wasm');
  assert.deepEqual(Object.keys(pkg.dependencies), ['ws']);
  assert.equal(pkg.miniprogram, 'miniprogram_dist');
  assert.ok(pkg.exports['.'].node && pkg.exports['.'].browser && pkg.exports['.'].default);
});

test('the mini-program bundle has no eval, new Function, import.meta or fetch', () => {
  const wx = readFileSync(`${pkgDir}miniprogram_dist/index.js`, 'utf8');
  for (const banned of ['import.meta', 'fetch(', 'eval(', 'new Function', 'require("ws")']) {
    assert.ok(!wx.includes(banned), banned);
  }
});

/** The outcome of a callback-style call: [method, args]. */
function viaCallback(call) {
  return new Promise((resolve) => {
    let result;
    assert.doesNotThrow(() => {
      result = call({ onSuccess: (...a) => resolve(['onSuccess', a]), onError: (...a) => resolve(['onError', a]) });
    });
    assert.equal(result, undefined, 'callback form returns nothing');
  });
}

test('bad sendMessage arguments call onError(-3) before and regardless of the connection', async () => {
  const R = mod.createRongIMLib();
  R.RongIMClient.init('argsapp', null, { navi: '127.0.0.1:1', protocol: 'http:' });
  const im = R.RongIMClient.getInstance();
  const text = R.TextMessage.obtain('x');
  const cases = [
    ['conversation type not a number', (cb) => im.sendMessage('1', 'bob', text, cb)],
    ['unknown conversation type', (cb) => im.sendMessage(99, 'bob', text, cb)],
    ['missing target', (cb) => im.sendMessage(1, undefined, text, cb)],
    ['empty target', (cb) => im.sendMessage(1, '', text, cb)],
    ['target not a string', (cb) => im.sendMessage(1, 42, text, cb)],
    ['no content', (cb) => im.sendMessage(1, 'bob', null, cb)],
    ['content without encode', (cb) => im.sendMessage(1, 'bob', { content: 'x' }, cb)],
    ['unregistered content', (cb) => im.sendMessage(1, 'bob', { messageName: 'Nope', encode: () => '{}' }, cb)],
    ['encode throws', (cb) => im.sendMessage(1, 'bob', Object.assign(R.TextMessage.obtain('x'), { encode() { throw new Error('x'); } }), cb)],
    ['pushText not a string', (cb) => im.sendMessage(1, 'bob', text, cb, false, 5)],
    ['userIds not strings', (cb) => im.sendMessage(1, 'bob', text, cb, false, null, null, null, { userIds: [1] })],
    ['content larger than 128 KB', (cb) => im.sendMessage(1, 'bob', R.TextMessage.obtain('x'.repeat(140 * 1024)), cb)],
    ['text not a string', (cb) => im.sendTextMessage(1, 'bob', 5, cb)],
    ['typing status of an unregistered type', (cb) => im.sendTypingStatusMessage(1, 'bob', 'NoSuchMessage', cb)],
    ['recall without messageUId', (cb) => im.sendRecallMessage({ targetId: 'bob' }, cb)],
    ['recall of nothing', (cb) => im.sendRecallMessage(null, cb)],
  ];
  for (const [what, call] of cases) {
    const [method, args] = await viaCallback(call);
    assert.equal(method, 'onError', what);
    assert.equal(args[0], R.ErrorCode.PARAMETER_ERROR, what);
  }
  // Well-formed but not connected: RC_NET_UNAVAILABLE.
  const [method, args] = await viaCallback((cb) => im.sendMessage(1, 'bob', text, cb));
  assert.deepEqual([method, args[0]], ['onError', R.ErrorCode.RC_NET_UNAVAILABLE]);
});

test('without a callback the same failures reject the returned Promise with {code, message}', async () => {
  const R = mod.createRongIMLib();
  R.RongIMClient.init('argsapp2', null, { navi: '127.0.0.1:1', protocol: 'http:' });
  const im = R.RongIMClient.getInstance();
  await assert.rejects(im.sendMessage(1, '', R.TextMessage.obtain('x')), (e) => {
    assert.equal(e.code, -3);
    assert.match(e.message, /targetId/);
    return true;
  });
  await assert.rejects(R.RongIMClient.connect(''), (e) => e.code === -3);
  await assert.rejects(R.RongIMClient.connect(42), (e) => e.code === -3);
  await assert.rejects(R.RongIMClient.reconnect(undefined, 'fast'), (e) => e.code === -3);
  assert.equal(im.getCurrentConnectionStatus(), R.ConnectionStatus.CONNECTION_CLOSED);
  assert.equal(im.getCurrentUserId(), '');
});

test('connect before init fails through the callback, and a throwing onError stays inside', async () => {
  const R = mod.createRongIMLib();
  const [method, args] = await viaCallback((cb) => R.RongIMClient.connect('token', cb));
  assert.deepEqual([method, args[0]], ['onError', -3]);
  const origError = console.error;
  const reported = [];
  console.error = (...a) => reported.push(a);
  try {
    await new Promise((resolve) => {
      R.RongIMClient.connect('token', {
        onError: () => {
          setTimeout(resolve, 0);
          throw new Error('app bug');
        },
      });
    });
  } finally {
    console.error = origError;
  }
  assert.equal(reported.length, 1);
});

test('the engine binding refuses a malformed config and hostile values without a panic', () => {
  const w = mod.wasmBindings();
  assert.throws(() => new w.Engine({ appKey: 5 }), (e) => e instanceof Error && e.code === -3 && /appKey/.test(e.message));
  const e = new w.Engine({ appKey: 'k', naviHosts: ['127.0.0.1:1'], secure: false });
  const completions = () => {
    const codes = [];
    for (let out = e.pollOutput(); out.type !== 'timeout'; out = e.pollOutput()) {
      if (out.type === 'event' && out.event.type === 'requestCompleted') codes.push(out.event.result.Err.code);
    }
    return codes;
  };
  for (const [type, target] of [[NaN, 'bob'], [0, 'bob'], [1.5, 'bob'], [1, undefined], [1, '']]) {
    e.sendMessage(0, type, target, 'RC:TxtMsg', '{"content":"x"}', false, undefined, undefined, undefined, undefined, false, false);
    assert.deepEqual(completions(), [-3], `send to ${type} ${target}`);
  }
  e.sendMessage(0, 1, 'bob', 'RC:TxtMsg', '{"content":"x"}', false, undefined, undefined, 1.5, undefined, false, false);
  assert.deepEqual(completions(), [-3], 'fractional methodType');
  e.sendMessage(0, 1, 'bob', 'RC:TxtMsg', '{"content":"x"}', false, undefined, undefined, undefined, '[1]', false, false);
  assert.deepEqual(completions(), [-3], 'userIds not strings');
  e.sendRecall(0, 1, 'bob', undefined, 5, 'me', undefined);
  assert.deepEqual(completions(), [-3], 'recall without messageUId');
  assert.equal(e.connect(0, ''), -3);
  // Hostile numbers are clamped, never a panic: the engine still answers afterwards.
  e.handleTimeout(Number.NaN);
  e.handleSocketData(-1, new Uint8Array([0xff, 0, 1]));
  e.handleHttpResponse(Infinity, 99, 200, '');
  e.reconnect(NaN, true, undefined, [NaN, -5, Infinity]);
  assert.equal(e.pollOutput().type, 'timeout');
  e.free();
});
