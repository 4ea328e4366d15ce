// The browser build's life in headless Chromium against the real im-server: with a backoff of ten
// minutes, a connection lost while the browser is offline (or the page hidden) is not retried, and
// the `online` event (or the page becoming visible) reconnects at once. Uses the system Chromium
// through playwright-core; nothing is downloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumer } from './support/consumer.mjs';
import { startServer, APP_KEY } from './support/server.mjs';
import { launchChromium } from './support/chromium.mjs';
import { serveStatic } from './support/static.mjs';

const CONNECTED = 0;
const CONNECTING = 1;
const NETWORK_UNAVAILABLE = 3;

let server;
let web;
let context;
let profile;

before(async () => {
  const c = await consumer();
  web = await serveStatic({ page: '<!doctype html><title>im</title>', prefix: '/', dir: c.resolveInPackage('') });
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

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A page with a connected user whose automatic reconnection waits ten minutes. */
async function connectedPage(userId) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${web.base}/`);
  const token = await server.token(userId);
  await page.evaluate(
    async ({ appKey, navi, token: t }) => {
      const { default: R } = await import('/dist/browser.mjs');
      window.statuses = [];
      // A page whose visibility the test sets (headless Chromium never hides a page itself).
      window.visibility = 'visible';
      Object.defineProperty(document, 'visibilityState', { get: () => window.visibility, configurable: true });
      R.RongIMClient.init(appKey, null, {
        navi,
        protocol: 'http:',
        autoReconnect: { initialMs: 600000, maxMs: 600000, jitterPercent: 0 },
      });
      R.RongIMClient.setConnectionStatusListener({ onChanged: (s) => window.statuses.push(s) });
      R.RongIMClient.setOnReceiveMessageListener({ onReceived: () => {} });
      await R.RongIMClient.connect(t);
    },
    { appKey: APP_KEY, navi: server.host, token },
  );
  return { page, errors };
}

/** Statuses from index `from` on. */
const statusesFrom = (page, from) => page.evaluate((f) => window.statuses.slice(f), from);

/**
 * Loses the connection (the server is killed and started again) while `away` holds, checks that
 * nothing is tried for a second, then runs `back` and waits for CONNECTED.
 */
async function loseAndReturn(page, away, back) {
  const from = await page.evaluate(() => window.statuses.length);
  await away();
  await server.kill();
  await page.waitForFunction((f) => window.statuses.slice(f).includes(3), from, { timeout: 20000 });
  await server.restart();
  await pause(1000);
  const meanwhile = await statusesFrom(page, from);
  assert.ok(meanwhile.includes(NETWORK_UNAVAILABLE), JSON.stringify(meanwhile));
  assert.ok(!meanwhile.includes(CONNECTING), `no attempt while away: ${JSON.stringify(meanwhile)}`);
  const at = Date.now();
  await back();
  await page.waitForFunction((f) => window.statuses.slice(f).at(-1) === 0, from, { timeout: 20000 });
  // The backoff is ten minutes: only the event can have brought the connection back.
  assert.ok(Date.now() - at < 20000);
  assert.equal((await statusesFrom(page, from)).at(-1), CONNECTED);
}

test('headless Chromium: offline holds reconnection, and the online event reconnects at once', async () => {
  const { page, errors } = await connectedPage('web-network');
  await loseAndReturn(
    page,
    () => context.setOffline(true),
    () => context.setOffline(false),
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('headless Chromium: a hidden page holds reconnection, and becoming visible reconnects at once', async () => {
  const { page, errors } = await connectedPage('web-hidden');
  const setVisibility = (v) =>
    page.evaluate((state) => {
      window.visibility = state;
      document.dispatchEvent(new Event('visibilitychange'));
    }, v);
  await loseAndReturn(
    page,
    () => setVisibility('hidden'),
    () => setVisibility('visible'),
  );
  assert.deepEqual(errors, []);
  await page.close();
});
