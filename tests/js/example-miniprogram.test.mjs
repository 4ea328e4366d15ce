// examples/miniprogram run as WeChat would run it after "Build npm": the project copied to a
// scratch root with the installed package in miniprogram_npm/, its pages driven through their
// handlers under a fake `wx` (real sockets and HTTP; chooseMedia, compressImage and the recorder
// hand back files) and `WXWebAssembly`, against the demo's im-server and token endpoint. A Node
// user on the package's ES module build is the peer. Waits are hang guards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { consumer } from './support/consumer.mjs';
import { startDemo } from './support/demo.mjs';
import { createFakeWx } from './support/fake-wx.mjs';
import { buildNpm, fakeWXWebAssembly } from './support/miniprogram-root.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let demo;
let scratch;
let requireIn;
let bob;
const pages = {};
const navigations = [];
const toasts = [];
const instantiated = [];
let app;
let recorderStop;

/** Resolves when `pred()` is truthy (checked every 20 ms); rejects after 20 s. */
async function until(pred, what) {
  const end = Date.now() + 20000;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A 1×1 PNG. */
function png() {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 0x16, 0x77, 0xff]));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** The mini-program globals the example uses, over the fake wx's real network calls. */
function installGlobals(files) {
  const wx = createFakeWx();
  const node = { readFileSync, writeFileSync };
  Object.assign(wx, {
    env: { USER_DATA_PATH: join(scratch, 'user-data') },
    getFileSystemManager: () => ({
      readFileSync: (path, encoding) => node.readFileSync(path, encoding),
      writeFileSync: (path, data, encoding) => node.writeFileSync(path, data, encoding),
      accessSync: (path) => node.readFileSync(path),
    }),
    getRecorderManager: () => ({
      start: () => {},
      stop: () => recorderStop({ tempFilePath: files.voice, duration: 2300, fileSize: 1000 }),
      onStop: (fn) => {
        recorderStop = fn;
      },
    }),
    chooseMedia: ({ success }) => setTimeout(() => success({ tempFiles: [{ tempFilePath: files.image, size: 100 }] })),
    compressImage: ({ src, success }) => setTimeout(() => success({ tempFilePath: src })),
    redirectTo: ({ url }) => navigations.push(url),
    navigateTo: ({ url }) => navigations.push(url),
    setNavigationBarTitle: () => {},
    showToast: ({ title }) => toasts.push(title),
    stopPullDownRefresh: () => {},
    createInnerAudioContext: () => ({ play() {}, destroy() {} }),
  });
  globalThis.wx = wx;
  globalThis.WXWebAssembly = fakeWXWebAssembly(scratch, instantiated);
  globalThis.App = (config) => {
    app = config;
  };
  globalThis.getApp = () => app;
  let captured = null;
  globalThis.Page = (config) => {
    captured = config;
  };
  for (const name of ['login', 'conversations', 'chat']) {
    requireIn(`./pages/${name}/${name}.js`);
    pages[name] = captured;
  }
}

/** A page instance as the framework makes one: its config's methods, a copy of data, setData. */
function openPage(name, query = {}) {
  const page = Object.create(pages[name]);
  page.data = structuredClone(pages[name].data);
  page.setData = (patch) => Object.assign(page.data, patch);
  page.onLoad?.(query);
  page.onShow?.();
  return page;
}

before(async () => {
  demo = await startDemo();
  const c = await consumer();
  // The project as a developer has it after npm install + Build npm.
  scratch = mkdtempSync(join(tmpdir(), 'im-example-mp-'));
  cpSync(join(root, 'examples', 'miniprogram'), scratch, { recursive: true });
  writeFileSync(
    join(scratch, 'config.js'),
    `module.exports = { appKey: '', navi: '', protocol: 'http:', demoUrl: ${JSON.stringify(demo.base)} };\n`,
  );
  const pkg = buildNpm(c.resolveInPackage(''), scratch);
  // WeChat resolves require('rongimlib-wasm') to miniprogram_npm/; Node looks in node_modules/.
  mkdirSync(join(scratch, 'node_modules'));
  symlinkSync(pkg, join(scratch, 'node_modules', 'rongimlib-wasm'), 'dir');
  mkdirSync(join(scratch, 'user-data'));
  const files = { image: join(scratch, 'picked.png'), voice: join(scratch, 'recorded.mp3') };
  writeFileSync(files.image, png());
  writeFileSync(files.voice, Buffer.from('ID3 not really an mp3, but bytes all the same'));
  requireIn = createRequire(join(scratch, 'app.js'));
  installGlobals(files);
  requireIn('./app.js');

  // bob: the package's Node build, logged in through the same demo endpoints.
  const config = await (await fetch(`${demo.base}/demo/config`)).json();
  const { token } = await (await fetch(`${demo.base}/demo/token?user=bob`)).json();
  const L = (await c.loadNode()).default.createRongIMLib();
  const received = [];
  L.RongIMClient.init(config.appKey, null, { navi: config.navi, protocol: 'http:' });
  L.RongIMClient.setOnReceiveMessageListener({ onReceived: (m) => received.push(m) });
  assert.equal(await L.RongIMClient.connect(token), 'bob');
  bob = { L, received, im: () => L.RongIMClient.getInstance() };
});

