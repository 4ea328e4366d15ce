// The official RongCloud server SDK (npm `rongcloud-sdk` 3.x) against the built `im-server`
// binary for conversation notification settings (server-api.md §2.4): `Conversation.mute` and
// `unmute` send `conversation/notification/set`; `conversation/notification/get` is documented
// by the SDK but not implemented in 3.1.1, so it goes through the SDK's own signed `request`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer } from './support/server.mjs';

const require = createRequire(import.meta.url);
// The module the SDK signs every call with; startServer's RongCloud(...) initialised it.
const { request } = require('rongcloud-sdk/lib/request.js');

let server;
let sdk;

before(async () => {
  server = await startServer();
  sdk = server.sdk;
});

after(async () => {
  await server?.stop();
});

/** `conversation/notification/get` as the SDK would send it: form fields, signed headers. */
async function isMuted(conversationType, requestId, targetId) {
  const res = await request({
    url: 'conversation/notification/get',
    data: { conversationType, requestId, targetId },
  });
  assert.equal(res.text.code, 200, JSON.stringify(res.text));
  return res.text.isMuted;
}

test('mute and unmute a private and a group conversation, read back with get', async () => {
  assert.equal(await isMuted(1, 'member01', 'watergroup'), 0, 'not muted by default');
  const mute = await sdk.Conversation.mute({ type: 'PRIVATE', userId: 'member01', targetId: 'watergroup' });
  assert.equal(mute.code, 200, JSON.stringify(mute));
  assert.equal(await isMuted(1, 'member01', 'watergroup'), 1);
  assert.equal(await isMuted(3, 'member01', 'watergroup'), 0, 'the group of that id is another conversation');
  assert.equal(await isMuted(1, 'member02', 'watergroup'), 0, 'another user is untouched');

  assert.equal((await sdk.Conversation.mute({ type: 'GROUP', userId: 'member01', targetId: 'watergroup' })).code, 200);
  assert.equal(await isMuted(3, 'member01', 'watergroup'), 1);
  assert.equal((await sdk.Conversation.unmute({ type: 'PRIVATE', userId: 'member01', targetId: 'watergroup' })).code, 200);
  assert.equal(await isMuted(1, 'member01', 'watergroup'), 0);
  assert.equal(await isMuted(3, 'member01', 'watergroup'), 1);
  assert.equal((await sdk.Conversation.unmute({ type: 'PRIVATE', userId: 'member01', targetId: 'watergroup' })).code, 200, 'twice is fine');
});

test('an unknown type name reaches the server as conversationType=undefined and is refused', async () => {
  const r = await sdk.Conversation.mute({ type: 'PP', userId: 'member01', targetId: 'watergroup' });
  assert.equal(r.code, 1002, JSON.stringify(r));
  assert.equal(typeof r.msg, 'string');
  await assert.rejects(sdk.Conversation.mute({ type: 'PRIVATE', targetId: 'watergroup' }), (e) => e.code === '20005');
});

test('settings survive a crash and restart of the server', async () => {
  assert.equal((await sdk.Conversation.mute({ type: 'DISCUSSION', userId: 'member03', targetId: 'd1' })).code, 200);
  await server.kill();
  await server.restart();
  assert.equal(await isMuted(2, 'member03', 'd1'), 1);
  assert.equal(await isMuted(3, 'member01', 'watergroup'), 1);
});
