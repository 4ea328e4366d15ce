// End to end through the real im-server binary: alice uses the package's Node build, bob its
// mini-program build over a fake `wx` (real sockets), carol the Node build. They exchange every
// message type a client can send; errors come back with their 2.x codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consumer } from './support/consumer.mjs';
import { startServer } from './support/server.mjs';
import { makeUser, receivedWith } from './support/clients.mjs';
import { loadWxBuild } from './support/wx-host.mjs';

let server;
let node;
let wxBuild;
let alice;
let bob;
let carol;
const GROUP = 'grp-e2e';

before(async () => {
  const c = await consumer();
  node = (await c.loadNode()).default;
  wxBuild = loadWxBuild(c);
  server = await startServer();
  alice = await makeUser(node, server, 'alice');
  bob = await makeUser(wxBuild.lib, server, 'bob');
  carol = await makeUser(node, server, 'carol');
  const created = await server.sdk.Group.create({
    id: GROUP,
    name: 'E2E',
    members: [{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }],
  });
  assert.equal(created.code, 200);
  assert.equal(await alice.connect(), 'alice');
  assert.equal(await bob.connect(), 'bob');
  assert.equal(await carol.connect(), 'carol');
});

after(async () => {
  for (const u of [alice, bob, carol]) u?.im().disconnect();
  await server?.stop();
});

test('the mini-program build loads its wasm by package path, with the UTF-8 polyfill', () => {
  assert.deepEqual(wxBuild.instantiated, ['/miniprogram_npm/rongimlib-wasm/im_wasm_bg.wasm.br']);
  assert.ok(wxBuild.polyfilled, 'loaded without a host TextDecoder, leaving the global alone');
  assert.deepEqual(alice.state.statuses.slice(0, 4), [201, 202, 1, 0]);
  assert.deepEqual(bob.state.statuses.slice(0, 4), [201, 202, 1, 0]);
  assert.equal(bob.im().getCurrentUserId(), 'bob');
  assert.equal(bob.im().getCurrentConnectionStatus(), 0);
  assert.equal(typeof alice.im().getDeltaTime(), 'number');
});

/** Sends from `from` to bob (private) and returns [sent, received]. */
async function exchange(from, content, ...rest) {
  const sent = await from.im().sendMessage(1, 'bob', content, undefined, ...rest);
  assert.equal(typeof sent.messageUId, 'string');
  assert.ok(sent.sentTime > 0);
  assert.equal(sent.senderUserId, from.userId);
  assert.equal(sent.messageDirection, 1);
  assert.equal(sent.sentStatus, 30);
  assert.equal(sent.content, content, 'onSuccess carries the content object that was sent');
  const got = await bob.waitFor(
    () => bob.state.received.find((m) => m.messageUId === sent.messageUId),
    `${sent.objectName} at bob`,
  );
  assert.equal(got.senderUserId, from.userId);
  assert.equal(got.targetId, from.userId);
  assert.equal(got.conversationType, 1);
  assert.equal(got.messageDirection, 2);
  assert.equal(got.sentTime, sent.sentTime);
  assert.equal(got.objectName, sent.objectName);
  assert.equal(got.messageType, sent.messageType);
  return [sent, got];
}

test('every sendable content type reaches the peer with its fields and class', async () => {
  const L = node;
  const user = { id: 'alice', name: 'Alice', portraitUri: 'http://x/a.png' };
  const contents = [
    new L.TextMessage({ content: 'hello 😀 你好', extra: '{"k":1}', user }),
    new L.ImageMessage({ content: 'iVBORw0KGgo=', imageUri: 'http://x/full.png', extra: 'e' }),
    new L.VoiceMessage({ content: 'IyFBTVIK', duration: 3 }),
    new L.RichContentMessage({ title: 'T', content: 'C', imageUri: 'http://x/i.png', url: 'http://x/u' }),
    new L.LocationMessage({ latitude: 39.9, longitude: 116.4, poi: 'Beijing', content: 'bWFw' }),
    new L.FileMessage({ name: 'a.txt', size: 12, type: 'txt', fileUrl: 'http://x/a.txt' }),
    new L.CommandMessage({ name: 'cmd', data: '{"x":1}' }),
    new L.CommandNotificationMessage({ name: 'ntf', data: 'd' }),
    new L.InformationNotificationMessage({ message: 'info', extra: '' }),
    new L.ContactNotificationMessage({ operation: 'Request', sourceUserId: 'alice', targetUserId: 'bob', message: 'hi' }),
    new L.ProfileNotificationMessage({ operation: 'Update', data: '{"n":1}' }),
    new L.ReadReceiptMessage({ lastMessageSendTime: 1, messageUId: 'X', type: 1 }),
  ];
  for (const content of contents) {
    const [sent, got] = await exchange(alice, content);
    assert.equal(got.messageType, content.messageName);
    assert.equal(got.content.constructor, bob.L[content.messageName], `${content.messageName} class`);
    assert.deepEqual(JSON.parse(got.content.encode()), JSON.parse(content.encode()), content.messageName);
    assert.equal(sent.objectName, node.RongIMClient.MessageParams.get(content.messageName).objectName);
  }
  const text = bob.state.received.find((m) => m.objectName === 'RC:TxtMsg');
  assert.equal(text.content.content, 'hello 😀 你好', 'non-BMP characters survive');
});

