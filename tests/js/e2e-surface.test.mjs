// End to end through the real im-server for parts of the 2.5.3 surface: 2.x's own connect
// sample switch on refused connects, CommandMessage data that is an object, and the tags of
// registerMessageTypes flags as the receiver counts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { e2e } from './support/e2e.mjs';
import { APP_KEY } from './support/server.mjs';
import { receivedWith } from './support/clients.mjs';

const ctx = e2e();

/** The `onError` of 2.x's connect sample (RongIMLibDoc-v2.0.js) with `RongIMLib` = L: its switch, returning. */
function sample(L, errorCode) {
  switch (errorCode) {
    case L.ErrorCode.TIMEOUT: return 'timeout';
    case L.ErrorCode.UNKNOWN_ERROR: return 'unknown error';
    case L.ErrorCode.UNACCEPTABLE_PaROTOCOL_VERSION: return 'unacceptable protocol version';
    case L.ErrorCode.IDENTIFIER_REJECTED: return 'app key rejected';
    case L.ErrorCode.SERVER_UNAVAILABLE: return 'server unavailable';
    default: return `other: ${errorCode}`;
  }
}

/** How a connect on `L` ends: `onError`'s code, or 'connected' / 'token incorrect'. */
const connectOutcome = (L, token) =>
  new Promise((resolve) =>
    L.RongIMClient.connect(token, {
      onSuccess: () => resolve('connected'),
      onTokenIncorrect: () => resolve('token incorrect'),
      onError: resolve,
    }),
  );

/**
 * A front for the real server whose navigation and /ping go to it (its navigation names the
 * front as the server, from the Host header) but whose WebSocket answers with a CONNACK refusing
 * with `status()`: im-server itself never refuses with 1, 2 or 3.
 */
async function refusingFront(status) {
  const [realHost, realPort] = ctx.server.host.split(':');
  const front = http.createServer((req, res) => {
    const fwd = http.request({ host: realHost, port: realPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  const wss = new WebSocketServer({ noServer: true });
  front.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => ws.send(Buffer.from([0x20, 0x00, status()]))),
  );
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${front.address().port}`,
    close: () => {
      for (const ws of wss.clients) ws.terminate();
      return new Promise((resolve) => front.close(resolve));
    },
  };
}

test("2.x's connect sample names an unknown failure: the engine could not be loaded", async () => {
  // The mini-program build with a wasm path that is not a package path: WXWebAssembly refuses it.
  const L = ctx.wxLib.createRongIMLib();
  L.RongIMClient.init(APP_KEY, null, { navi: ctx.server.host, protocol: 'http:', wasmPath: 'elsewhere/im.wasm' });
  const code = await connectOutcome(L, await ctx.server.token('sample-unknown'));
  assert.equal(code, L.ErrorCode.UNKNOWN);
  assert.equal(sample(L, code), 'unknown error');
});

test("2.x's connect sample names each CONNACK refusal that connect passes to onError", async () => {
  let status = 0;
  const front = await refusingFront(() => status);
  try {
    const token = await ctx.server.token('sample-refused');
    for (const [refusal, info] of [
      [1, 'unacceptable protocol version'],
      [2, 'app key rejected'],
      [3, 'server unavailable'],
    ]) {
      status = refusal;
      const L = ctx.node.createRongIMLib();
      L.RongIMClient.init(APP_KEY, null, { navi: front.host, protocol: 'http:' });
      const code = await connectOutcome(L, token);
      assert.equal(code, refusal, 'connect passes the raw CONNACK status');
      assert.equal(sample(L, code), info);
      assert.notEqual(L.RongIMClient.getInstance().getCurrentConnectionStatus(), L.ConnectionStatus.CONNECTED);
    }
  } finally {
    await front.close();
  }
  // The token is good: the server itself accepts it.
  const L = ctx.node.createRongIMLib();
  L.RongIMClient.init(APP_KEY, null, { navi: ctx.server.host, protocol: 'http:' });
  assert.equal(await connectOutcome(L, await ctx.server.token('sample-refused')), 'connected');
  L.RongIMClient.getInstance().disconnect();
});

test('CommandMessage data that is an object, or JSON text of one as 2.x declares it, arrives as the object', async () => {
  const alice = await ctx.online('cmd-alice');
  const bob = await ctx.online('cmd-bob');
  const carol = await ctx.online('cmd-carol', {}, ctx.wxLib);
  const data = { action: 'refresh', ids: [1, 2], nested: { on: true, n: 1.5 }, text: '你好' };
  for (const [peer, given] of [
    [bob, data],
    [carol, data],
    [bob, JSON.stringify(data)],
    [carol, JSON.stringify(data)],
  ]) {
    const content = new alice.L.CommandMessage({ name: 'sync', data: given, extra: 'x' });
    const sent = await alice.im().sendMessage(1, peer.userId, content);
    assert.deepEqual(sent.content.data, data, 'the sender keeps the object');
    const got = await receivedWith(peer, 'RC:CmdMsg', (m) => m.messageUId === sent.messageUId, 'the command');
    assert.deepEqual(got.content.data, data, `${peer.userId} gets data as the object`);
    assert.equal(got.content.name, 'sync');
    assert.equal(got.content.extra, 'x');
  }
  // Text that is not JSON stays text; so does a TextMessage's JSON-looking content.
  const plain = await alice.im().sendMessage(1, 'cmd-bob', new alice.L.CommandMessage({ name: 'plain', data: 'just text' }));
  const text = await alice.im().sendMessage(1, 'cmd-bob', alice.L.TextMessage.obtain('{"a":1}'));
  const gotPlain = await receivedWith(bob, 'RC:CmdMsg', (m) => m.messageUId === plain.messageUId, 'the text command');
  const gotText = await receivedWith(bob, 'RC:TxtMsg', (m) => m.messageUId === text.messageUId, 'the text message');
  assert.equal(gotPlain.content.data, 'just text');
  assert.equal(gotText.content.content, '{"a":1}');
});

test('registerMessageTypes flags: 3 is counted as unread, 1 is persisted only (2.5.3 counted both)', async () => {
  const types = {
    PollMessage: { name: 'App:Poll', flag: 1, proto: { question: 1 } },
    VoteMessage: { name: 'App:Vote', flag: 3, proto: { choice: 1 } },
    PingMessage: { name: 'App:Ping', flag: 0, proto: {} },
  };
  const dave = await ctx.online('flags-dave');
  const erin = await ctx.online('flags-erin');
  for (const u of [dave, erin]) u.L.RongIMClient.registerMessageTypes(types);
  const tags = Object.keys(types).map((t) => erin.L.RongIMClient.MessageParams.get(t).tag.getMessageTag());
  assert.deepEqual(tags, [1, 3, 0]);
  const classes = dave.L.RongIMClient.RegisterMessage;
  const sent = [];
  sent.push(await dave.im().sendMessage(1, 'flags-erin', new classes.PollMessage({ question: 'lunch?', other: 1 })));
  sent.push(await dave.im().sendMessage(1, 'flags-erin', new classes.PingMessage({})));
  sent.push(await dave.im().sendMessage(1, 'flags-erin', new classes.VoteMessage({ choice: 'yes' })));
  await erin.waitFor(() => sent.every((s) => erin.state.received.some((m) => m.messageUId === s.messageUId)), 'all three');
  const poll = erin.state.received.find((m) => m.objectName === 'App:Poll');
  assert.equal(poll.messageType, 'PollMessage');
  assert.deepEqual({ ...poll.content }, { question: 'lunch?' });
  assert.equal(await erin.im().getUnreadCount(1, 'flags-dave'), 1, 'only the flag-3 type counts');
});
