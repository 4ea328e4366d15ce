// The rest of the 2.5.3 surface in the installed package, without a server: model classes,
// storage and data providers, 2.x's utilities, the emoji helper and RongIMClient's remaining
// static members.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { consumer } from './support/consumer.mjs';

let lib;
before(async () => {
  lib = (await (await consumer()).loadNode()).default;
});

/** A fresh namespace, initialised unless `init` is false. */
function fresh(init = true, options = { showError: false }) {
  const L = lib.createRongIMLib();
  if (init) L.RongIMClient.init('surface-appkey', null, { navi: '127.0.0.1:9', ...options });
  return L;
}

/** A stand-in XMLHttpRequest that records what is sent and answers `reply`. */
function fakeXhr(reply) {
  const sent = [];
  globalThis.XMLHttpRequest = class {
    constructor() {
      this.headers = {};
      sent.push(this);
    }

    open(method, url) {
      Object.assign(this, { method, url });
    }

    setRequestHeader(k, v) {
      this.headers[k] = v;
    }

    send(body) {
      this.body = body;
      setTimeout(() => {
        Object.assign(this, { readyState: 4, ...reply });
        this.onreadystatechange();
      });
    }
  };
  return sent;
}

test('the model classes set their fields from the constructor arguments, in the 2.x order', () => {
  const L = fresh(false);
  assert.deepEqual({ ...new L.Group('g1', 'Team', 'http://x/g.png') }, { id: 'g1', name: 'Team', portraitUri: 'http://x/g.png' });
  assert.deepEqual({ ...new L.DeleteMessage('UID', 5, 1) }, { msgId: 'UID', msgDataTime: 5, direct: 1 });
  assert.deepEqual({ ...new L.ChannelInfo('c', 'k') }, { Id: 'c', Key: 'k' });
  assert.deepEqual({ ...new L.UserStatus(['web'], true, 1) }, { platform: ['web'], online: true, status: 1 });
  const d = new L.Discussion('ann', 'd1', ['ann', 'bob'], 'Talk', true);
  assert.deepEqual([d.creatorId, d.id, d.memberIdList, d.name, d.isOpen], ['ann', 'd1', ['ann', 'bob'], 'Talk', true]);
  const item = new L.PublicServiceMenuItem('m', 'Menu', 7, [], 'http://x');
  const profile = new L.PublicServiceProfile(7, 'intro', [item], 'PS', 'http://x/p.png', 'ps1', true, false);
  assert.equal(profile.menu[0].sunMenuItems.length, 0);
  assert.equal(profile.publicServiceId, 'ps1');
  assert.deepEqual(Object.keys(new L.CustomServiceSession('u', 'c', 'p')), [
    'uid', 'cid', 'pid', 'isQuited', 'type', 'adminHelloWord', 'adminOfflineWord',
  ]);
  assert.deepEqual({ ...new L.UserInfo('u1', 'Ann') }, { id: 'u1', name: 'Ann', portraitUri: undefined });
  assert.equal(new L.CustomServiceConfig(true, 'Co', 'http://co').companyName, 'Co');
});