test('onBefore(messageId) comes before onSuccess with the id the sent message carries', async () => {
  const order = [];
  const sent = await new Promise((resolve, reject) =>
    alice.im().sendMessage(1, 'bob', node.TextMessage.obtain('before'), {
      onBefore: (id) => order.push(['before', id]),
      onSuccess: (m) => {
        order.push(['success']);
        resolve(m);
      },
      onError: reject,
    }),
  );
  assert.equal(order.length, 2);
  assert.equal(order[0][0], 'before');
  assert.equal(typeof order[0][1], 'number');
  assert.equal(String(order[0][1]), String(sent.messageId));
  assert.deepEqual(order[1], ['success']);
});

test('typing status is sent with sendTypingStatusMessage and onSuccess() has no argument', async () => {
  const args = await new Promise((resolve, reject) =>
    alice.im().sendTypingStatusMessage(1, 'bob', 'TextMessage', {
      onSuccess: (...a) => resolve(a),
      onError: reject,
    }),
  );
  assert.deepEqual(args, []);
  const got = await receivedWith(bob, 'RC:TypSts', () => true, 'typing status');
  assert.equal(got.content.typingContentType, 'RC:TxtMsg');
});

test('an @mention in a group and a directional group message', async () => {
  const mention = new node.TextMessage({
    content: '@bob look',
    mentionedInfo: { type: node.MentionedType.PART, userIdList: ['bob'], mentionedContent: '' },
  });
  const sent = await alice.im().sendMessage(3, GROUP, mention, undefined, true);
  for (const u of [bob, carol]) {
    const got = await u.waitFor(() => u.state.received.find((m) => m.messageUId === sent.messageUId), 'mention');
    assert.equal(got.conversationType, 3);
    assert.equal(got.targetId, GROUP);
    assert.deepEqual(got.content.mentionedInfo.userIdList, ['bob']);
  }
  const direct = await alice.im().sendMessage(3, GROUP, node.TextMessage.obtain('only bob'), undefined, false, null, null, null, {
    userIds: ['bob'],
  });
  await bob.waitFor(() => bob.state.received.find((m) => m.messageUId === direct.messageUId), 'directional');
  // A later message to the whole group reaches carol; the directional one must not have.
  const all = await alice.im().sendMessage(3, GROUP, node.TextMessage.obtain('everyone'));
  await carol.waitFor(() => carol.state.received.find((m) => m.messageUId === all.messageUId), 'group message');
  assert.ok(!carol.state.received.some((m) => m.messageUId === direct.messageUId), 'carol did not get it');
});

test('recall: only the sender may recall, and the peer gets RC:RcCmd', async () => {
  const sent = await alice.im().sendMessage(1, 'bob', node.TextMessage.obtain('oops'));
  const atBob = await bob.waitFor(() => bob.state.received.find((m) => m.messageUId === sent.messageUId), 'to recall');
  await assert.rejects(bob.im().sendRecallMessage(atBob), (e) => e.code === node.ErrorCode.RECALL_MESSAGE);
  const recalled = await alice.im().sendRecallMessage(sent);
  assert.equal(recalled.objectName, 'RC:RcCmd');
  assert.equal(recalled.targetId, 'alice');
  const cmd = await receivedWith(bob, 'RC:RcCmd', (m) => m.content.messageUId === sent.messageUId, 'recall');
  assert.equal(cmd.messageType, 'RecallCommandMessage');
  assert.equal(cmd.content.targetId, 'bob');
});

