// `npm run demo` end to end: scripts/demo.mjs (free ports, a temporary data dir, no build step)
// starts im-server and serves examples/web with the package's browser build; two headless
// Chromium contexts log in as alice and bob from the printed URLs and chat through the page's UI.
// Images and long recordings go through im-server's upload; the test downloads what bob's page shows
// and compares it with what alice's page picked or recorded (a stand-in MediaRecorder hands the page
// chosen bytes). Uses the system Chromium through playwright-core; nothing is downloaded. Waits are
// hang guards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './support/demo.mjs';
import { launchChromium } from './support/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WAIT = { timeout: 30000 };

let demo;
let urls;
let browser;
const errors = [];

// A MediaRecorder and getUserMedia that record the bytes a test put in `window.nextRecording`, and a
// fetch that keeps the file of each form it posts in `window.posted`.
function pageHooks() {
  const fetch = window.fetch;
  window.posted = [];
  window.fetch = (url, init) => {
    if (init && init.body instanceof FormData) window.posted.push(init.body.get('file'));
    return fetch(url, init);
  };
  navigator.mediaDevices.getUserMedia = async () => ({ getTracks: () => [] });
  window.MediaRecorder = class {
    constructor() {
      this.mimeType = 'audio/webm';
    }
    start() {}
    stop() {
      setTimeout(() => {
        this.ondataavailable({ data: new Blob([window.nextRecording], { type: this.mimeType }) });
        this.onstop();
      });
    }
  };
}