test('content classes share the MessageContent bases; 2.x-only classes exist but cannot be sent', async () => {
  const L = fresh();
  assert.ok(L.TextMessage.obtain('hi') instanceof L.MessageContent);
  assert.ok(new L.InformationNotificationMessage({ message: 'm' }) instanceof L.NotificationMessage);
  assert.ok(!(L.TextMessage.obtain('hi') instanceof L.NotificationMessage));
  assert.ok(new L.IsTypingStatusMessage('x') instanceof L.StatusMessage);
  assert.equal(new L.IsTypingStatusMessage('x').messageName, 'IsTypingStatusMessage');
  assert.equal(new L.IsTypingStatusMessage('x').getMessage(), null);
  assert.equal(new L.CustomerStatusMessage({ status: 2, other: 1 }).encode(), '{"status":2}');
  assert.equal(L.CustomerStatusMessage.obtain(), null);
  assert.equal(L.JrmfReadPacketMessage, L.JrmfRedPacketMessage);
  assert.equal(L.JrmfReadPacketOpenedMessage, L.JrmfRedPacketOpenedMessage);
  assert.equal(L.ContactNotificationMessage.CONTACT_OPERATION_REQUEST, 'ContactOperationRequest');
  assert.equal(L.ContactNotificationMessage.CONTACT_OPERATION_ACCEPT_RESPONSE, 'ContactOperationAcceptResponse');
  assert.equal(L.ContactNotificationMessage.CONTACT_OPERATION_REJECT_RESPONSE, 'ContactOperationRejectResponse');
  const im = L.RongIMClient.getInstance();
  await assert.rejects(im.sendMessage(1, 'bob', new L.IsTypingStatusMessage('x')), (e) => e.code === L.ErrorCode.PARAMETER_ERROR);
  await assert.rejects(im.sendMessage(1, 'bob', new L.CustomerStatusMessage({ status: 1 })), (e) => e.code === -3);
});

test('ModelUtil clones a content without messageName and encode, and makes unregistered classes', () => {
  const L = fresh(false);
  assert.deepEqual(L.ModelUtil.modelClone(L.TextMessage.obtain('hi')), { content: 'hi', extra: '' });
  const Poll = L.ModelUtil.modleCreate(['question'], 'PollMessage');
  const poll = new Poll({ question: 'q', other: 1 });
  assert.equal(poll.messageName, 'PollMessage');
  assert.equal(poll.encode(), '{"question":"q"}');
  assert.equal(L.RongIMClient.MessageParams.get('PollMessage'), undefined);
});

test('RongUtil: checks, formatting, iteration, renaming and MD5', () => {
  const U = fresh(false).RongUtil;
  assert.deepEqual([{}, [], '', 0, null, undefined].map(U.isEmpty), [true, true, true, true, true, true]);
  assert.deepEqual([{ a: 1 }, [1], 'x', 2].map(U.isEmpty), [false, false, false, false]);
  assert.deepEqual([U.isObject({}), U.isObject([]), U.isArray([]), U.isFunction(() => {}), U.isFunction({})], [true, false, true, true, false]);
  assert.equal(U.stringFormat('{0}://{1}/{0}', ['wss', 'host']), 'wss://host/wss');
  const seen = [];
  U.forEach({ a: 1, b: 2 }, (v, k) => seen.push(`${k}${v}`));
  U.forEach(['x', 'y'], (v, i) => seen.push(`${i}${v}`));
  assert.deepEqual(seen, ['a1', 'b2', '0x', '1y']);
  assert.deepEqual(U.extend({ a: 1, b: 2 }, { a: 0 }), { a: 0, b: 2 });
  assert.deepEqual(U.extend({ a: 1 }, { a: 0 }, null, true), { a: 1 });
  const origin = { n: 'martin', a: 18 };
  assert.deepEqual(U.rename(origin, { n: 'name' }), { name: 'martin', a: 18 });
  assert.deepEqual(origin, { n: 'martin', a: 18 }, 'the original is untouched');
  assert.deepEqual(U.rename([{ n: 'm' }, { a: 1 }], { n: 'name', a: 'age' }), [{ name: 'm' }, { age: 1 }]);
  assert.equal(U.some([1, 2, 3], (x) => x > 2), true);
  assert.equal(U.some([1, 2], (x) => x > 2), false);
  assert.equal(U.formatProtoclPath({ path: 'http://nav.example.com/x/y', protocol: 'https://', sub: true }), 'https://nav.example.com');
  assert.equal(U.formatProtoclPath({ path: 'nav.example.com/navi.json', protocol: 'http://' }), 'http://nav.example.com/navi.json');
  assert.equal(U.supportLocalStorage(), false, 'Node has no localStorage');
  assert.equal(U.createXHR(), null, 'Node has no XMLHttpRequest');
  for (const text of ['', 'The quick brown fox jumps over the lazy dog', '你好 😀', 'x'.repeat(200)]) {
    assert.equal(U.MD5(text), createHash('md5').update(text).digest('hex'));
    assert.equal(U.MD5(text, 'key'), createHmac('md5', 'key').update(text).digest('hex'));
    assert.equal(U.MD5(text, 'k'.repeat(100), true), createHmac('md5', 'k'.repeat(100)).update(text).digest('latin1'));
  }
  assert.equal(U.noop(), undefined);
});