after(async () => {
  bob?.im().disconnect();
  try {
    requireIn?.('./utils/im.js').im().disconnect();
  } catch {
    // Never logged in.
  }
  if (demo) {
    demo.child.kill('SIGINT');
    await demo.exited;
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('examples/miniprogram: log in, unread badge, chat with text, image and voice', async () => {
  const login = openPage('login');
  login.onUserId({ detail: { value: 'alice' } });
  await login.login();
  assert.equal(login.data.error, '');
  assert.deepEqual(navigations, ['/pages/conversations/conversations']);
  assert.equal(app.globalData.userId, 'alice');
  assert.deepEqual(instantiated, ['/miniprogram_npm/rongimlib-wasm/im_wasm_bg.wasm.br']);

  const list = openPage('conversations');
  assert.equal(list.data.me, 'alice');
  await until(() => list.data.online, 'CONNECTED on the list page');

  // bob writes: the list shows him with an unread badge.
  await bob.im().sendMessage(1, 'alice', bob.L.TextMessage.obtain('hello alice'));
  const row = await until(() => list.data.conversations.find((c) => c.targetId === 'bob' && c.unread === 1), 'bob unread 1');
  assert.equal(row.preview, 'hello alice');

  // alice opens the chat: the message is there and the badge goes.
  list.open({ currentTarget: { dataset: { target: 'bob' } } });
  assert.equal(navigations.at(-1), '/pages/chat/chat?target=bob');
  const chat = openPage('chat', { target: 'bob' });
  await until(() => chat.data.messages.some((m) => m.kind === 'text' && m.text === 'hello alice' && !m.mine), 'history in the chat');
  list.onShow();
  await until(() => list.data.conversations.find((c) => c.targetId === 'bob' && c.unread === 0), 'badge cleared');

  chat.onText({ detail: { value: 'hi bob' } });
  chat.sendText();
  const text = await until(() => bob.received.find((m) => m.objectName === 'RC:TxtMsg'), 'text at bob');
  assert.equal(text.content.content, 'hi bob');
  assert.equal(chat.data.text, '');

  chat.sendImage();
  const image = await until(() => bob.received.find((m) => m.objectName === 'RC:ImgMsg'), 'image at bob');
  assert.equal(image.content.content, png().toString('base64'));
  assert.equal(image.content.constructor.name, 'ImageMessage');

  chat.startVoice();
  chat.stopVoice();
  const voice = await until(() => bob.received.find((m) => m.objectName === 'RC:VcMsg'), 'voice at bob');
  assert.equal(voice.content.duration, 2);
  assert.equal(Buffer.from(voice.content.content, 'base64').toString(), 'ID3 not really an mp3, but bytes all the same');

  // The page lists its own message once the send is acknowledged; wait for that (hang guard).
  await until(() => chat.data.messages.filter((m) => m.mine).length >= 3, 'own messages listed');
  const mine = chat.data.messages.filter((m) => m.mine).map((m) => m.kind);
  assert.deepEqual(mine, ['text', 'image', 'voice']);
  assert.equal(chat.data.messages.find((m) => m.kind === 'image').src, `data:image/jpeg;base64,${png().toString('base64')}`);

  // A message to the open chat shows up there and leaves no unread count.
  await bob.im().sendMessage(1, 'alice', bob.L.TextMessage.obtain('bye'));
  await until(() => chat.data.messages.some((m) => m.text === 'bye'), 'bye in the chat');
  chat.play({ currentTarget: { dataset: { index: chat.data.messages.findIndex((m) => m.kind === 'voice') } } });
  list.onShow();
  await until(() => list.data.conversations.find((c) => c.targetId === 'bob' && c.preview === 'bye'), 'list updated');
  assert.equal(list.data.conversations.find((c) => c.targetId === 'bob').unread, 0);
  assert.deepEqual(toasts, []);
  chat.onUnload();
  list.onUnload();
});
