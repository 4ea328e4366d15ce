// npm run bench, part 2: the connect-time pull of a user who was offline. The real im-server
// stores 10,000 messages from 1,000 senders (published through the Server API with the official
// server SDK); then the user connects through the Node build of the package, and the figures are
// the time from connect() to the last onReceived (navigation, probe, CONNACK and every pullMsg
// batch decoded and ingested by the wasm engine), getConversationList (which also asks the
// server, qryRelation), getTotalUnreadCount, and the wasm linear memory. Printed, never asserted.
import { consumer } from '../js/support/consumer.mjs';
import { startServer, APP_KEY } from '../js/support/server.mjs';

const MESSAGES = Number(process.env.IM_BENCH_OFFLINE || 10000);
const SENDERS = Number(process.env.IM_BENCH_SENDERS || 1000);
const PUBLISHERS = 16;

const c = await consumer();
const mod = await c.loadNode();
const server = await startServer();
try {
  const rx = 'offline-rx';
  const token = await server.token(rx);

  // Store the messages while the user is offline.
  let next = 0;
  let t0 = performance.now();
  const publisher = async () => {
    while (next < MESSAGES) {
      const i = next++;
      const r = await server.sdk.Message.Private.send({
        senderId: `offline-tx-${i % SENDERS}`,
        targetId: rx,
        objectName: 'RC:TxtMsg',
        content: { content: `offline ${i}` },
      });
      if (r.code !== 200) throw new Error(`publish ${i}: ${JSON.stringify(r)}`);
    }
  };
  await Promise.all(Array.from({ length: PUBLISHERS }, publisher));
  const publishMs = performance.now() - t0;

  const L = mod.createRongIMLib();
  L.RongIMClient.init(APP_KEY, null, { navi: server.host, protocol: 'http:' });
  L.RongIMClient.setConnectionStatusListener({ onChanged: () => {} });
  let received = 0;
  let doneAt = 0;
  let allReceived;
  const all = new Promise((resolve) => (allReceived = resolve));
  L.RongIMClient.setOnReceiveMessageListener({
    onReceived: () => {
      received++;
      if (received === MESSAGES) {
        doneAt = performance.now();
        allReceived();
      }
    },
  });
  const memBefore = mod.wasmMemoryBytes();
  t0 = performance.now();
  await L.RongIMClient.connect(token);
  const connectedMs = performance.now() - t0;
  const guard = setTimeout(() => {
    console.error(`offline ingest: only ${received} of ${MESSAGES} messages arrived`);
    process.exit(1);
  }, 120000);
  await all;
  clearTimeout(guard);
  const ingestMs = doneAt - t0;
  const im = L.RongIMClient.getInstance();
  t0 = performance.now();
  const list = await im.getConversationList(null, [1]);
  const listMs = performance.now() - t0;
  t0 = performance.now();
  const unread = await im.getTotalUnreadCount();
  const unreadMs = performance.now() - t0;
  const memAfter = mod.wasmMemoryBytes();
  im.disconnect();

  const rate = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-US');
  console.log(`offline store: ${MESSAGES} messages from ${SENDERS} senders published through the Server API in ${publishMs.toFixed(0)} ms = ${rate(MESSAGES, publishMs)} messages/s`);
  console.log(`connect-time pull: CONNACK after ${connectedMs.toFixed(0)} ms; all ${received} messages received ${ingestMs.toFixed(0)} ms after connect() = ${rate(received, ingestMs)} messages/s`);
  console.log(`then getConversationList (${list.length} conversations, with qryRelation) ${listMs.toFixed(1)} ms; ` +
    `getTotalUnreadCount (${unread}) ${unreadMs.toFixed(2)} ms; wasm memory ${(memBefore / 1048576).toFixed(1)} → ${(memAfter / 1048576).toFixed(1)} MiB`);
} finally {
  await server.stop();
}
