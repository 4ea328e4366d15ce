// Group read receipts end to end (2.5.3's request/response) through the real im-server: alice
// asks about her message with a ReadReceiptRequestMessage; bob and carol answer with
// sendReceiptResponse, each answer going to alice only; her stored message names its readers in
// `receiptResponse`, and a second sendReceiptResponse sends nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e } from './support/e2e.mjs';

let server;
let node;
const { online } = e2e((ctx) => ({ server, node } = ctx));

const GROUP_TYPE = 3;
const GROUP = 'grp-receipts';

test('alice asks for read receipts in a group; bob and carol answer; her message names them', async () => {
  const [alice, bob, carol] = [await online('rr-alice'), await online('rr-bob'), await online('rr-carol')];
  const created = await server.sdk.Group.create({
    id: GROUP,
    name: 'Receipts',
    members: [{ id: alice.userId }, { id: bob.userId }, { id: carol.userId }],
  });
  assert.equal(created.code, 200);

  const sent = await alice.im().sendMessage(GROUP_TYPE, GROUP, node.TextMessage.obtain('did you read this?'));
  const request = new node.ReadReceiptRequestMessage({ messageUId: sent.messageUId });
  await alice.im().sendMessage(GROUP_TYPE, GROUP, request);
  for (const u of [bob, carol]) {
    const got = await u.waitFor(
      () => u.state.received.find((m) => m.objectName === 'RC:RRReqMsg' && m.content.messageUId === sent.messageUId),
      `the request at ${u.userId}`,
    );
    assert.equal(got.senderUserId, alice.userId);
    assert.equal(got.targetId, GROUP);
  }

  await bob.im().sendReceiptResponse(GROUP_TYPE, GROUP);
  await carol.im().sendReceiptResponse(GROUP_TYPE, GROUP);
  const responses = () => alice.state.received.filter((m) => m.objectName === 'RC:RRRspMsg');
  await alice.waitFor(() => responses().length === 2, 'two responses at alice');
  const readers = responses().map((m) => m.senderUserId).sort();
  assert.deepEqual(readers, [bob.userId, carol.userId]);
  for (const m of responses()) {
    assert.deepEqual(m.content.receiptMessageDic, { [alice.userId]: [sent.messageUId] });
  }

  const stored = await alice.im().getMessage(sent.messageId);
  assert.equal(stored.messageUId, sent.messageUId);
  assert.deepEqual(
    { [sent.messageUId]: [...stored.receiptResponse[sent.messageUId]].sort() },
    { [sent.messageUId]: [bob.userId, carol.userId] },
  );
  const page = await alice.im().getHistoryMessages(GROUP_TYPE, GROUP, 0, 5);
  const inHistory = page.list.find((m) => m.messageUId === sent.messageUId);
  assert.equal(inHistory.receiptResponse[sent.messageUId].length, 2, 'local history shows the readers too');

  // Answered once: a second call sends nothing, and a later message still reaches alice alone.
  await bob.im().sendReceiptResponse(GROUP_TYPE, GROUP);
  const marker = await bob.im().sendMessage(GROUP_TYPE, GROUP, node.TextMessage.obtain('after'));
  await alice.waitFor(() => alice.state.received.some((m) => m.messageUId === marker.messageUId), 'the marker');
  assert.equal(responses().length, 2, 'no second response');
  // The answers were directed: neither reader got the other's.
  for (const u of [bob, carol]) {
    assert.ok(!u.state.received.some((m) => m.objectName === 'RC:RRRspMsg'), `${u.userId} got no response`);
  }
  // Nothing pending: the callback form succeeds at once.
  await new Promise((resolve, reject) =>
    carol.im().sendReceiptResponse(GROUP_TYPE, GROUP, { onSuccess: resolve, onError: (code) => reject(new Error(`code ${code}`)) }),
  );
});
