// User status and files end to end: the built package (Node build, and the mini-program build
// over a fake `wx`) through the real im-server. A subscriber's listener hears the status a user
// sets and their going offline; a user reads their own status; an upload token from
// getFileToken takes a real multipart upload, whose getFileUrl downloads the same bytes; a bad
// file type is 41001. Callback and Promise forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

let node;
let wxLib;
let server;
const e = e2e((ctx) => ({ node, wxLib, server } = ctx));
const { online } = e;

/** A callback object whose outcome becomes a Promise of `{ok, value}` / `{ok: false, code}`. */
function callback() {
  let done;
  const settled = new Promise((resolve) => (done = resolve));
  return {
    settled,
    cb: {
      onSuccess: (value) => done({ ok: true, value }),
      onError: (code) => done({ ok: false, code }),
    },
  };
}

/** A status listener for user `u`: what it hears goes to `list`, and `u`'s waits re-check. */
const recorder = (u, list) => (s) => {
  list.push(s);
  for (const w of [...u.state.watchers]) w();
};

test('a subscriber hears the status a user sets and their going offline; a user reads their own status', async () => {
  const alice = await online('pr-alice');
  const bob = await online('pr-bob');
  const heard = [];
  const also = [];
  const subscribed = alice.im().setUserStatusListener({ userIds: ['pr-bob'] }, recorder(alice, heard));
  assert.equal(await subscribed, true);
  // The server tells the current status at once.
  await alice.waitFor(() => heard.length >= 1, 'the status at subscribing');
  assert.equal(heard[0].userId, 'pr-bob');
  assert.equal(heard[0].status.online, 1);
  assert.ok(Array.isArray(heard[0].status.platform));

  // A second listener for the same user, kept beside the first (`multiple`).
  await alice.im().setUserStatusListener({ userIds: ['pr-bob'], multiple: true }, recorder(alice, also));

  const set = callback();
  bob.im().setUserStatus(5, set.cb);
  assert.deepEqual(await set.settled, { ok: true, value: true });
  await alice.waitFor(() => heard.some((s) => s.status.status === 5), 'status 5 at alice');
  const five = heard.find((s) => s.status.status === 5);
  assert.deepEqual(Object.keys(five).sort(), ['status', 'userId']);
  assert.equal(five.userId, 'pr-bob');
  assert.equal(five.status.online, 1);
  await alice.waitFor(() => also.some((s) => s.status.status === 5), 'status 5 at the second listener');

  // getUserStatus reads the caller's own status whatever id it names (as 2.5.3 does).
  const own = await bob.im().getUserStatus('pr-alice');
  assert.equal(own.userId, 'pr-bob');
  assert.deepEqual({ online: own.status.online, status: own.status.status }, { online: 1, status: 5 });
  const got = callback();
  bob.im().getUserStatus('pr-bob', got.cb);
  const r = await got.settled;
  assert.equal(r.ok, true);
  assert.equal(r.value.status.status, 5);
  assert.equal(await bob.im().setUserStatus(0), true);

  const before = heard.length;
  bob.im().disconnect();
  await alice.waitFor(() => heard.slice(before).some((s) => s.status.online === 0), 'bob offline at alice');
  assert.ok(heard.slice(before).every((s) => s.userId === 'pr-bob'));
});

test('a listener hears only the users it watches, and a later listener for a user replaces the earlier one', async () => {
  const carol = await online('pr-carol');
  const dan = await online('pr-dan');
  const eve = await online('pr-eve');
  const first = [];
  const second = [];
  await carol.im().setUserStatusListener({ userIds: ['pr-dan'] }, recorder(carol, first));
  await carol.im().setUserStatusListener({ userIds: ['pr-dan'] }, recorder(carol, second));
  await eve.im().setUserStatus(9);
  await dan.im().setUserStatus(3);
  await carol.waitFor(() => second.some((s) => s.status.status === 3), 'dan at the second listener');
  assert.ok(second.every((s) => s.userId === 'pr-dan'), 'eve is not watched');
  assert.ok(!first.some((s) => s.status.status === 3), 'the replaced listener hears nothing more');
});

