// npm run bench: throughput figures, printed, never asserted.
//  1. decode and dispatch of 10,000 incoming s_msg frames (built with the wasm codec) through the
//     wasm engine alone, and through the whole façade up to onReceived;
//  2. sending through the façade to the real im-server and back as PUBACKs.
import { createRequire } from 'node:module';
import { consumer } from '../js/support/consumer.mjs';
import { startServer, APP_KEY } from '../js/support/server.mjs';

const FRAMES = 10000;
const SENDS = 2000;
const WINDOW = 64;

const c = await consumer();
const mod = await c.loadNode();
const wasm = mod.wasmBindings();
// The frames are built with the diagnostics build of the same codec (`encodeSMsgFrame` is not in
// the package).
const diagnostics = createRequire(import.meta.url)(
  new URL('../../.build/wasm-node/im_wasm.js', import.meta.url).pathname,
);
// The server's per-connection rate limit would measure itself; lift it for the send figure.
const server = await startServer({ rate_per_sec: 1000000, rate_burst: 1000000 });
const rate = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-US');

/** A Node platform that records HTTP answers and incoming frames, and exposes the socket. */
function recordingPlatform() {
  const base = mod.platforms.node();
  const rec = { http: [], frames: [], onMessage: null };
  return {
    rec,
    platform: {
      ...base,
      httpGet: (url, timeout, done) =>
        base.httpGet(url, timeout, (r) => {
          rec.http.push({ url, ...r });
          done(r);
        }),
      openSocket: (url, handlers) => {
        rec.onMessage = handlers.onMessage;
        return base.openSocket(url, {
          ...handlers,
          onMessage: (bytes) => {
            rec.frames.push(bytes.slice());
            handlers.onMessage(bytes);
          },
        });
      },
    },
  };
}

function frames(toUserId, start, senders = 1) {
  return Array.from({ length: FRAMES }, (_, i) =>
    diagnostics.encodeSMsgFrame(JSON.stringify({
      msgId: (i % 65535) + 1,
      toUserId,
      fromUserId: senders > 1 ? `bench-sender-${i % senders}` : 'bench-sender',
      conversationType: 1,
      objectName: 'RC:TxtMsg',
      content: JSON.stringify({ content: `message ${i}`, extra: '' }),
      dataTime: start + i,
      messageUId: `BENCH-${start}-${i}`,
    })),
  );
}

try {
  const token = await server.token('bench-rx');
  const { platform, rec } = recordingPlatform();
  const L = mod.createRongIMLib({ platform });
  L.RongIMClient.init(APP_KEY, null, { navi: server.host, protocol: 'http:' });
  let received = 0;
  let doneAt = null;
  let resolveAll;
  const all = new Promise((r) => (resolveAll = r));
  L.RongIMClient.setOnReceiveMessageListener({
    onReceived: () => {
      if (++received === FRAMES) {
        doneAt = performance.now();
        resolveAll();
      }
    },
  });
  await L.RongIMClient.connect(token);
  await new Promise((r) => setTimeout(r, 300)); // let the first pull finish
  const recorded = rec.frames.slice();

  // 1a. The engine alone, brought to the same connected state by replaying the recorded session.
  const engine = new wasm.Engine({ appKey: APP_KEY, naviHosts: [server.host], secure: false, seed: 1, ...(process.env.BENCH_STORE === "0" ? { storeBudget: 0 } : {}) });
  let now = Date.now();
  let events = 0;
  const drain = () => {
    for (;;) {
      const o = engine.pollOutput();
      if (o.type === 'timeout') return;
      if (o.type === 'event' && o.event.type === 'messageReceived') events++;
      if (o.type === 'httpGet') {
        const path = new URL(o.url).pathname;
        const answer = rec.http.find((h) => new URL(h.url).pathname === path);
        engine.handleHttpResponse(now, o.id, answer.status, answer.body);
      }
      if (o.type === 'openSocket') {
        engine.handleSocketOpen(now);
        for (const f of recorded) {
          engine.handleSocketData(now, f);
          drain();
        }
      }
    }
  };
  engine.connect(now, token);
  drain();
  if (engine.status() !== 0) throw new Error(`replayed engine not connected (status ${engine.status()})`);
  const batch1 = frames('bench-rx', now + 60000);
  let t0 = performance.now();
  for (const f of batch1) {
    engine.handleSocketData(now, f);
    drain();
  }
  const engineMs = performance.now() - t0;
  if (events !== FRAMES) throw new Error(`engine delivered ${events} of ${FRAMES}`);

  // 1c. Ingest across 1,000 conversations, then the conversation list and the total unread count.
  const memBefore = mod.wasmMemoryBytes();
  const batch3 = frames('bench-rx', now + 90000, 1000);
  events = 0;
  t0 = performance.now();
  for (const f of batch3) {
    engine.handleSocketData(now, f);
    drain();
  }
  const ingestMs = performance.now() - t0;
  t0 = performance.now();
  const list = (engine.conversationList([]), JSON.parse(engine.text()));
  const listMs = performance.now() - t0;
  t0 = performance.now();
  const unread = (engine.totalUnreadCount([]), JSON.parse(engine.text()));
  const unreadMs = performance.now() - t0;
  const memAfter = mod.wasmMemoryBytes();
  engine.free();

  // 1b. The façade: frames enter where the socket delivers them; counted at onReceived.
  const batch2 = frames('bench-rx', Date.now() + 120000);
  t0 = performance.now();
  for (const f of batch2) rec.onMessage(f);
  await all;
  const facadeMs = doneAt - t0;
  L.RongIMClient.getInstance().disconnect();

  // 2. Sending to the real server, WINDOW messages in flight.
  const S = mod.createRongIMLib();
  S.RongIMClient.init(APP_KEY, null, { navi: server.host, protocol: 'http:' });
  await S.RongIMClient.connect(await server.token('bench-tx'));
  const im = S.RongIMClient.getInstance();
  let next = 0;
  let ok = 0;
  const failures = new Map();
  t0 = performance.now();
  const worker = async () => {
    while (next < SENDS) {
      const i = next++;
      try {
        await im.sendMessage(1, 'bench-rx', S.TextMessage.obtain(`send ${i}`));
        ok++;
      } catch (e) {
        failures.set(e.code, (failures.get(e.code) || 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  const sendMs = performance.now() - t0;
  im.disconnect();

  console.log(`decode+dispatch, wasm engine only : ${FRAMES} s_msg in ${engineMs.toFixed(0)} ms = ${rate(FRAMES, engineMs)} messages/s`);
  console.log(`decode+dispatch, through the façade: ${FRAMES} s_msg in ${facadeMs.toFixed(0)} ms = ${rate(FRAMES, facadeMs)} messages/s`);
  console.log(`ingest across 1,000 conversations: ${events} messages in ${ingestMs.toFixed(0)} ms = ${rate(events, ingestMs)} messages/s; ` +
    `conversationList (${list.length}) ${listMs.toFixed(1)} ms; totalUnreadCount (${unread}) ${unreadMs.toFixed(2)} ms; ` +
    `wasm memory ${(memBefore / 1048576).toFixed(1)} → ${(memAfter / 1048576).toFixed(1)} MiB`);
  console.log(`send to im-server (${WINDOW} in flight): ${ok} acknowledged in ${sendMs.toFixed(0)} ms = ${rate(ok, sendMs)} messages/s` +
    (failures.size ? `; failures by code: ${JSON.stringify(Object.fromEntries(failures))}` : ''));
} finally {
  await server.stop();
}
