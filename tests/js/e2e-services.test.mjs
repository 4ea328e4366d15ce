// Customer service and public services end to end: the built package (Node build, and the
// mini-program build over a fake `wx`) through the real im-server, set up with our Server API
// (protocol-additions.md §11, §12). A customer meets the robot's greeting, switches to a human
// agent, and they write both ways (the agent sees the customer as a CUSTOMER_SERVICE
// conversation, the customer sees the service); evaluations are recorded; stop ends the session.
// Public-service accounts are searched, followed, listed, send to their followers and are
// unfollowed; accounts and follows survive a kill -9. Bad input gets its code and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { e2e } from './support/e2e.mjs';
import { APP_KEY, APP_SECRET } from './support/server.mjs';

let node;
let wxLib;
let server;
const e = e2e((ctx) => ({ node, wxLib, server } = ctx));
const { online } = e;

/** A signed Server API call: `fields` as `[key, value]` pairs; `{status, body}`. */
async function api(path, fields) {
  const nonce = String(Math.random()).slice(2);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHash('sha1').update(APP_SECRET + nonce + timestamp).digest('hex');
  const r = await fetch(`http://${server.host}/${path}.json`, {
    method: 'POST',
    headers: {
      'App-Key': APP_KEY,
      Nonce: nonce,
      Timestamp: timestamp,
      Signature: signature,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: r.status, body: await r.json() };
}

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

const got = (u, objectName, pred = () => true) =>
  u.waitFor(() => u.state.received.find((m) => m.objectName === objectName && pred(m)), `${u.userId}: ${objectName}`);

test('a customer meets the robot, switches to a human agent, they write both ways, evaluate, stop', async () => {
  const kf = 'kf-desk';
  let r = await api('customerservice/set', [
    ['customerServiceId', kf],
    ['mode', '3'],
    ['greeting', 'Hello, I am the robot'],
    ['agentId', 'cs-agent'],
  ]);
  assert.equal(r.body.code, 200, JSON.stringify(r.body));
  const agent = await online('cs-agent');
  const customer = await online('cs-customer');
  const L = customer.L;

  // Before a session: the commands that need one answer 33001 and send nothing.
  await assert.rejects(customer.im().switchToHumanMode(kf), (err) => err.code === 33001);

  const started = callback();
  customer.im().startCustomService(kf, started.cb, { userInfo: { name: 'Martin' } });
  assert.deepEqual(await started.settled, { ok: true, value: undefined });
  const hs = await got(customer, 'RC:CsHsR');
  assert.equal(hs.conversationType, L.ConversationType.CUSTOMER_SERVICE);
  assert.equal(hs.targetId, kf);
  assert.equal(hs.content.data.serviceType, L.CustomerType.ROBOT_FIRST);
  assert.equal(hs.content.data.uid, 'cs-customer');
  assert.ok(hs.content.data.sid);
  const greeting = await got(customer, 'RC:TxtMsg', (m) => m.targetId === kf);
  assert.equal(greeting.content.content, 'Hello, I am the robot');
  assert.equal(greeting.senderUserId, kf);

  assert.equal(await customer.im().switchToHumanMode(kf), undefined);
  const changed = await got(customer, 'RC:CsChaR');
  assert.equal(changed.content.code, 0);
  await got(customer, 'RC:CsUpdate', (m) => m.content.serviceStatus === 2);

  // The customer writes: the agent gets it in a CUSTOMER_SERVICE conversation with the customer.
  const question = new L.TextMessage({ content: 'where is my parcel?' });
  await customer.im().sendMessage(L.ConversationType.CUSTOMER_SERVICE, kf, question);
  const asked = await got(agent, 'RC:TxtMsg', (m) => m.content.content === 'where is my parcel?');
  assert.equal(asked.conversationType, L.ConversationType.CUSTOMER_SERVICE);
  assert.equal(asked.targetId, 'cs-customer');
  assert.equal(asked.senderUserId, 'cs-customer');

  // The agent answers with methodType 1 (pcuMsgP): the customer gets it from the service.
  const answer = new agent.L.TextMessage({ content: 'on its way' });
  const sent = callback();
  agent.im().sendMessage(5, 'cs-customer', answer, sent.cb, false, null, null, 1);
  const s = await sent.settled;
  assert.equal(s.ok, true);
  assert.equal(s.value.targetId, 'cs-customer');
  const replied = await got(customer, 'RC:TxtMsg', (m) => m.content.content === 'on its way');
  assert.equal(replied.targetId, kf);
  assert.equal(replied.senderUserId, kf);
  assert.equal(replied.conversationType, 5);

  // Evaluations: recorded with their values (2.5.3 dropped them).
  const ev = callback();
  customer.im().evaluateHumanCustomService(kf, 5, 'quick and kind', ev.cb);
  assert.deepEqual(await ev.settled, { ok: true, value: undefined });
  assert.equal(await customer.im().evaluateRebotCustomService(kf, true, 'fine'), undefined);
  await assert.rejects(customer.im().evaluateHumanCustomService(kf, 9, ''), (err) => err.code === -3);
  r = await api('customerservice/evaluation/query', [['customerServiceId', kf]]);
  assert.equal(r.body.code, 200);
  assert.deepEqual(
    r.body.evaluations.map((x) => [x.userId, x.type, x.source, x.isresolve, x.suggest]),
    [
      ['cs-customer', 0, null, true, 'fine'],
      ['cs-customer', 1, 5, null, 'quick and kind'],
    ],
  );
  assert.equal(r.body.evaluations[0].sid, hs.content.data.sid);

  // Stop: the session ends, the agent is told, and the agent's replies no longer reach the
  // service's customer as the service.
  const stopped = callback();
  customer.im().stopCustomeService(kf, stopped.cb);
  assert.deepEqual(await stopped.settled, { ok: true, value: undefined });
  const end = await got(agent, 'RC:CsEnd');
  assert.equal(end.targetId, 'cs-customer');
  assert.equal(end.content.sid, hs.content.data.sid);
  // The customer's old session is gone on the server: a second stop is refused.
  await assert.rejects(customer.im().stopCustomeService(kf), (err) => err.code === 33003);
});

test('a human-first service assigns the agent at once; a robot-only one keeps the robot', async () => {
  await api('customerservice/set', [['customerServiceId', 'kf-human'], ['mode', '4'], ['agentId', 'cs-agent2']]);
  await api('customerservice/set', [['customerServiceId', 'kf-robot'], ['mode', '1'], ['greeting', 'robot here']]);
  // The mini-program build over the fake `wx`.
  const customer = await online('cs-customer2', {}, wxLib);
  await customer.im().startCustomService('kf-human');
  // 2.5.3 asks for a human itself when notAutoCha is "1".
  const hs = await got(customer, 'RC:CsHsR', (m) => m.targetId === 'kf-human');
  assert.equal(hs.content.data.notAutoCha, '1');
  const changed = await got(customer, 'RC:CsChaR', (m) => m.targetId === 'kf-human');
  assert.equal(changed.content.code, 0);

  await customer.im().startCustomService('kf-robot');
  await got(customer, 'RC:TxtMsg', (m) => m.targetId === 'kf-robot' && m.content.content === 'robot here');
  await customer.im().switchToHumanMode('kf-robot');
  const robot = await got(customer, 'RC:CsChaR', (m) => m.targetId === 'kf-robot');
  assert.equal(robot.content.code, 1);
});

test('customer-service bad input: Server API and client arguments', async () => {
  for (const fields of [
    [['customerServiceId', 'kf-bad'], ['mode', '5']],
    [['customerServiceId', ''], ['mode', '1']],
    [['customerServiceId', 'kf-bad'], ['mode', '1'], ['agentId', 'x'.repeat(65)]],
  ]) {
    const r = await api('customerservice/set', fields);
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 1002);
  }
  const many = Array.from({ length: 101 }, (_, i) => ['agentId', `a${i}`]);
  const r = await api('customerservice/set', [['customerServiceId', 'kf-bad'], ['mode', '1'], ...many]);
  assert.equal(r.body.code, 1502);
  assert.equal((await api('customerservice/delete', [['customerServiceId', 'kf-bad']])).body.code, 1002);
  const u = await online('cs-args');
  await assert.rejects(u.im().startCustomService(''), (err) => err.code === -3);
  await assert.rejects(u.im().startCustomService(7), (err) => err.code === -3);
  await assert.rejects(u.im().evaluateHumanCustomService('kf-desk', 1, 5), (err) => err.code === -3);
});

test('public services: created, searched, followed, listed, sending to followers, unfollowed; they survive kill -9', async () => {
  let r = await api('publicservice/create', [
    ['id', 'ps-news'],
    ['type', 'mp'],
    ['name', 'Daily News'],
    ['portraitUri', 'http://x/news.png'],
    ['introduction', 'news every day'],
    ['menu', '[{"id":"m1","name":"Today","type":1,"sunMenuItems":[],"url":"http://x"}]'],
  ]);
  assert.equal(r.body.code, 200, JSON.stringify(r.body));
  assert.equal(r.body.publicService.type, 'mp');
  r = await api('publicservice/create', [['id', 'ps-app'], ['type', 'mc'], ['name', 'App Desk']]);
  assert.equal(r.body.code, 200);

  const reader = await online('ps-reader');
  const L = reader.L;
  const im = reader.im();
  // An mc is followed from the start; an mp once subscribed.
  let list = await im.getRemotePublicServiceList();
  assert.deepEqual(
    list.map((p) => [p.publicServiceId, p.conversationType, p.hasFollowed]),
    [['ps-app', L.ConversationType.APP_PUBLIC_SERVICE, true]],
  );

  const found = callback();
  im.searchPublicService(L.SearchType.FUZZY, 'news', found.cb);
  const f = await found.settled;
  assert.equal(f.ok, true);
  assert.deepEqual(
    f.value.map((p) => [p.publicServiceId, p.name, p.hasFollowed, p.introduction]),
    [['ps-news', 'Daily News', false, 'news every day']],
  );
  assert.equal(f.value[0].menu[0].name, 'Today');
  assert.deepEqual(await im.searchPublicServiceByType(L.ConversationType.APP_PUBLIC_SERVICE, L.SearchType.EXACT, 'news'), []);
  assert.equal((await im.searchPublicServiceByType(L.ConversationType.PUBLIC_SERVICE, L.SearchType.EXACT, 'ps-news')).length, 1);

  const sub = callback();
  im.subscribePublicService(L.ConversationType.PUBLIC_SERVICE, 'ps-news', sub.cb);
  assert.deepEqual(await sub.settled, { ok: true, value: undefined });
  list = await im.getPublicServiceList();
  assert.deepEqual(list.map((p) => p.publicServiceId), ['ps-app', 'ps-news']);
  const profile = await im.getPublicServiceProfile(L.ConversationType.PUBLIC_SERVICE, 'ps-news');
  assert.equal(profile.name, 'Daily News');
  assert.equal(profile.portraitUri, 'http://x/news.png');
  assert.equal(await im.getPublicServiceProfile(L.ConversationType.PUBLIC_SERVICE, 'ps-none'), null);

  // A message from each account reaches its followers, in types 8 and 7.
  for (const [id, type] of [['ps-news', 8], ['ps-app', 7]]) {
    r = await api('publicservice/message/publish', [
      ['fromUserId', id],
      ['objectName', 'RC:TxtMsg'],
      ['content', JSON.stringify({ content: `from ${id}` })],
    ]);
    assert.equal(r.body.code, 200, JSON.stringify(r.body));
    const m = await got(reader, 'RC:TxtMsg', (x) => x.content.content === `from ${id}`);
    assert.equal(m.conversationType, type);
    assert.equal(m.targetId, id);
  }

  // Unsubscribing removes the profile; the account's next message does not come (a later one
  // of the account still followed does).
  assert.equal(await im.unsubscribePublicService(L.ConversationType.APP_PUBLIC_SERVICE, 'ps-app'), undefined);
  assert.equal(await im.getPublicServiceProfile(L.ConversationType.APP_PUBLIC_SERVICE, 'ps-app'), null);
  for (const [id, text] of [['ps-app', 'not for you'], ['ps-news', 'still for you']]) {
    r = await api('publicservice/message/publish', [
      ['fromUserId', id],
      ['objectName', 'RC:TxtMsg'],
      ['content', JSON.stringify({ content: text })],
    ]);
    assert.equal(r.body.code, 200);
  }
  await got(reader, 'RC:TxtMsg', (x) => x.content.content === 'still for you');
  assert.ok(!reader.texts().includes('not for you'));

  // Kill -9 and restart: accounts and follows are still there.
  const from = reader.state.statuses.length;
  await server.kill();
  await server.restart();
  await reader.connectedAgain(from);
  list = await im.getRemotePublicServiceList();
  assert.deepEqual(list.map((p) => p.publicServiceId), ['ps-news']);
  r = await api('publicservice/get', [['id', 'ps-app']]);
  assert.equal(r.body.publicService.name, 'App Desk');
});

test('public-service bad input changes nothing', async () => {
  for (const fields of [
    [['id', 'ps-x'], ['type', 'zz'], ['name', 'X']],
    [['id', 'ps-x'], ['type', 'mp']],
    [['id', 'ps-x'], ['type', 'mp'], ['name', 'X'], ['menu', '{"not":"an array"}']],
    [['id', 'ps-x'], ['type', 'mp'], ['name', 'x'.repeat(129)]],
  ]) {
    const r = await api('publicservice/create', fields);
    assert.equal(r.body.code, 1002, JSON.stringify(fields));
  }
  assert.equal((await api('publicservice/get', [['id', 'ps-x']])).body.code, 1002);
  assert.equal((await api('publicservice/update', [['id', 'ps-x'], ['name', 'Y']])).body.code, 1002);
  await api('publicservice/create', [['id', 'ps-y'], ['type', 'mp'], ['name', 'Y']]);
  assert.equal((await api('publicservice/update', [['id', 'ps-y'], ['type', 'mc']])).body.code, 1002);
  assert.equal((await api('publicservice/create', [['id', 'ps-y'], ['type', 'mp'], ['name', 'Z']])).body.code, 1002);
  assert.equal((await api('publicservice/get', [['id', 'ps-y']])).body.publicService.name, 'Y');

  const u = await online('ps-args', {}, wxLib);
  const im = u.im();
  // The wrong kind of account, or none: 33003 from the server; nothing is followed.
  await assert.rejects(im.subscribePublicService(7, 'ps-y'), (err) => err.code === 33003);
  await assert.rejects(im.subscribePublicService(8, 'ps-none'), (err) => err.code === 33003);
  assert.deepEqual(
    (await im.getRemotePublicServiceList()).map((p) => p.publicServiceId).filter((id) => id === 'ps-y'),
    [],
  );
  // Arguments the engine refuses: −3, nothing sent.
  await assert.rejects(im.subscribePublicService(1, 'ps-y'), (err) => err.code === -3);
  await assert.rejects(im.searchPublicService(2, 'x'), (err) => err.code === -3);
  await assert.rejects(im.searchPublicService(0, ''), (err) => err.code === -3);
  await assert.rejects(im.getPublicServiceProfile(3, 'ps-y'), (err) => err.code === -3);
  assert.equal((await api('publicservice/delete', [['id', 'ps-y']])).body.code, 200);
  assert.equal((await api('publicservice/delete', [['id', 'ps-y']])).body.code, 1002);
});
