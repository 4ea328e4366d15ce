// Conversation settings kept by im-server for the user, end to end with the built package: two
// devices of one user (the Node build and the mini-program build over a fake `wx`). Pinning,
// hiding, notification status and quiet hours set on one device are seen on the other, also by a
// device that connects later on fresh storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

let node;
let wxLib;
const { online } = e2e((ctx) => ({ node, wxLib } = ctx), { devices_per_user: 3 });

const PRIVATE = 1;
const GROUP = 3;

/** The list of `u` as `[targetId, isTop, isHidden, notificationStatus]`, newest first. */
async function listed(u, hidden = false) {
  const list = await u.im().getConversationList(null, null, null, hidden);
  return list.map((c) => [c.targetId, c.isTop, c.isHidden, c.notificationStatus]);
}

/** Resolves once `check()` (async) holds, asked again every 50 ms; a hang guard after 20 s. */
async function eventually(check, what) {
  const until = Date.now() + 20000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends one text from `from` to `to` and waits until `to` has it. */
async function deliver(from, to, text) {
  const sent = await from.im().sendMessage(PRIVATE, to.userId, node.TextMessage.obtain(text));
  await to.waitFor(() => to.state.received.some((m) => m.messageUId === sent.messageUId), `${text} at ${to.userId}`);
}

test('a setting made on one device reaches the other device of the same user', async () => {
  const phone = await online('set-me');
  const wxDevice = await online('set-me', { libOptions: { wx: createFakeWx() } }, wxLib);
  const bob = await online('set-bob');
  const carol = await online('set-carol');
  await deliver(bob, phone, 'from bob');
  await deliver(carol, phone, 'from carol');
  await wxDevice.waitFor(() => wxDevice.state.received.length === 2, 'both messages on the second device');
  assert.deepEqual(await listed(wxDevice), [
    ['set-carol', false, false, 1],
    ['set-bob', false, false, 1],
  ]);

  assert.equal(await phone.im().setConversationToTop(PRIVATE, 'set-bob', true), true);
  assert.deepEqual((await listed(phone)).map((c) => c[0]), ['set-bob', 'set-carol'], 'pinned first');
  await phone.im().setConversationNotificationStatus(PRIVATE, 'set-carol', 0);
  await phone.im().setConversationHidden(PRIVATE, 'set-carol', true);

  // The other device learns of it by itself (s_cmd, then one settings query).
  await eventually(async () => {
    const list = await listed(wxDevice, true);
    return list[0][0] === 'set-bob' && list[0][1] === true && list[1][2] === true && list[1][3] === 0;
  }, 'the settings on the second device');
  assert.deepEqual(await listed(wxDevice), [['set-bob', true, false, 1]], 'the hidden one is left out');
  assert.equal(await wxDevice.im().getConversationNotificationStatus(PRIVATE, 'set-carol'), 0);
  assert.equal(await wxDevice.im().getConversationNotificationStatus(PRIVATE, 'set-bob'), 1);

  // Unpinned on the second device, seen on the first.
  await wxDevice.im().setConversationToTop(PRIVATE, 'set-bob', false);
  await eventually(async () => (await listed(phone))[0][1] === false, 'unpinned on the first device');
});

test('quiet hours and group notification status are the user’s, also for a device that connects later', async () => {
  const a = await online('quiet-a');
  assert.deepEqual(await a.im().getNotificationQuietHours(), { startTime: '', spanMinutes: 0 });
  await a.im().setNotificationQuietHours('22:30:00', 480);
  await a.im().setConversationNotificationStatus(GROUP, 'quiet-group', 0);

  const later = await online('quiet-a', { libOptions: { wx: createFakeWx() } }, wxLib);
  assert.deepEqual(await later.im().getNotificationQuietHours(), { startTime: '22:30:00', spanMinutes: 480 });
  assert.equal(await later.im().getConversationNotificationStatus(GROUP, 'quiet-group'), 0);
  await later.im().removeNotificationQuietHours();
  assert.deepEqual(await a.im().getNotificationQuietHours(), { startTime: '', spanMinutes: 0 });
});

test('bad settings arguments reach onError with -3 and change nothing', async () => {
  const a = await online('badset-a');
  const code = (p) => p.then(() => 'resolved', (e) => e.code);
  assert.equal(await code(a.im().setNotificationQuietHours('25:00:00', 10)), -3);
  assert.equal(await code(a.im().setNotificationQuietHours('10:00:00', 1440)), -3);
  assert.equal(await code(a.im().setConversationNotificationStatus(PRIVATE, 'x', 2)), -3);
  assert.equal(await code(a.im().setConversationToTop(99, 'x', true)), -3);
  assert.equal(await code(a.im().setConversationToTop(PRIVATE, '', true)), -3);
  assert.equal(await code(a.im().setOfflineMessageDuration(8)), -3);
  assert.equal(await code(a.im().setOfflineMessageDuration(2)), 'resolved');
  assert.deepEqual(await a.im().getNotificationQuietHours(), { startTime: '', spanMinutes: 0 });
});
