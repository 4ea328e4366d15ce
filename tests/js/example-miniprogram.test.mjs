// examples/miniprogram run as WeChat would run it after "Build npm": the project copied to a
// scratch root with the installed package in miniprogram_npm/, its pages driven through their
// handlers under a fake `wx` (real sockets and HTTP, uploadFile a real multipart POST; chooseMedia,
// compressImage and the recorder hand back files) and `WXWebAssembly`, against the demo's im-server and token endpoint. A Node
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
let files;
let recorderStop;
const played = [];
const uploads = [];

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

/** A 1×1 PNG, or `side`×`side` of noise (large: noise does not compress). */
function png(side = 1) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0]);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  let pixels = Buffer.from([0, 0x16, 0x77, 0xff]);
  if (side > 1) {
    pixels = Buffer.alloc(side * (1 + 3 * side));
    let x = 7;
    for (let i = 0; i < pixels.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      pixels[i] = i % (1 + 3 * side) === 0 ? 0 : x >>> 24;
    }
  }
  const idat = deflateSync(pixels);
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
    compressImage: ({ success }) => setTimeout(() => success({ tempFilePath: files.thumbnail })),
    // As WeChat's: a multipart POST of formData and the file under `name`; success with the
    // status and the body as text.
    uploadFile: ({ url, filePath, name, formData = {}, success, fail }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(formData)) form.append(k, v);
      const bytes = readFileSync(filePath);
      uploads.push({ url, bytes });
      form.append(name, new Blob([bytes]), filePath.split('/').pop());
      fetch(url, { method: 'POST', body: form })
        .then(async (res) => success?.({ statusCode: res.status, data: await res.text(), header: Object.fromEntries(res.headers) }))
        .catch((e) => fail?.({ errMsg: `uploadFile:fail ${e.message}` }));
    },
    redirectTo: ({ url }) => navigations.push(url),
    navigateTo: ({ url }) => navigations.push(url),
    setNavigationBarTitle: () => {},
    showToast: ({ title }) => toasts.push(title),
    stopPullDownRefresh: () => {},
    createInnerAudioContext: () => ({
      src: '',
      play() {
        played.push(this.src);
      },
      destroy() {},
    }),
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
  files = {
    image: join(scratch, 'picked.png'),
    thumbnail: join(scratch, 'thumbnail.png'),
    voice: join(scratch, 'recorded.mp3'),
    longVoice: join(scratch, 'long.mp3'),
  };
  writeFileSync(files.image, png(200));
  writeFileSync(files.thumbnail, png());
  writeFileSync(files.voice, Buffer.from('ID3 not really an mp3, but bytes all the same'));
  writeFileSync(files.longVoice, Buffer.concat([Buffer.from('ID3'), Buffer.alloc(40 * 1024, 'long voice ')]));
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

  // The picked image is uploaded (to the navi host:port); the thumbnail travels in the message.
  chat.sendImage();
  const image = await until(() => bob.received.find((m) => m.objectName === 'RC:ImgMsg'), 'image at bob');
  assert.equal(image.content.content, png().toString('base64'));
  assert.equal(image.content.constructor.name, 'ImageMessage');
  const config = await (await fetch(`${demo.base}/demo/config`)).json();
  assert.equal(uploads[0].url, `http://${config.navi}/upload`);
  assert.ok(readFileSync(files.image).length > 100 * 1024);
  assert.equal(Buffer.compare(await download(image.content.imageUri), readFileSync(files.image)), 0);

  // A short recording goes inline as RC:VcMsg.
  chat.startVoice();
  chat.stopVoice();
  const voice = await until(() => bob.received.find((m) => m.objectName === 'RC:VcMsg'), 'voice at bob');
  assert.equal(voice.content.duration, 2);
  assert.equal(Buffer.from(voice.content.content, 'base64').toString(), 'ID3 not really an mp3, but bytes all the same');
  assert.equal(uploads.length, 1, 'not uploaded');

  // A long one (beyond 32 KB of base64) is uploaded and sent as RC:HQVCMsg with its remoteUrl.
  files.voice = files.longVoice;
  chat.startVoice();
  chat.stopVoice();
  const hq = await until(() => bob.received.find((m) => m.objectName === 'RC:HQVCMsg'), 'HQ voice at bob');
  assert.equal(hq.content.constructor.name, 'HQVoiceMessage');
  assert.equal(hq.content.duration, 2);
  assert.equal(hq.content.type, 'mp3');
  assert.equal(Buffer.compare(await download(hq.content.remoteUrl), readFileSync(files.longVoice)), 0);

  // The page lists its own message once the send is acknowledged; wait for that (hang guard).
  await until(() => chat.data.messages.filter((m) => m.mine).length >= 4, 'own messages listed');
  const mine = chat.data.messages.filter((m) => m.mine).map((m) => m.kind);
  assert.deepEqual(mine, ['text', 'image', 'voice', 'voice']);
  assert.equal(chat.data.messages.find((m) => m.kind === 'image').src, image.content.imageUri);

  // A message to the open chat shows up there and leaves no unread count.
  await bob.im().sendMessage(1, 'alice', bob.L.TextMessage.obtain('bye'));
  await until(() => chat.data.messages.some((m) => m.text === 'bye'), 'bye in the chat');
  const voices = chat.data.messages.map((m, index) => ({ m, index })).filter(({ m }) => m.kind === 'voice');
  voices.forEach(({ index }) => chat.play({ currentTarget: { dataset: { index } } }));
  assert.equal(played.length, 2);
  assert.equal(readFileSync(played[0], 'utf8'), 'ID3 not really an mp3, but bytes all the same');
  assert.equal(played[1], hq.content.remoteUrl);
  list.onShow();
  await until(() => list.data.conversations.find((c) => c.targetId === 'bob' && c.preview === 'bye'), 'list updated');
  assert.equal(list.data.conversations.find((c) => c.targetId === 'bob').unread, 0);
  assert.deepEqual(toasts, []);
  chat.onUnload();
  list.onUnload();
});

/** GETs `url` from im-server; the body's bytes. */
async function download(url) {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/files\//);
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
}