test('RongUtil.request and RongAjax go over XMLHttpRequest, and report a failure where there is none', async () => {
  const L = fresh(false);
  const failed = await new Promise((resolve) => L.RongUtil.request({ url: 'http://x/a', error: (status, text) => resolve([status, text]) }));
  assert.deepEqual(failed, [0, '']);
  assert.deepEqual(await new Promise((resolve) => new L.RongAjax({ url: 'http://x/up', base64: 'AA==' }).send((...a) => resolve(a))), []);
  try {
    let sent = fakeXhr({ status: 200, responseText: 'pong' });
    assert.equal(await new Promise((resolve) => L.RongUtil.request({ url: 'http://x/ping', success: resolve })), 'pong');
    assert.deepEqual([sent[0].method, sent[0].url, sent[0].body], ['GET', 'http://x/ping', null]);
    sent = fakeXhr({ status: 200, responseText: "{'hash':'h1','key':'k1'}" });
    const reply = await new Promise((resolve) => new L.RongAjax({ url: 'http://up/putb64/-1', token: 'T', base64: 'AA==' }).send(resolve));
    assert.deepEqual(reply, { hash: 'h1', key: 'k1' }, "2.x's single-quoted replies parse too");
    assert.deepEqual([sent[0].method, sent[0].body, sent[0].headers.Authorization], ['POST', 'AA==', 'UpToken T']);
    assert.equal(sent[0].headers['Content-type'], 'application/octet-stream');
    sent = fakeXhr({ status: 200, responseText: '' });
    const form = { url: 'http://push/reg', type: 1, appKey: 'a', deviceId: 'd', timestamp: 1, deviceInfo: 'i', privateInfo: { p: 1 } };
    assert.deepEqual(await new Promise((resolve) => new L.RongAjax(form).send((...a) => resolve(a))), []);
    assert.equal(sent[0].body, 'appKey=a&deviceId=d&timestamp=1&deviceInfo=i&privateInfo={"p":1}');
    assert.match(sent[0].headers['Content-type'], /^application\/x-www-form-urlencoded/);
  } finally {
    delete globalThis.XMLHttpRequest;
  }
});

test('RongObserver, LimitableMap, ConversationMap and PublicServiceMap', () => {
  const L = fresh(false);
  const observer = new L.RongObserver();
  const got = [];
  observer.watch({ key: ['u1', 'u2'], func: (e) => got.push(['a', e]) });
  observer.watch({ key: 'u1', func: (e) => got.push(['b', e]), multiple: true });
  observer.notify({ key: 'u1', entity: 1 });
  observer.notify({ key: 'u2', entity: 2 });
  assert.deepEqual(got, [['a', 1], ['b', 1], ['a', 2]]);
  observer.remove();
  observer.notify({ key: 'u1', entity: 3 });
  assert.equal(got.length, 3);

  const map = new L.LimitableMap(2);
  map.set('a', 1);
  map.set('b', 2);
  map.set('a', 3);
  map.set('c', 4);
  assert.deepEqual([map.get('a'), map.get('b'), map.get('c'), map.keys], [0, 2, 4, ['b', 'c']]);
  map.remove('b');
  assert.deepEqual([map.get('b'), map.keys, new L.LimitableMap().limit], [0, ['c'], 10]);

  const list = new L.ConversationMap();
  const a = { conversationType: 1, targetId: 'a' };
  const b = { conversationType: 1, targetId: 'b' };
  list.add(a);
  list.add(b);
  list.add({ conversationType: 1, targetId: 'a', other: true });
  assert.deepEqual(list.conversationList, [a, b], 'a listed one moves to the front as it is');
  assert.equal(list.get(1, 'b'), b);
  assert.equal(list.get(3, 'b'), null);
  const b2 = { conversationType: 1, targetId: 'b', title: 't' };
  list.replace(b2);
  assert.deepEqual(list.conversationList, [a, b2], 'replaced in place');
  list.remove(a);
  assert.deepEqual(list.conversationList, [b2]);

  const ps = new L.PublicServiceMap();
  const p = new L.PublicServiceProfile(7, 'i', [], 'n', '', 'ps1');
  ps.add(p);
  assert.equal(ps.get(7, 'ps1'), p);
  ps.remove(7, 'ps1');
  assert.deepEqual(ps.publicServiceList, []);
});

