// The official server SDK's chatroom calls (npm `rongcloud-sdk`, its `spec/chatroomSpec.js` cases
// and the key renames of server-api.md §2.5) against the built `im-server` binary, with a member
// connected through the built package to see their effect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consumer } from './support/consumer.mjs';
import { startServer } from './support/server.mjs';
import { makeUser } from './support/clients.mjs';

let server;
let node;
let sdk;
const users = [];

before(async () => {
  node = (await (await consumer()).loadNode()).default;
  server = await startServer();
  sdk = server.sdk;
});

after(async () => {
  for (const u of users) u.im().disconnect();
  await server?.stop();
});

const ok = (r) => assert.equal(r.code, 200, JSON.stringify(r));

test('rooms: create twice, members, existence and destroy as the SDK sees them', async () => {
  const C = sdk.Chatroom;
  ok(await C.create([{ id: 'MNiuhfd91k', name: '大融云' }]));
  ok(await C.create({ id: 'MNiuhfd91k', name: '大融云' }));
  const u = await makeUser(node, server, 'seal9901');
  users.push(u);
  assert.equal(await u.connect(), 'seal9901');
  await u.im().joinChatRoom('MNiuhfd91k', -1);
  const got = await C.get({ id: 'MNiuhfd91k', count: 10, order: 1 });
  ok(got);
  assert.equal(got.total, 1);
  assert.deepEqual(got.members.map((m) => m.id), ['seal9901'], 'users is renamed to members');
  const exist = await C.isExist({ id: 'MNiuhfd91k', members: [{ id: 'seal9901' }, { id: 'nobody' }] });
  ok(exist);
  assert.deepEqual(exist.members.map((m) => [m.id, m.isInChrm]), [['seal9901', 1], ['nobody', 0]]);
  ok(await C.destroy({ id: ['MNiuhfd91k', 'testChrmId'] }));
  const gone = await C.get({ id: 'MNiuhfd91k' });
  ok(gone);
  assert.equal(gone.total, 0);
  await assert.rejects(u.im().sendMessage(4, 'MNiuhfd91k', node.TextMessage.obtain('x')), (e) => e.code === 23406);
});

test('gag, block, demotion, distribution, whitelists and messages answer 200 with their lists', async () => {
  const C = sdk.Chatroom;
  const members = [{ id: 'seal9901' }];
  ok(await C.Gag.add({ id: 'chatroom001', members, minute: 30 }));
  const gagged = await C.Gag.getList({ id: 'chatroom001' });
  ok(gagged);
  assert.deepEqual(gagged.members.map((m) => m.id), ['seal9901']);
  ok(await C.Gag.remove({ id: 'chatroom001', members, minute: 30 }));
  ok(await C.Block.add({ id: 'ChartRoomId', members, minute: 30 }));
  const blocked = await C.Block.getList({ id: 'ChartRoomId' });
  assert.deepEqual(blocked.members.map((m) => m.id), ['seal9901']);
  ok(await C.Block.remove({ id: 'ChartRoomId', members }));
  const msgs = ['RC:TxtMsg', 'RC:ImgMsg', 'RC:VcMsg', 'RC:ImgTextMsg', 'RC:LBSMsg', 'RC:HQVCMsg'];
  ok(await C.Demotion.add({ msgs }));
  assert.deepEqual([...(await C.Demotion.getList()).objectNames].sort(), [...msgs].sort());
  ok(await C.Demotion.remove({ msgs }));
  ok(await C.Distribute.stop({ id: 'ChartRoomId' }));
  ok(await C.Distribute.resume({ id: 'ChartRoomId' }));
  ok(await C.Whitelist.Message.add({ msgs }));
  assert.equal((await C.Whitelist.Message.getList()).objectNames.length, msgs.length);
  ok(await C.Whitelist.Message.remove({ msgs }));
  ok(await C.Whitelist.User.add({ id: 'chatroom001', members }));
  assert.deepEqual((await C.Whitelist.User.getList({ id: 'chatroom001' })).members.map((m) => m.id), ['seal9901']);
  ok(await C.Whitelist.User.remove({ id: 'chatroom001', members }));
  const content = { content: 'helloworld' };
  ok(await sdk.Message.Chatroom.send({ senderId: 'sea9902', targetId: 'never-created', objectName: 'RC:TxtMsg', content }));
  ok(await sdk.Message.Chatroom.broadcast({ senderId: 'sea9902', objectName: 'RC:TxtMsg', content }));
});
