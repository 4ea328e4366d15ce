// The official RongCloud server SDK (npm `rongcloud-sdk` 3.1.1) against the built `im-server`
// binary for the calls added with user tags, template messages, broadcasts, pushes and the
// hourly history file (server-api.md §2.1, §2.2, §2.7). Delivery to clients is covered by the
// server's own tests (crates/server/tests/api_*.rs); here the SDK's requests and answers are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';

let server;
let sdk;

before(async () => {
  server = await startServer();
  sdk = server.sdk;
});

after(async () => {
  await server?.stop();
});

/** `YYYYMMDDHH` of a time, in UTC. */
function hourOf(ms) {
  return new Date(ms).toISOString().slice(0, 13).replace(/[-T]/g, '');
}

test('tags: set, batch set, remove and query through the SDK, kept across a restart', async () => {
  const t = sdk.User.Tag;
  assert.equal((await t.set({ id: 'ujadk90ha', tags: ['IM', '北京'] })).code, 200);
  assert.equal((await t.batchSet({ users: [{ id: 'u1' }, { id: 'u2' }], tags: ['a', 'b'] })).code, 200);
  assert.equal((await t.remove({ id: 'u2' })).code, 200);
  const list = await t.getList([{ id: 'ujadk90ha' }, { id: 'u1' }, { id: 'u2' }]);
  assert.equal(list.code, 200);
  assert.deepEqual(list.tags, { ujadk90ha: ['IM', '北京'], u1: ['a', 'b'], u2: [] });

  const tooMany = await t.set({ id: 'u1', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) });
  assert.equal(tooMany.code, 1002);
  assert.equal(typeof tooMany.msg, 'string');
  assert.deepEqual((await t.getList({ id: 'u1' })).tags, { u1: ['a', 'b'] }, 'a refused set changes nothing');

  assert.equal((await t.batchRemove({ users: [{ id: 'u1' }] })).code, 200);
  await server.kill();
  await server.restart();
  const after = await t.getList([{ id: 'ujadk90ha' }, { id: 'u1' }]);
  assert.deepEqual(after.tags, { ujadk90ha: ['IM', '北京'], u1: [] });
});

test('template messages: one personalised message per receiver', async () => {
  const message = {
    senderId: '__SYSTEM__',
    objectName: 'RC:TxtMsg',
    template: { content: '{name}, 语文成绩 {score} 分' },
    content: {
      sea9901: { data: { '{name}': '小明', '{score}': '90' }, push: '{name} 考试成绩' },
      sea9902: { data: { '{name}': '小红', '{score}': '95' }, push: '{name} 考试成绩' },
    },
  };
  const priv = await sdk.Message.Private.sendTemplate(message);
  assert.equal(priv.code, 200, JSON.stringify(priv));
  assert.deepEqual(priv.messageUIDs.map((m) => m.userId), ['sea9901', 'sea9902']);
  const sys = await sdk.Message.System.sendTemplate(message);
  assert.equal(sys.code, 200, JSON.stringify(sys));
  const plain = await sdk.Message.Private.sendTemplate({ ...message, template: 'not an object' });
  // The SDK sends JSON text of a string: valid JSON, so accepted as RongCloud accepts it.
  assert.equal(plain.code, 200);
});

test('broadcast and push are accepted, and bad pushes are refused with a message', async () => {
  const b = await sdk.Message.System.broadcast({
    senderId: '__SYSTEM__',
    objectName: 'RC:TxtMsg',
    content: { content: 'to everyone' },
  });
  assert.equal(b.code, 200, JSON.stringify(b));
  assert.equal(typeof b.messageUID, 'string');

  const notification = { alert: 'this is a push', ios: { title: 't' }, android: {} };
  const p = await sdk.Push.push({ platform: ['ios', 'android'], audience: { tag: ['女'], is_to_all: false }, notification });
  assert.equal(p.code, 200, JSON.stringify(p));
  assert.equal(typeof p.id, 'string');
  const m = await sdk.Push.message({
    platform: ['ios'],
    fromUserId: 'mon888',
    audience: { userid: ['sea9901'], is_to_all: false },
    message: { content: JSON.stringify({ content: 'hello' }), objectName: 'RC:TxtMsg' },
    notification,
  });
  assert.equal(m.code, 200, JSON.stringify(m));
  const bad = await sdk.Push.push({ platform: ['web'], audience: { is_to_all: true }, notification });
  assert.equal(bad.code, 1002);
  assert.equal(typeof bad.msg, 'string');
  const nobody = await sdk.Push.push({ platform: ['ios'], audience: { is_to_all: false }, notification });
  assert.equal(nobody.code, 1002);
});

test('history: no file for the current hour, 1002 for a malformed date, delete answers 200', async () => {
  const date = hourOf(Date.now());
  const now = await sdk.Message.History.get({ date });
  assert.equal(now.code, 200, JSON.stringify(now));
  assert.equal(now.url, '');
  assert.equal(now.date, date);
  const numeric = await sdk.Message.History.get({ date: 2018022710 });
  assert.deepEqual([numeric.code, numeric.url, numeric.date], [200, '', '2018022710'], 'an hour without messages');
  const bad = await sdk.Message.History.get({ date: 201802271011 });
  assert.equal(bad.code, 1002);
  assert.equal(typeof bad.msg, 'string');
  assert.equal((await sdk.Message.History.remove({ date: 2018022710 })).code, 200);
  assert.equal((await sdk.Message.History.remove({ date: 201802271011 })).code, 1002);
});
