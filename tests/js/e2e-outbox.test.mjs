// The outbox (`init(appKey, null, {outbox: true})`) end to end: the built package through a
// fault-injecting TCP proxy that keeps dropping the connections, in front of the real im-server,
// which is also SIGKILLed between committing a message and its PUBACK reaching the sender.
// Every send is acknowledged exactly once and delivered exactly once, in order, none lost; the
// queue survives a reload; with the option off a send while disconnected fails as in 2.x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeUser, mapStorage } from './support/clients.mjs';
import { e2e } from './support/e2e.mjs';
import { startProxy } from './support/proxy.mjs';

let server;
let node;
const { online, users } = e2e((ctx) => ({ server, node } = ctx));

const PRIVATE = 1;
const text = (s) => node.TextMessage.obtain(s);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A seeded PRNG (mulberry32): the same faults in the same order on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Re-checks `u`'s waiters (callbacks are not among the changes clients.mjs records). */
function poke(u) {
  for (const w of [...u.state.watchers]) w();
}

/** Sends with callbacks from `u` to `to`, recording every callback of every send, in order. */
function sender(u, to) {
  const sends = [];
  return {
    sends,
    send(t) {
      const s = { text: t, calls: [], before: null };
      sends.push(s);
      u.im().sendMessage(PRIVATE, to, text(t), {
        onBefore: (id) => {
          s.before = id;
        },
        onSuccess: (m) => {
          s.calls.push({ ok: true, message: m });
          poke(u);
        },
        onError: (code, m) => {
          s.calls.push({ ok: false, code, message: m });
          poke(u);
        },
      });
      return s;
    },
    settled: () => sends.every((s) => s.calls.length > 0),
  };
}

/** The texts `bob` received from `from`, in order of receipt. */
const textsFrom = (bob, from) =>
  bob.state.received.filter((m) => m.senderUserId === from && m.objectName === 'RC:TxtMsg');

/** Asserts `s` got exactly one callback, a success, and that `bob` got its message once. */
function assertOnceEach(senders, bob) {
  for (const [from, x] of senders) {
    const got = textsFrom(bob, from);
    assert.deepEqual(
      got.map((m) => m.content.content),
      x.sends.map((s) => s.text),
      `${from}: every message once, in order`,
    );
    for (const [i, s] of x.sends.entries()) {
      assert.equal(s.calls.length, 1, `${s.text}: one callback`);
      assert.ok(s.calls[0].ok, `${s.text}: ${JSON.stringify(s.calls[0])}`);
      assert.equal(s.calls[0].message.messageUId, got[i].messageUId, `${s.text}: the delivered message`);
    }
  }
}

test('through dropped connections and a server killed between commit and PUBACK, every send is acknowledged and delivered exactly once, in order', async (t) => {
  const proxy = await startProxy(server.host);
  try {
    const bob = await online('ob-bob');
    const init = { navi: proxy.host, outbox: true };
    const alice = await online('ob-alice', { init });
    const carol = await online('ob-carol', { init });
    const a = sender(alice, bob.userId);
    const c = sender(carol, bob.userId);
    const rand = prng(14);

    // Every 50–250 ms the proxy drops every connection through it.
    let chaos = true;
    const faults = (async () => {
      while (chaos) {
        await sleep(50 + rand() * 200);
        if (chaos) proxy.reset();
      }
    })();
    const N = 40;
    for (let i = 0; i < N; i++) {
      a.send(`a${i}`);
      c.send(`c${i}`);
      await sleep(10 + rand() * 30);
    }
    chaos = false;
    await faults;
    await alice.waitFor(a.settled, 'alice: every send answered', 60000);
    await carol.waitFor(c.settled, 'carol: every send answered', 60000);
    assert.ok(proxy.resets > 0, 'the proxy did drop connections');
    t.diagnostic(`${proxy.resets} connections dropped`);

    // The server commits alice's next message (bob gets it) but its PUBACK is lost on the way
    // back, and the server is killed before anything else: alice's outbox resends it to the
    // restarted server, which answers with the first PUBACK and delivers nothing again.
    await alice.waitFor(() => alice.state.statuses.at(-1) === 0, 'alice connected');
    const marks = [alice, bob].map((u) => u.state.statuses.length);
    proxy.hold();
    const killed = a.send('a-kill');
    const delivered = await bob.waitFor(() => textsFrom(bob, alice.userId).find((m) => m.content.content === 'a-kill'), 'a-kill at bob');
    await server.kill();
    assert.equal(killed.calls.length, 0, 'no PUBACK reached alice');
    proxy.release();
    proxy.reset();
    await server.restart();
    await Promise.all([alice, bob].map((u, i) => u.connectedAgain(marks[i])));
    await alice.waitFor(() => killed.calls.length > 0, 'a-kill answered');
    assert.equal(killed.calls[0].message.messageUId, delivered.messageUId, 'the PUBACK of the first send');
    assert.equal(killed.calls[0].message.sentTime, delivered.sentTime);

    // After a last message from each, bob has everything: nothing lost, nothing twice.
    a.send('a-last');
    c.send('c-last');
    await alice.waitFor(a.settled, 'a-last answered');
    await carol.waitFor(c.settled, 'c-last answered');
    await bob.waitFor(
      () => ['a-last', 'c-last'].every((t) => bob.texts().includes(t)),
      'the last messages at bob',
    );
    assertOnceEach([[alice.userId, a], [carol.userId, c]], bob);
    const uids = bob.state.received.map((m) => m.messageUId);
    assert.equal(new Set(uids).size, uids.length, 'no message twice at bob');
  } finally {
    await proxy.close();
  }
});