test('an upload token takes a real multipart upload whose download URL gives the same bytes', async () => {
  const u = await online('pr-files');
  const token = await u.im().getFileToken(node.FileType.FILE);
  assert.deepEqual(Object.keys(token).sort(), ['deadline', 'token']);
  assert.equal(typeof token.deadline, 'number');
  assert.ok(token.deadline > Date.now(), 'the token expires later');
  assert.equal(typeof token.token, 'string');

  const bytes = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
  const form = new FormData();
  form.append('token', token.token);
  form.append('key', 'pr-files-report.bin');
  form.append('file', new Blob([bytes]), 'report.bin');
  const up = await fetch(`${server.url}/upload`, { method: 'POST', body: form });
  assert.equal(up.status, 200, await up.clone().text());
  const { key } = await up.json();
  assert.equal(key, 'pr-files-report.bin');

  const url = await u.im().getFileUrl(node.FileType.FILE, key, 'report.bin');
  assert.deepEqual(Object.keys(url), ['downloadUrl']);
  assert.ok(url.downloadUrl.includes(key), url.downloadUrl);
  const down = await fetch(url.downloadUrl);
  assert.equal(down.status, 200);
  assert.deepEqual(new Uint8Array(await down.arrayBuffer()), bytes);

  // The callback forms, and without an original name.
  const t = callback();
  u.im().getFileToken(node.FileType.IMAGE, t.cb);
  const got = await t.settled;
  assert.equal(got.ok, true);
  assert.equal(typeof got.value.token, 'string');
  const l = callback();
  u.im().getFileUrl(node.FileType.FILE, key, null, l.cb);
  const link = await l.settled;
  assert.equal(link.ok, true);
  assert.equal(new URL(link.value.downloadUrl).searchParams.get('attname'), null);
});

test('a file type outside 1–4 is 41001, in both forms; the mini-program build gets tokens and statuses too', async () => {
  const u = await online('pr-bad');
  for (const bad of [0, 5, 11, 'x']) {
    const c = callback();
    u.im().getFileToken(bad, c.cb);
    assert.deepEqual(await c.settled, { ok: false, code: 41001 }, `fileType ${bad}`);
  }
  await assert.rejects(u.im().getFileToken(7), (err) => err.code === 41001);
  await assert.rejects(u.im().getFileUrl(9, 'k', 'n'), (err) => err.code === 41001);
  await assert.rejects(u.im().getFileUrl(1, '', 'n'), (err) => err.code === node.ErrorCode.PARAMETER_ERROR);

  const w = await online('pr-wx', { libOptions: { wx: createFakeWx() } }, wxLib);
  const token = await w.im().getFileToken(2);
  assert.equal(typeof token.token, 'string');
  await assert.rejects(w.im().getFileToken(5), (err) => err.code === 41001);
  assert.equal(await w.im().setUserStatus(4), true);
  const own = await w.im().getUserStatus('pr-wx');
  assert.deepEqual([own.userId, own.status.status], ['pr-wx', 4]);
});

test('an uploaded file survives a kill -9 of the server: its download URL gives the same bytes after the restart', async () => {
  const u = await online('pr-files-kill');
  const { token } = await u.im().getFileToken(node.FileType.IMAGE);
  const bytes = new Uint8Array(5000).map((_, i) => (i * 13) & 0xff);
  const form = new FormData();
  form.append('token', token);
  form.append('key', 'pr-files-kill.png');
  form.append('file', new Blob([bytes]), 'kill.png');
  const up = await fetch(`${server.url}/upload`, { method: 'POST', body: form });
  assert.equal(up.status, 200, await up.clone().text());
  const { downloadUrl } = await u.im().getFileUrl(node.FileType.IMAGE, 'pr-files-kill.png');
  await server.kill();
  await server.restart();
  const down = await fetch(downloadUrl);
  assert.equal(down.status, 200);
  assert.deepEqual(new Uint8Array(await down.arrayBuffer()), bytes);
});
