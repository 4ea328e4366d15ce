// Chatroom entries end to end: the built package (Node build, and the mini-program build over a
// fake `wx`) through the real im-server. Two members of one room: an entry one sets reaches the
// other through `s_cmd` and `pullKV`; overwriting needs force (23424 without); removals and the
// auto-delete of a member who quits reach the others; a missing key is 23427; a bad key or value
// is 33003 with nothing sent; the Promise forms. Each test uses its own room and users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';
import { createFakeWx } from './support/fake-wx.mjs';

let node;
let wxLib;
const e = e2e((ctx) => ({ node, wxLib } = ctx));
const { online } = e;

/** A fake `wx` that counts the frames the SDK sends. */
function countingWx() {
  const wx = createFakeWx();
  wx.frames = 0;
  const connect = wx.connectSocket;
  wx.connectSocket = (opts) => {
    const task = connect(opts);
    const send = task.send;
    task.send = (arg) => {
      wx.frames++;
      send(arg);
    };
    return task;
  };
  return wx;
}

/** A 2.x callback object as a promise of `{ok, value}` or `{ok: false, code}`. */
const settle = (call) =>
  new Promise((resolve) =>
    call({
      onSuccess: (value) => resolve({ ok: true, value }),
      onError: (code) => resolve({ ok: false, code }),
    }),
  );

/** What `u` reads for `key` of `room`: the value, or the error code. */
const read = async (u, room, key) => {
  const r = await settle((cb) => u.im().getChatroomEntry(room, key, cb));
  return r.ok ? r.value : r.code;
};

/** Waits (bounded, a hang guard) until `u` reads `want` for `key`. */
async function until(u, room, key, want) {
  let got = await read(u, room, key);
  for (let i = 0; i < 2400 && got !== want; i++) {
    await new Promise((r) => setTimeout(r, 25));
    got = await read(u, room, key);
  }
  assert.equal(got, want, `${u.userId} reads ${key}`);
}

for (const build of ['node', 'wx']) {
  test(`${build}: entries reach the other member; force overwrites; removals and auto-delete reach them`, async () => {
    const room = `kv-room-${build}`;
    const opts = () => (build === 'wx' ? { libOptions: { wx: createFakeWx() } } : {});
    const lib = build === 'wx' ? wxLib : node;
    const a = await online(`kv-a-${build}`, opts(), lib);
    const b = await online(`kv-b-${build}`, opts(), lib);
    await a.im().joinChatRoom(room, -1);
    await b.im().joinChatRoom(room, -1);
    const NOT_EXIST = node.ErrorCode.CHATROOM_KEY_NOT_EXIST;
    assert.equal(NOT_EXIST, 23427);
    assert.equal(await read(b, room, 'topic'), NOT_EXIST);

    // a sets; b sees it through s_cmd → pullKV.
    const set = await settle((cb) => a.im().setChatroomEntry(room, { key: 'topic', value: 'rust' }, cb));
    assert.deepEqual(set, { ok: true, value: undefined });
    assert.equal(await read(a, room, 'topic'), 'rust', 'the setter reads its entry at once');
    await until(b, room, 'topic', 'rust');
    assert.deepEqual((await settle((cb) => b.im().getAllChatroomEntries(room, cb))).value, { topic: 'rust' });

    // b may not overwrite a's entry, unless by force.
    const refused = await settle((cb) => b.im().setChatroomEntry(room, { key: 'topic', value: 'wasm' }, cb));
    assert.deepEqual(refused, { ok: false, code: node.ErrorCode.CHATROOM_KV_OVERWRITE_INVALID });
    assert.equal(refused.code, 23424);
    const forced = await settle((cb) => b.im().forceSetChatroomEntry(room, { key: 'topic', value: 'wasm' }, cb));
    assert.ok(forced.ok);
    await until(a, room, 'topic', 'wasm');

    // A removal with a notification: a receives the RC:chrmKVNotiMsg and loses the entry.
    const removed = await settle((cb) =>
      b.im().removeChatroomEntry(room, { key: 'topic', isSendNotification: true, notificationExtra: 'bye' }, cb),
    );
    assert.ok(removed.ok);
    const note = await a.waitFor(
      () => a.state.received.find((m) => m.objectName === 'RC:chrmKVNotiMsg'),
      'the removal notification at a',
    );
    assert.equal(note.conversationType, 4);
    assert.equal(note.targetId, room);
    assert.equal(note.content.key, 'topic');
    assert.equal(note.content.type, 2);
    assert.equal(note.content.extra, 'bye');
    await until(a, room, 'topic', NOT_EXIST);
    assert.deepEqual((await settle((cb) => a.im().getAllChatroomEntries(room, cb))).value, {});

    // An auto-delete entry goes when its owner quits; the owner's cache goes with the room.
    const seat = await settle((cb) =>
      a.im().setChatroomEntry(room, { key: 'seat', value: 'a', isAutoDelete: true }, cb),
    );
    assert.ok(seat.ok);
    await until(b, room, 'seat', 'a');
    await a.im().quitChatRoom(room);
    assert.deepEqual((await settle((cb) => a.im().getAllChatroomEntries(room, cb))).value, {});
    await until(b, room, 'seat', NOT_EXIST);
  });
}

