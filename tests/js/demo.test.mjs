// `npm run demo` end to end: scripts/demo.mjs (free ports, a temporary data dir, no build step)
// starts im-server and serves examples/web with the package's browser build; two headless
// Chromium contexts log in as alice and bob from the printed URLs and chat through the page's UI.
// Uses the system Chromium through playwright-core; nothing is downloaded. Waits are hang guards.
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

async function openAs(url) {
  const context = await browser.newContext();
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
  const alice = await openAs(urls.alice);
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

  // An image picked in alice's page arrives at bob's as an ImageMessage with its thumbnail.
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
  assert.deepEqual(size, [320, 200], 'the picture at its own size (under the 800 px bound)');
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

  mkdirSync(join(root, '.build'), { recursive: true });
  await bob.screenshot({ path: join(root, '.build', 'demo-screenshot.png') });
  await alice.screenshot({ path: join(root, '.build', 'demo-screenshot-alice.png') });
  assert.deepEqual(errors, []);

  // Ctrl-C stops the web server and im-server; the demo exits cleanly.
  demo.child.kill('SIGINT');
  assert.deepEqual(await demo.exited, { code: 0, signal: null });
});