async function openAs(url, { recorder = false } = {}) {
  const context = await browser.newContext();
  if (recorder) await context.addInitScript(pageHooks);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${url}: ${e}`));
  await page.goto(url);
  return page;
}

/** Types `text` into the composer and presses Send. */
async function say(page, text) {
  await page.fill('#text', text);
  await page.click('#send');
}

before(async () => {
  demo = await startDemo();
  urls = demo.urls;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  const child = demo?.child;
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

test('npm run demo: two users chat through the web page in headless Chromium', async () => {
  assert.deepEqual(Object.keys(urls), ['alice', 'bob'], demo.output());
  assert.match(urls.alice, /\?user=alice&peer=bob$/);

  // alice opens her URL: logged in, the chat with bob open.
  const alice = await openAs(urls.alice, { recorder: true });
  await alice.waitForFunction(() => document.querySelector('#me')?.textContent === 'alice', null, WAIT);
  await alice.waitForSelector('#composer:not([hidden])', WAIT);
  assert.equal(await alice.textContent('#thread-title'), 'bob');

  // bob logs in without a peer, so a message from alice shows up as an unread conversation.
  const bob = await openAs(urls.bob.replace(/&peer=\w+$/, ''));
  await bob.waitForFunction(() => document.querySelector('#me')?.textContent === 'bob', null, WAIT);
  await bob.waitForFunction(() => document.querySelector('#status')?.textContent === 'CONNECTED', null, WAIT);

  await say(alice, 'hello bob 👋');
  await alice.waitForSelector('#messages .message.mine .body >> text=hello bob 👋', WAIT);
  const badge = '.conversation[data-target="alice"] .badge';
  await bob.waitForSelector(badge, WAIT);
  assert.equal(await bob.textContent(badge), '1');
  assert.equal(await bob.textContent('.conversation[data-target="alice"] .preview'), 'hello bob 👋');

  await say(alice, 'are you there?');
  await bob.waitForFunction((sel) => document.querySelector(sel)?.textContent === '2', badge, WAIT);

  // bob opens the conversation: both messages, the badge gone; he answers.
  await bob.click('.conversation[data-target="alice"]');
  await bob.waitForSelector('#messages .message:not(.mine) .body >> text=are you there?', WAIT);
  const bobSees = await bob.$$eval('#messages .message.text .body', (els) => els.map((e) => e.textContent));
  assert.deepEqual(bobSees, ['hello bob 👋', 'are you there?']);
  assert.equal(await bob.$(badge), null, 'no badge on the open conversation');

  await say(bob, 'hi alice');
  await alice.waitForSelector('#messages .message:not(.mine) .body >> text=hi alice', WAIT);
  const aliceSees = await alice.$$eval('#messages .message', (els) =>
    els.map((e) => `${e.classList.contains('mine') ? 'me' : e.dataset.from}: ${e.querySelector('.body')?.textContent}`),
  );
  assert.deepEqual(aliceSees, ['me: hello bob 👋', 'me: are you there?', 'bob: hi alice']);
  // alice's list shows the conversation with bob, its last message, and no badge (it is open).
  await alice.waitForFunction(
    () => document.querySelector('.conversation[data-target="bob"] .preview')?.textContent === 'hi alice',
    null,
    WAIT,
  );
  assert.equal(await alice.$('.conversation[data-target="bob"] .badge'), null);

  // A message to a conversation bob has open does not raise his badge either.
  await say(alice, 'great');
  await bob.waitForSelector('#messages .message:not(.mine) .body >> text=great', WAIT);
  await bob.waitForFunction(
    () => document.querySelector('.conversation[data-target="alice"] .preview')?.textContent === 'great',
    null,
    WAIT,
  );
  assert.equal(await bob.$(badge), null);

  // An image picked in alice's page is uploaded; bob's page shows it from its download URL, and the
  // message carries a small JPEG thumbnail.
  const png = await alice.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 200;
    const g = canvas.getContext('2d');
    g.fillStyle = '#1677ff';
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = '#ffd000';
    g.fillRect(40, 40, 120, 120);
    return canvas.toDataURL('image/png').split(',')[1];
  });
  await alice.setInputFiles('#image', { name: 'square.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
  await alice.waitForSelector('#messages .message.mine.image img', WAIT);
  await bob.waitForSelector('#messages .message.image:not(.mine) img', WAIT);
  const size = await bob.$eval('#messages .message.image img', async (img) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  });
  assert.deepEqual(size, [320, 200], 'the picture at its own size (under the 1600 px bound)');
  const small = await bob.$eval('#messages .message.image img', (img) => img.src);
  assert.equal(Buffer.compare(await download(small), Buffer.from(png, 'base64')), 0, 'the picked file, uploaded');
  await bob.waitForFunction(
    () => document.querySelector('.conversation[data-target="alice"] .preview')?.textContent === '[image]',
    null,
    WAIT,
  );

  // A voice message (as the mini program sends one: mp3 in base64, seconds) plays in bob's page.
  const mp3 = Buffer.from('ID3\u0004 not really audio').toString('base64');
  await alice.evaluate(async (content) => {
    const { default: R } = await import('rongimlib-wasm'); // the page's own instance, logged in
    await R.RongIMClient.getInstance().sendMessage(R.ConversationType.PRIVATE, 'bob', new R.VoiceMessage({ content, duration: 3 }));
  }, mp3);
  await bob.waitForSelector('#messages .message.voice:not(.mine) audio', WAIT);
  assert.equal(await bob.getAttribute('#messages .message.voice audio', 'src'), `data:audio/mpeg;base64,${mp3}`);
  assert.equal(await bob.textContent('#messages .message.voice .body'), 'voice, 3 s');
  assert.ok(await bob.isVisible('#voice'), 'Chromium can record: the Voice button shows');

  await largeImage(alice, bob);
  await recordings(alice, bob);

  mkdirSync(join(root, '.build'), { recursive: true });
  await bob.screenshot({ path: join(root, '.build', 'demo-screenshot.png') });
  await alice.screenshot({ path: join(root, '.build', 'demo-screenshot-alice.png') });
  assert.deepEqual(errors, []);

  // Ctrl-C stops the web server and im-server; the demo exits cleanly.
  demo.child.kill('SIGINT');
  assert.deepEqual(await demo.exited, { code: 0, signal: null });
});

/** GETs `url` from im-server; the body's bytes. */
async function download(url) {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/files\//);
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
}

/** A PNG of noise drawn in `page`, `w`×`h`, in base64 (noise keeps it large). */
function noisePng(page, w, h) {
  return page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const g = canvas.getContext('2d');
      const data = g.createImageData(w, h);
      let x = 12345;
      for (let i = 0; i < data.data.length; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        data.data[i] = i % 4 === 3 ? 255 : x >>> 24;
      }
      g.putImageData(data, 0, 0);
      return canvas.toDataURL('image/png').split(',')[1];
    },
    [w, h],
  );
}

/** The `n`th message from alice in bob's thread, once there. */
async function fromAlice(bob, n) {
  const sel = '#messages .message:not(.mine)';
  await bob.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length >= n, [sel, n], WAIT);
  return (await bob.$$(sel))[n - 1];
}

async function largeImage(alice, bob) {
  let before = (await bob.$$('#messages .message:not(.mine)')).length;

  // A picture far beyond a message's 128 KB goes up as it is; bob's page downloads those bytes.
  const big = Buffer.from(await noisePng(alice, 1200, 800), 'base64');
  assert.ok(big.length > 1024 * 1024, `${big.length} bytes of noise`);
  await alice.setInputFiles('#image', { name: 'noise.png', mimeType: 'image/png', buffer: big });
  let li = await fromAlice(bob, ++before);
  assert.equal(await li.getAttribute('data-object-name'), 'RC:ImgMsg');
  let img = await li.$('img');
  assert.deepEqual(await img.evaluate(async (el) => (await el.decode(), [el.naturalWidth, el.naturalHeight])), [1200, 800]);
  assert.equal(Buffer.compare(await download(await img.getAttribute('src')), big), 0);

  // Beyond 1600 px it is scaled down to 1600 as a JPEG first: what the page uploaded comes back.
  const huge = Buffer.from(await noisePng(alice, 2000, 800), 'base64');
  await alice.setInputFiles('#image', { name: 'huge.png', mimeType: 'image/png', buffer: huge });
  li = await fromAlice(bob, ++before);
  img = await li.$('img');
  assert.deepEqual(await img.evaluate(async (el) => (await el.decode(), [el.naturalWidth, el.naturalHeight])), [1600, 640]);
  const jpeg = await download(await img.getAttribute('src'));
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  assert.ok(jpeg.length < huge.length);
  const posted = await alice.evaluate(async () => {
    const blob = window.posted.at(-1);
    const url = await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.readAsDataURL(blob);
    });
    return [blob.type, url.slice(url.indexOf(',') + 1)];
  });
  assert.equal(posted[0], 'image/jpeg');
  assert.equal(Buffer.compare(Buffer.from(posted[1], 'base64'), jpeg), 0, 'the bytes alice posted');

  // The thumbnail in the message is a small JPEG.
  const thumb = await bob.evaluate(async () => {
    const { default: R } = await import('rongimlib-wasm');
    const { list } = await R.RongIMClient.getInstance().getHistoryMessages(R.ConversationType.PRIVATE, 'alice', 0, 1);
    return list[0].content.content;
  });
  const t = Buffer.from(thumb, 'base64');
  assert.deepEqual([...t.subarray(0, 2)], [0xff, 0xd8]);
  assert.ok(t.length < 16 * 1024, `${t.length} bytes`);

  // When the upload fails the page says so and sends a downscaled copy inline.
  await alice.route('**/upload', (route) => route.abort());
  await alice.setInputFiles('#image', { name: 'noise.png', mimeType: 'image/png', buffer: big });
  li = await fromAlice(bob, ++before);
  assert.match(await (await li.$('img')).getAttribute('src'), /^data:image\/jpeg;base64,/);
  assert.match(await alice.textContent('#notice'), /upload failed/);
  assert.ok(await alice.isVisible('#notice'));
  await alice.unroute('**/upload');
}

/** Records `bytes` with alice's Voice button (the stand-in recorder) and sends them. */
async function recordVoice(alice, bytes) {
  await alice.evaluate((b64) => {
    window.nextRecording = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }, bytes.toString('base64'));
  await alice.click('#voice');
  await alice.waitForFunction(() => document.querySelector('#voice').textContent === 'Stop and send', null, WAIT);
  // The page sends recordings of a second or more.
  await new Promise((r) => setTimeout(r, 1100));
  await alice.click('#voice');
}

async function recordings(alice, bob) {
  let before = (await bob.$$('#messages .message:not(.mine)')).length;
  const webm = (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3]).copy(b); // EBML: a webm file's first bytes
    return b;
  };

  // Beyond VOICE_INLINE_MAX of base64 (32 KB): uploaded, RC:HQVCMsg with a remoteUrl.
  const long = webm(40 * 1024);
  await recordVoice(alice, long);
  let li = await fromAlice(bob, ++before);
  assert.equal(await li.getAttribute('data-object-name'), 'RC:HQVCMsg');
  const src = await (await li.$('audio')).getAttribute('src');
  assert.equal(Buffer.compare(await download(src), long), 0);
  assert.match(await (await li.$('.body')).textContent(), /^voice, [1-9]\d* s$/);
  const hq = await bob.evaluate(async () => {
    const { default: R } = await import('rongimlib-wasm');
    const { list } = await R.RongIMClient.getInstance().getHistoryMessages(R.ConversationType.PRIVATE, 'alice', 0, 1);
    const c = list[0].content;
    return { name: c.constructor.name, type: c.type, duration: c.duration, remoteUrl: c.remoteUrl };
  });
  assert.equal(hq.name, 'HQVoiceMessage');
  assert.equal(hq.type, 'webm');
  assert.equal(hq.remoteUrl, src);
  assert.ok(hq.duration >= 1);

  // A short one stays inline: RC:VcMsg with the recording in base64.
  const short = webm(1024);
  await recordVoice(alice, short);
  li = await fromAlice(bob, ++before);
  assert.equal(await li.getAttribute('data-object-name'), 'RC:VcMsg');
  assert.equal(await (await li.$('audio')).getAttribute('src'), `data:audio/webm;base64,${short.toString('base64')}`);
  await bob.waitForFunction(
    () => document.querySelector('.conversation[data-target="alice"] .preview')?.textContent === '[voice]',
    null,
    WAIT,
  );
}