test('a registered custom type round-trips, an unknown objectName arrives as UnknownMessage', async () => {
  for (const u of [alice, bob]) {
    u.L.RongIMClient.registerMessageType('PokeMessage', 'App:Poke', new u.L.MessageTag(true, true), ['strength']);
  }
  const Poke = alice.L.RongIMClient.RegisterMessage.PokeMessage;
  const [, got] = await exchange(alice, new Poke({ strength: 7, ignored: 1 }));
  assert.equal(got.messageType, 'PokeMessage');
  assert.equal(got.content.constructor, bob.L.RongIMClient.RegisterMessage.PokeMessage);
  assert.deepEqual({ ...got.content }, { strength: 7 });
  const r = await server.sdk.Message.Private.send({
    senderId: 'alice',
    targetId: 'bob',
    objectName: 'App:Unregistered',
    content: { anything: [1, 2] },
  });
  assert.equal(r.code, 200);
  const unknown = await receivedWith(bob, 'App:Unregistered', () => true, 'unknown type');
  assert.equal(unknown.messageType, 'UnknownMessage');
  assert.ok(unknown.content instanceof bob.L.UnknownMessage);
  assert.deepEqual(unknown.content.message, { content: { anything: [1, 2] }, objectName: 'App:Unregistered' });
});

test('numbers in contents reach the peer as the same doubles (17 digits, exponents, extremes)', async () => {
  for (const u of [alice, bob]) {
    u.L.RongIMClient.registerMessageType('NumMessage', 'App:Num', new u.L.MessageTag(true, true), ['n']);
  }
  const n = {
    sum: 0.1 + 0.2,
    third: 1 / 3,
    tiny: 5e-324,
    small: 1e-7,
    max: 1.7976931348623157e308,
    neg: -1.5e-300,
    big: 2 ** 53 + 2,
    mixed: 123456789.12345679,
    list: [0.1, 2.5e25, -0.000001, 4.35, 1e21],
  };
  const Num = alice.L.RongIMClient.RegisterMessage.NumMessage;
  const [, got] = await exchange(alice, new Num({ n }));
  assert.deepEqual(got.content.n, n);
  for (const [k, v] of Object.entries(n)) {
    if (typeof v === 'number') assert.ok(Object.is(got.content.n[k], v), `${k}: ${got.content.n[k]} vs ${v}`);
  }
  const place = { latitude: 0.30000000000000004, longitude: -122.41941550000001, poi: 'p', content: 'bWFw' };
  const [, where] = await exchange(alice, new node.LocationMessage(place));
  assert.ok(Object.is(where.content.latitude, place.latitude), `${where.content.latitude}`);
  assert.ok(Object.is(where.content.longitude, place.longitude), `${where.content.longitude}`);
});

test('server refusals reach onError with the 2.x codes and the failed message', async () => {
  assert.equal((await server.sdk.User.Blacklist.add({ id: 'bob', blacklist: [{ id: 'alice' }] })).code, 200);
  const [code, failed] = await new Promise((resolve) =>
    alice.im().sendMessage(1, 'bob', node.TextMessage.obtain('blocked'), {
      onSuccess: () => resolve(['unexpected success']),
      onError: (c, m) => resolve([c, m]),
    }),
  );
  assert.equal(code, node.ErrorCode.REJECTED_BY_BLACKLIST);
  assert.equal(failed.sentStatus, node.SentStatus.FAILED);
  assert.equal((await server.sdk.User.Blacklist.remove({ id: 'bob', blacklist: [{ id: 'alice' }] })).code, 200);
  await assert.rejects(
    alice.im().sendMessage(3, 'not-my-group', node.TextMessage.obtain('x')),
    (e) => e.code === node.ErrorCode.NOT_IN_GROUP && e.data.sentStatus === 20,
  );
});

test('a callback that throws does not break the client', async () => {
  const thrown = [];
  const origError = console.error;
  console.error = (...a) => thrown.push(a);
  try {
    await new Promise((resolve) => {
      alice.im().sendMessage(1, 'bob', node.TextMessage.obtain('t1'), {
        onSuccess: () => {
          setTimeout(resolve, 0);
          throw new Error('app bug');
        },
        onError: () => {},
      });
    });
  } finally {
    console.error = origError;
  }
  assert.equal(thrown.length, 1);
  const sent = await alice.im().sendMessage(1, 'bob', node.TextMessage.obtain('t2'));
  await bob.waitFor(() => bob.state.received.find((m) => m.messageUId === sent.messageUId), 't2');
});

test('a second login of the same user kicks the first (status 6)', async () => {
  const second = await makeUser(node, server, 'alice', { token: alice.token });
  assert.equal(await second.connect(), 'alice');
  await alice.waitFor(() => alice.state.statuses.includes(6), 'kicked');
  assert.equal(alice.im().getCurrentConnectionStatus(), 6);
  const sent = await second.im().sendMessage(1, 'bob', node.TextMessage.obtain('from the second login'));
  await bob.waitFor(() => bob.state.received.find((m) => m.messageUId === sent.messageUId), 'after kick');
  second.im().disconnect();
});
