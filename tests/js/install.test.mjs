// The packed package as apps install it. A Node app that uses `require('rongimlib-wasm')`, and a
// mini program laid out as WeChat DevTools' "Build npm" leaves it (the package's `miniprogram`
// folder copied to <root>/miniprogram_npm/rongimlib-wasm/) whose loader runs under a fake `wx`
// and `WXWebAssembly` (real sockets; `instantiate(path)` reads the file inside the mini program's
// root and brotli-decompresses a `.br`), chat through the real im-server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumer } from './support/consumer.mjs';
import { startServer } from './support/server.mjs';
import { makeUser, receivedWith } from './support/clients.mjs';
import { createFakeWx } from './support/fake-wx.mjs';
import { buildNpm, fakeWXWebAssembly } from './support/miniprogram-root.mjs';

let server;
let scratch;
let cjs;
let mini;
const instantiated = [];
let polyfilled = false;

/** A mini-program root with the package where "Build npm" puts it, and its loader required from there. */
function miniProgram(c) {
  scratch = mkdtempSync(join(tmpdir(), 'im-miniprogram-'));
  buildNpm(c.resolveInPackage(''), scratch);
  globalThis.wx = createFakeWx();
  globalThis.WXWebAssembly = fakeWXWebAssembly(scratch, instantiated);
  // A page's `require('rongimlib-wasm')` after Build npm resolves to this file.
  const native = { TextEncoder: globalThis.TextEncoder, TextDecoder: globalThis.TextDecoder };
  delete globalThis.TextEncoder;
  delete globalThis.TextDecoder;
  try {
    const lib = createRequire(join(scratch, 'app.js'))('./miniprogram_npm/rongimlib-wasm/index.js');
    // The glue makes its TextDecoder as it loads: it has its own, and leaves the global alone.
    polyfilled = globalThis.TextDecoder === undefined && globalThis.TextEncoder === undefined;
    return lib;
  } finally {
    Object.assign(globalThis, native);
  }
}

before(async () => {
  const c = await consumer();
  server = await startServer();
  cjs = await makeUser(c.loadCjs(), server, 'cjs-user');
  mini = await makeUser(miniProgram(c), server, 'mini-user');
  assert.equal(await cjs.connect(), 'cjs-user');
  assert.equal(await mini.connect(), 'mini-user');
});

after(async () => {
  for (const u of [cjs, mini]) u?.im().disconnect();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("require('rongimlib-wasm') gives the 2.x namespace itself", async () => {
  const c = await consumer();
  const R = c.loadCjs();
  assert.equal(typeof R.RongIMClient.init, 'function');
  assert.equal(typeof R.TextMessage.obtain, 'function');
  assert.equal(R.ConversationType.PRIVATE, 1);
  assert.equal(typeof R.createRongIMLib, 'function');
  const esm = (await c.loadNode()).default;
  assert.deepEqual(Object.keys(R.ErrorCode), Object.keys(esm.ErrorCode), 'the same API as the ES module');
});

test('the mini-program layout: the .wasm.br is loaded by its package path, with the UTF-8 polyfill', () => {
  assert.deepEqual(instantiated, ['/miniprogram_npm/rongimlib-wasm/im_wasm_bg.wasm.br']);
  assert.ok(polyfilled, 'loaded without a host TextDecoder, leaving the global alone');
  assert.ok(!existsSync(join(scratch, 'miniprogram_npm', 'rongimlib-wasm', 'im_wasm_bg.wasm')), 'no plain .wasm shipped');
  assert.equal(mini.im().getCurrentConnectionStatus(), 0);
});

test('a CommonJS Node app and a mini program exchange messages through im-server', async () => {
  const L = cjs.L;
  const sent = await cjs.im().sendMessage(L.ConversationType.PRIVATE, 'mini-user', L.TextMessage.obtain('from require 你好'));
  const got = await receivedWith(mini, 'RC:TxtMsg', (m) => m.messageUId === sent.messageUId, 'text at the mini program');
  assert.equal(got.content.content, 'from require 你好');
  assert.equal(got.senderUserId, 'cjs-user');

  const M = mini.L;
  const image = new M.ImageMessage({ content: 'aGVsbG8=', imageUri: 'https://example.com/a.jpg' });
  const back = await mini.im().sendMessage(M.ConversationType.PRIVATE, 'cjs-user', image);
  const img = await receivedWith(cjs, 'RC:ImgMsg', (m) => m.messageUId === back.messageUId, 'image at the Node app');
  assert.equal(img.content.constructor.name, 'ImageMessage');
  assert.deepEqual({ ...img.content }, { content: 'aGVsbG8=', imageUri: 'https://example.com/a.jpg' });
  assert.equal(await cjs.im().getUnreadCount(L.ConversationType.PRIVATE, 'mini-user'), 1);
});