test('a bad key or value fails with 33003 and sends nothing (mini-program build)', async () => {
  const room = 'kv-room-bad';
  const wx = countingWx();
  const u = await online('kv-bad', { libOptions: { wx } }, wxLib);
  await u.im().joinChatRoom(room, -1);
  const BAD = node.ErrorCode.BIZ_ERROR_INVALID_PARAMETER;
  assert.equal(BAD, 33003);
  const cases = [
    ['setChatroomEntry', { key: '', value: 'v' }],
    ['setChatroomEntry', { key: 'k'.repeat(129), value: 'v' }],
    ['forceSetChatroomEntry', { key: 'has space', value: 'v' }],
    ['setChatroomEntry', { key: 'k' }],
    ['setChatroomEntry', { key: 'k', value: 'v'.repeat(4097) }],
    ['setChatroomEntry', { key: 7, value: 'v' }],
    ['removeChatroomEntry', { key: 'a/b' }],
    ['forceRemoveChatroomEntry', {}],
  ];
  for (const [method, entry] of cases) {
    const before = wx.frames;
    const r = await settle((cb) => u.im()[method](room, entry, cb));
    assert.deepEqual(r, { ok: false, code: BAD }, `${method} ${JSON.stringify(entry)}`);
    assert.equal(wx.frames, before, `${method} ${JSON.stringify(entry)} sent nothing`);
  }
  // The longest key and value are accepted.
  const before = wx.frames;
  const ok = await settle((cb) => u.im().setChatroomEntry(room, { key: 'k'.repeat(128), value: 'v'.repeat(4096) }, cb));
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.ok(wx.frames > before);
});

test('the Promise forms resolve with the values and reject with the codes', async () => {
  const room = 'kv-room-promise';
  const a = await online('kv-p-a');
  const b = await online('kv-p-b');
  await a.im().joinChatRoom(room, -1);
  await b.im().joinChatRoom(room, -1);
  assert.equal(await a.im().setChatroomEntry(room, { key: 'x', value: '1' }), undefined);
  assert.equal(await a.im().getChatroomEntry(room, 'x'), '1');
  await until(b, room, 'x', '1');
  assert.deepEqual(await b.im().getAllChatroomEntries(room), { x: '1' });
  await assert.rejects(b.im().removeChatroomEntry(room, { key: 'x' }), (err) => err.code === 23424);
  await b.im().forceRemoveChatroomEntry(room, { key: 'x' });
  await assert.rejects(b.im().getChatroomEntry(room, 'x'), (err) => err.code === 23427);
  await assert.rejects(a.im().setChatroomEntry(room, { key: '', value: '1' }), (err) => err.code === 33003);
  // The server's refusal reaches the caller: not a member of that room (NOT_IN_CHATROOM).
  const elsewhere = a.im().setChatroomEntry('kv-room-elsewhere', { key: 'x', value: '1' });
  await assert.rejects(elsewhere, (err) => err.code === 23406);
  await until(a, room, 'x', 23427);
});

test('entries survive a kill -9 of the server: a member who joins after the restart reads them', async () => {
  const room = 'kv-room-kill';
  const a = await online('kv-kill-a');
  await a.im().joinChatRoom(room, -1);
  assert.ok((await settle((cb) => a.im().setChatroomEntry(room, { key: 'topic', value: 'kept' }, cb))).ok);
  assert.ok((await settle((cb) => a.im().setChatroomEntry(room, { key: 'seat', value: 'a', isAutoDelete: true }, cb))).ok);
  await e.server.kill();
  await e.server.restart();
  const c = await online('kv-kill-c');
  await c.im().joinChatRoom(room, -1);
  await until(c, room, 'topic', 'kept');
  assert.equal((await settle((cb) => c.im().getAllChatroomEntries(room, cb))).value.topic, 'kept');
});