test('CheckParam reports argument types that do not fit through RongIMClient.logger', () => {
  const L = fresh();
  const shown = [];
  L.RongIMClient.showError = (info) => shown.push(info);
  L.RongIMClient.init('surface-appkey', null, { navi: '127.0.0.1:9' });
  const check = L.CheckParam.getInstance();
  assert.equal(L.CheckParam.getInstance(), check);
  assert.equal(check.check(['string', 'object|null|undefined'], 'connect', true, ['token', null]), true);
  assert.equal(check.check(['string', 'object'], 'connect', true, [5, {}]), false);
  assert.deepEqual(shown, [{ code: '-3', msg: 'argument 1 is not string', funcName: 'connect' }]);
  assert.deepEqual(['a', 1, [], null, undefined, () => {}].map((v) => check.getType(v)), ['string', 'number', 'array', 'null', 'undefined', 'function']);
  assert.equal(check.checkCookieDisable(), true, 'Node has no cookies');
});

test('FeatureDectector runs its callback (there is nothing to load); FeaturePatcher adds Array.forEach', async () => {
  const L = fresh(false);
  await new Promise((resolve) => new L.FeatureDectector(resolve));
  const patcher = new L.FeaturePatcher();
  const had = Array.forEach;
  delete Array.forEach;
  try {
    patcher.patchAll();
    const seen = [];
    Array.forEach(['a', 'b'], (v, i) => seen.push(v + i));
    assert.deepEqual(seen, ['a0', 'b1']);
  } finally {
    if (had) Array.forEach = had;
    else delete Array.forEach;
  }
});

test('RongIMEmoji converts emoji, [name] symbols and HTML', () => {
  const E = fresh(false).RongIMEmoji;
  assert.ok(E.list.length >= 30);
  const first = E.list[0];
  assert.deepEqual(Object.keys(first), ['unicode', 'emoji', 'symbol']);
  assert.equal(first.unicode, `u${first.emoji.codePointAt(0).toString(16).toUpperCase()}`);
  assert.equal(E.emojis.length, E.list.length);
  const thumbs = E.list.find((e) => e.emoji === '👍');
  assert.equal(E.emojiToSymbol('good 👍!'), `good ${thumbs.symbol}!`);
  assert.equal(E.symbolToEmoji(`good ${thumbs.symbol}! [no such]`), 'good 👍! [no such]');
  assert.match(E.symbolToHTML(`a${thumbs.symbol}b`), /^a<span [^>]*>👍<\/span>b$/);
  assert.equal(E.emojiToHTML('no emoji 🦕'), 'no emoji 🦕');
  assert.equal(E.emojiToSymbol(5), 5);
  E.init({ dataSource: { u1F600: { en: 'grinning', zh: '笑', tag: '😀' }, 'u1F1E8-1F1F3': { en: 'cn', tag: '🇨🇳' } } });
  try {
    assert.deepEqual(E.list.map((e) => e.unicode), ['u1F600', 'u1F1E8-1F1F3']);
    assert.equal(E.emojiToSymbol('😀🇨🇳👍'), '[笑][cn]👍');
    assert.equal(E.symbolToEmoji('[cn][笑]'), '🇨🇳😀');
  } finally {
    E.init();
  }
});

