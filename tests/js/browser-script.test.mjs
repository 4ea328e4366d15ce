// The classic-script browser build (dist/rongimlib.js, global `RongIMLib`) in headless Chromium:
// loaded by a <script> tag from the installed package, it fetches the wasm next to itself,
// connects to the real im-server and exchanges messages with a Node user. Uses the system
// Chromium through playwright-core; nothing is downloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consumer } from './support/consumer.mjs';
import { startServer, APP_KEY } from './support/server.mjs';
import { makeUser } from './support/clients.mjs';
import { launchChromium } from './support/chromium.mjs';
import { serveStatic } from './support/static.mjs';

const PAGE = '<!doctype html><title>script</title><script src="/lib/rongimlib-wasm/dist/rongimlib.js"></script>';

let server;
let web;
let browser;
let node;

before(async () => {
  const c = await consumer();
  node = (await c.loadNode()).default;
  const pkgDir = c.resolveInPackage('');
  // The package under /lib/rongimlib-wasm/, the page at /.
  web = await serveStatic({ page: PAGE, prefix: '/lib/rongimlib-wasm/', dir: pkgDir });
  server = await startServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  web?.close();
  await server?.stop();
});

test('headless Chromium: <script src=".../dist/rongimlib.js"> defines RongIMLib and chats', async () => {
  const peer = await makeUser(node, server, 'script-peer');
  assert.equal(await peer.connect(), 'script-peer');
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const wasmRequests = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasmRequests.push(new URL(r.url()).pathname);
  });
  await page.goto(`${web.base}/`);
  const token = await server.token('script-user');
  const result = await page.evaluate(
    async ({ appKey, navi, token: t }) => {
      const R = window.RongIMLib;
      window.received = [];
      R.RongIMClient.init(appKey, null, { navi, protocol: 'http:' });
      R.RongIMClient.setOnReceiveMessageListener({ onReceived: (m) => window.received.push(m.content.content) });
      const userId = await R.RongIMClient.connect(t);
      const sent = await R.RongIMClient.getInstance().sendMessage(R.ConversationType.PRIVATE, 'script-peer', R.TextMessage.obtain('from a classic script'));
      return { userId, messageUId: sent.messageUId, isNamespace: typeof R.TextMessage === 'function' && !('default' in R) };
    },
    { appKey: APP_KEY, navi: server.host, token },
  );
  assert.deepEqual({ userId: result.userId, isNamespace: result.isNamespace }, { userId: 'script-user', isNamespace: true });
  assert.deepEqual(wasmRequests, ['/lib/rongimlib-wasm/dist/im_wasm_bg.wasm'], 'the wasm is fetched next to the script');
  const got = await peer.waitFor(() => peer.state.received.find((m) => m.messageUId === result.messageUId), 'script message');
  assert.equal(got.content.content, 'from a classic script');
  await peer.im().sendMessage(1, 'script-user', node.TextMessage.obtain('to the classic script'));
  await page.waitForFunction(() => window.received.includes('to the classic script'), null, { timeout: 20000 });
  assert.deepEqual(errors, []);
  peer.im().disconnect();
});
