// The body of e2e-wss.test.mjs, run by runTrusting (support/tls.mjs) in a Node that trusts the
// server's certificate: alice and bob on the installed package's Node build connect through
// navigation over https and the WebSocket over wss, exchange a message each way and read the
// history (from the server, and local first). Prints what happened as one JSON line; the test asserts on it.
//   node wss-users.mjs '{"host":"127.0.0.1:PORT","tokens":{"alice":"…","bob":"…"}}'
import { consumer } from './consumer.mjs';
import { makeUser } from './clients.mjs';

const { host, tokens } = JSON.parse(process.argv[2]);

/** The package's own Node adapter, recording every URL it is asked for. */
function recording(platforms, urls) {
  const p = platforms.node();
  return {
    ...p,
    httpGet: (url, timeoutMs, done) => {
      urls.push(url);
      return p.httpGet(url, timeoutMs, done);
    },
    openSocket: (url, handlers) => {
      urls.push(url);
      return p.openSocket(url, handlers);
    },
  };
}

const summary = (m) => ({
  uid: m.messageUId,
  sender: m.senderUserId,
  target: m.targetId,
  text: m.content.content,
  sentTime: m.sentTime,
});

async function main() {
  const mod = await (await consumer()).loadNode();
  const lib = mod.default;
  const users = {};
  const urls = {};
  for (const id of ['alice', 'bob']) {
    urls[id] = [];
    users[id] = await makeUser(lib, { host }, id, {
      token: tokens[id],
      libOptions: { platform: recording(mod.platforms, urls[id]) },
      init: { protocol: 'https:' },
    });
  }
  const { alice, bob } = users;
  const connected = [await alice.connect(), await bob.connect()];

  const toBob = await alice.im().sendMessage(1, 'bob', new lib.TextMessage({ content: 'hello bob over wss' }));
  const atBob = await bob.waitFor(
    () => bob.state.received.find((m) => m.messageUId === toBob.messageUId),
    'the message at bob',
  );
  const toAlice = await bob.im().sendMessage(1, 'alice', new lib.TextMessage({ content: 'hi alice over wss' }));
  const atAlice = await alice.waitFor(
    () => alice.state.received.find((m) => m.messageUId === toAlice.messageUId),
    'the reply at alice',
  );
  // From the server over the socket, and as the app's usual call (local store first).
  const remote = await bob.im().getRemoteHistoryMessages(1, 'alice', 0, 20);
  const history = await bob.im().getHistoryMessages(1, 'alice', 0, 20);

  for (const u of [alice, bob]) u.im().disconnect();
  const out = {
    connected,
    statuses: { alice: alice.state.statuses, bob: bob.state.statuses },
    urls,
    sent: [summary(toBob), summary(toAlice)],
    received: [summary(atBob), summary(atAlice)],
    remoteHistory: remote.list.map(summary),
    history: history.list.map(summary),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`, () => process.exit(0));
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`, () => process.exit(1));
});