test('storage providers are 2.x StorageProviders and, given to init, keep the SDK state', async () => {
  const L = fresh(false);
  const memory = new L.MemeoryProvider();
  memory.setItem('k', 1);
  memory.setItem('rong_x', 'y');
  assert.deepEqual(memory._memeoryStore, { rong_k: '1', rong_x: 'y' });
  assert.equal(memory.getItem('k'), '1');
  assert.equal(memory.getItemKey('x'), 'rong_x');
  assert.equal(memory.getItem('missing'), null);
  assert.equal(memory.onOutOfQuota(), 'rong_k1rong_xy'.length);
  memory.set('other_app', 'z');
  memory.clearItem();
  assert.deepEqual(memory.keys(), ['other_app'], 'clearItem removes only the rong_ keys');
  for (const P of [L.LocalStorageProvider, L.UserDataProvider]) {
    const p = new P();
    p.setItem('a', 'b');
    assert.equal(p.getItem('a'), 'b');
    assert.equal(p.prefix, 'rong_');
  }

  // The SDK's state goes to the provider, and a new client on the same provider reads it back.
  const store = new L.MemeoryProvider();
  const first = fresh(true, { storage: store, showError: false });
  assert.equal(first.RongIMClient._storageProvider, store);
  first.RongIMClient.getInstance().saveTextMessageDraft(1, 'bob', 'kept');
  const second = fresh(true, { storage: store, showError: false });
  assert.equal(second.RongIMClient.getInstance().getTextMessageDraft(1, 'bob'), 'kept');

  // An app's own 2.x provider (getItem/setItem/removeItem only) takes the writes.
  const own = new Map();
  const provider = { getItem: (k) => own.get(k), setItem: (k, v) => own.set(k, v), removeItem: (k) => own.delete(k) };
  fresh(true, { storage: provider, showError: false }).RongIMClient.getInstance().saveTextMessageDraft(1, 'bob', 'mine');
  assert.ok([...own.values()].some((v) => String(v).includes('mine')));
});

test('static members: init callback, initApp, logger, LogFactory, logCallback, providers', async () => {
  const L = fresh(false);
  const C = L.RongIMClient;
  assert.equal(C.Protobuf, null);
  assert.equal(C.isNotPullMsg, false);
  assert.ok(C.userStatusObserver instanceof L.RongObserver);
  assert.equal(C.LogFactory[405].msg, 'REJECTED_BY_BLACKLIST');
  assert.equal(C.LogFactory[-3].code, '-3');

  await new Promise((resolve) => C.init('surface-appkey', null, { navi: '127.0.0.1:9' }, resolve));
  assert.equal(C._memoryStore.appKey, 'surface-appkey');
  assert.equal(C._memoryStore.sdkInfo.version, '2.5.3');
  assert.ok(C._dataAccessProvider instanceof L.ServerDataProvider);

  const [error, instance] = await new Promise((resolve) => C.initApp({ appkey: 'surface-appkey' }, (...a) => resolve(a)));
  assert.equal(error, null);
  assert.equal(instance, C.getInstance());
  assert.equal(await C.initApp({ appkey: 'surface-appkey' }), C.getInstance());
  assert.deepEqual(await new Promise((resolve) => L.createRongIMLib().RongIMClient.initApp({}, (...a) => resolve(a))), [L.ErrorCode.PARAMETER_ERROR, null]);
  await assert.rejects(L.createRongIMLib().RongIMClient.initApp(null), (e) => e.code === -3);

  const shown = [];
  C.showError = (info) => shown.push(info);
  assert.deepEqual(C.logger({ code: 405, funcName: 'sendMessage' }), { code: '405', msg: 'REJECTED_BY_BLACKLIST', funcName: 'sendMessage' });
  assert.deepEqual(C.logger({ code: 777, funcName: 'f', msg: 'own' }), { code: 777, funcName: 'f', msg: 'own' });
  assert.equal(shown.length, 2);
  const calls = [];
  const cb = C.logCallback({ onSuccess: (v) => calls.push(['ok', v]), onError: (...a) => calls.push(['err', ...a]) }, 'getBlacklist');
  cb.onSuccess(1);
  cb.onError(30002, 'ignored');
  const send = C.logSendCallback({ onSuccess() {}, onError: (...a) => calls.push(['send', ...a]), onBefore: (id) => calls.push(['before', id]) }, 'sendMessage');
  send.onBefore(7);
  send.onError(405, { messageId: 7 });
  await new Promise((resolve) => setTimeout(resolve));
  assert.deepEqual(calls, [['ok', 1], ['err', 30002], ['before', 7], ['send', 405, { messageId: 7 }]]);
  assert.deepEqual(shown.slice(2).map((i) => [i.code, i.funcName]), [['30002', 'getBlacklist'], ['405', 'sendMessage']]);

  // init's showError: false keeps logger quiet.
  const quiet = fresh(true, { showError: false });
  let printed = 0;
  quiet.RongIMClient.showError = () => printed++;
  quiet.RongIMClient.logger({ code: -1 });
  assert.equal(printed, 0);
});

