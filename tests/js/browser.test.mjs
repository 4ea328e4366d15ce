// The same package in headless Chromium (browser build: WebSocket, fetch, localStorage) against
// the real im-server: connect, send to a Node user, receive from it. Uses the system Chromium
// through playwright-core; nothing is downloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumer } from './support/consumer.mjs';
import { startServer, APP_KEY } from './support/server.mjs';
import { makeUser } from './support/clients.mjs';
import { launchChromium } from './support/chromium.mjs';
import { serveStatic } from './support/static.mjs';


let server;
let web;
let webBase;
let context;
let profile;
let node;

before(async () => {
  const c = await consumer();
  node = (await c.loadNode()).default;
  const pkgDir = c.resolveInPackage('');
  // The installed package, served as a web app would serve it.
  web = await serveStatic({ page: '<!doctype html><title>im</title>', prefix: '/', dir: pkgDir });
  webBase = web.base;
  server = await startServer();
  profile = mkdtempSync(join(tmpdir(), 'im-chromium-'));
  context = await launchChromium(profile);
});

after(async () => {
  await context?.close();
  web?.close();
  await server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('headless Chromium: the browser build connects, sends and receives', async () => {
  const peer = await makeUser(node, server, 'node-peer');
  assert.equal(await peer.connect(), 'node-peer');
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${webBase}/`);
  const token = await server.token('web-user');
  const result = await page.evaluate(
    async ({ appKey, navi, token: t }) => {
      const { default: R } = await import('/dist/browser.mjs');
      window.received = [];
      window.statuses = [];
      R.RongIMClient.init(appKey, null, { navi, protocol: 'http:' });
      R.RongIMClient.setConnectionStatusListener({ onChanged: (s) => window.statuses.push(s) });
      R.RongIMClient.setOnReceiveMessageListener({
        onReceived: (m) => window.received.push({ text: m.content.content, from: m.senderUserId, cls: m.content.constructor.name }),
      });
      const userId = await R.RongIMClient.connect(t);
      const sent = await R.RongIMClient.getInstance().sendMessage(
        R.ConversationType.PRIVATE, 'node-peer', R.TextMessage.obtain('from the browser 😀'));
      return { userId, messageUId: sent.messageUId, keys: Object.keys(localStorage) };
    },
    { appKey: APP_KEY, navi: server.host, token },
  );
  assert.equal(result.userId, 'web-user');
  const got = await peer.waitFor(() => peer.state.received.find((m) => m.messageUId === result.messageUId), 'browser message');
  assert.equal(got.content.content, 'from the browser 😀');
  await peer.im().sendMessage(1, 'web-user', node.TextMessage.obtain('to the browser'));
  await page.waitForFunction(() => window.received.some((m) => m.text === 'to the browser'), null, { timeout: 20000 });
  const received = await page.evaluate(() => window.received);
  assert.deepEqual(received, [{ text: 'to the browser', from: 'node-peer', cls: 'TextMessage' }]);
  assert.deepEqual((await page.evaluate(() => window.statuses)).slice(0, 4), [201, 202, 1, 0]);
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(keys.some((k) => k.startsWith(`rong_${'e2eappkey'}_`)), `persisted in localStorage: ${keys}`);
  assert.deepEqual(errors, []);
  peer.im().disconnect();
});