test('sends queued while disconnected survive a reload, go once connected, and show SENT', async () => {
  const bob = await online('ob-rl-bob');
  const storage = mapStorage();
  const me = await online('ob-rl-me', { init: { outbox: true, storage } });
  me.im().disconnect();
  const x = sender(me, bob.userId);
  x.send('queued 1');
  x.send('queued 2');
  await sleep(50);
  assert.ok(x.sends.every((s) => s.calls.length === 0), 'they wait instead of failing');
  for (const s of x.sends) {
    assert.match(String(s.before), /^\d+$/, 'onBefore came with a local id');
    assert.equal((await me.im().getMessage(s.before)).sentStatus, node.SentStatus.SENDING);
  }

  // The page reloads: the first client is gone (its engine disposed, as `init` with another
  // app key does), and a new one starts on the same storage. Once `connect` names the user
  // (from the stored navigation), before any socket, its sends read as SENDING.
  me.L.RongIMClient.init('gone', null, { storage: mapStorage() });
  const again = await makeUser(node, server, me.userId, { token: me.token, init: { outbox: true, storage } });
  users.push(again);
  const connecting = again.connect();
  const waiting = x.sends.map((s) => again.im().getMessage(s.before));
  for (const m of await Promise.all(waiting)) assert.equal(m.sentStatus, node.SentStatus.SENDING, 'still waiting');
  assert.equal(await connecting, me.userId);
  await bob.waitFor(() => textsFrom(bob, me.userId).length >= 2, 'both at bob');
  assert.deepEqual(textsFrom(bob, me.userId).map((m) => m.content.content), ['queued 1', 'queued 2']);
  // No callbacks any more; the store shows them SENT with their messageUId.
  const uids = textsFrom(bob, me.userId).map((m) => m.messageUId);
  for (const [i, s] of x.sends.entries()) {
    let m;
    for (let tries = 0; tries < 200; tries++) {
      m = await again.im().getMessage(s.before);
      if (m.sentStatus === node.SentStatus.SENT) break;
      await sleep(20);
    }
    assert.equal(m.sentStatus, node.SentStatus.SENT);
    assert.equal(m.messageUId, uids[i]);
  }
  const conversation = await again.im().getConversation(PRIVATE, bob.userId);
  assert.equal(conversation.latestMessage.messageUId, uids[1]);
  assert.equal(conversation.sentStatus, node.SentStatus.SENT);
});

test('a send that waits longer than outboxExpiryMs fails with -1 and reads as FAILED', async () => {
  const u = await online('ob-expiry', { init: { outbox: true, outboxExpiryMs: 200 } });
  u.im().disconnect();
  const s = sender(u, 'ob-bob').send('too late');
  await u.waitFor(() => s.calls.length > 0, 'the expiry');
  assert.equal(s.calls.length, 1);
  assert.equal(s.calls[0].ok, false);
  assert.equal(s.calls[0].code, node.ErrorCode.TIMEOUT);
  assert.equal(s.calls[0].message.sentStatus, node.SentStatus.FAILED);
  assert.equal((await u.im().getMessage(s.before)).sentStatus, node.SentStatus.FAILED);
});

test('without the outbox, a send while disconnected fails with 30002 as in 2.x', async () => {
  const u = await online('ob-plain');
  u.im().disconnect();
  const x = sender(u, 'ob-bob');
  const s = x.send('no');
  await u.waitFor(() => s.calls.length > 0, 'the error');
  assert.equal(s.calls.length, 1);
  assert.equal(s.calls[0].ok, false);
  assert.equal(s.calls[0].code, node.ErrorCode.RC_NET_UNAVAILABLE);
});