test('registerMessageTypes: flag is isCounted·2 + isPersisted (default 3), on the class and the instance', () => {
  const L = fresh();
  const C = L.RongIMClient;
  const classes = C.registerMessageTypes({
    AMessage: { name: 'App:A', flag: 0, proto: { x: 1 } },
    BMessage: { name: 'App:B', flag: 1, proto: { x: 1 } },
    CMessage: { name: 'App:C', flag: 2, proto: { x: 1 } },
    DMessage: { name: 'App:D', proto: { x: 1, y: 2 } },
  });
  const tags = ['A', 'B', 'C', 'D'].map((t) => C.MessageParams.get(`${t}Message`).tag);
  assert.deepEqual(tags.map((t) => [t.isCounted, t.isPersited]), [[false, false], [false, true], [true, false], [true, true]]);
  assert.equal(new classes.DMessage({ x: 1, y: 2, z: 3 }).encode(), '{"x":1,"y":2}');
  assert.equal(C.RegisterMessage.AMessage, classes.AMessage);
  assert.equal(C.MessageType.BMessage, 'BMessage');
  C.getInstance().registerMessageTypes({ EMessage: { name: 'App:E', flag: 2 } });
  assert.equal(C.MessageParams.get('EMessage').tag.getMessageTag(), 2);
  assert.throws(() => C.registerMessageTypes({ Bad: { name: 'App:Bad', flag: 4 } }), TypeError);
  assert.throws(() => C.registerMessageTypes({ Bad: { flag: 3 } }), TypeError, 'an objectName is needed');
});

test('ServerDataProvider has the client instance methods; its connect reaches the static one', async () => {
  const L = fresh();
  const provider = new L.ServerDataProvider();
  assert.equal(typeof provider.getConversationList, 'function');
  assert.equal(provider.getDelaTime(), L.RongIMClient.getInstance().getDeltaTime());
  const code = await new Promise((resolve) => provider.connect('', { onSuccess() {}, onTokenIncorrect() {}, onError: resolve }));
  assert.equal(code, L.ErrorCode.PARAMETER_ERROR);
  assert.equal(provider.init('surface-appkey'), L.RongIMClient.getInstance());
  assert.equal(L.RongIMClient._dataAccessProvider, provider);
  const vc = new L.VCDataProvider({ addon: true });
  assert.deepEqual(vc.addon, { addon: true });
  assert.ok(vc instanceof L.ServerDataProvider);
});
