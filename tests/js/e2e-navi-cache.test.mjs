// The navigation cache of the built package end to end: a first connect stores the navigation
// under 2.x's keys, `rc_uid` being hex characters 8–15 of the token's MD5 (which the façade
// computes and hands the engine); a new client on the same storage (a page reload) with the same
// token then connects from the stored servers without asking navigation, and with another token
// it asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { makeUser, mapStorage } from './support/clients.mjs';
import { e2e } from './support/e2e.mjs';

let server;
let node;
const ctx = e2e((c) => ({ server, node } = c));

/** `promise`, or a rejection after `ms`. */
const within = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))]);

// Navigation at a port where nothing listens: only stored servers can get a client connected.
const NOWHERE = '127.0.0.1:1';

test('a reload with the same token connects from the stored navigation, keyed by rc_uid', async () => {
  const storage = mapStorage();
  const first = await ctx.online('nc-user', { init: { storage } });
  const rcUid = [...storage.map].find(([k]) => k.endsWith('_rc_uid'));
  assert.ok(rcUid, `rc_uid is stored: ${[...storage.map.keys()]}`);
  assert.equal(rcUid[1], createHash('md5').update(first.token).digest('hex').slice(8, 16));
  first.im().disconnect();

  const again = await makeUser(node, server, 'nc-user', { token: first.token, init: { storage, navi: NOWHERE } });
  ctx.users.push(again);
  assert.equal(await within(again.connect(), 15000, 'connect from the stored navigation'), 'nc-user');
  again.im().disconnect();

  // Another token of the same user is not served the stored navigation: it asks (and fails here).
  const other = await makeUser(node, server, 'nc-user', {
    token: await server.token('nc-user'),
    init: { storage, navi: NOWHERE, maxNaviRetry: 0, naviTimeout: 2000, autoReconnect: false },
  });
  ctx.users.push(other);
  assert.notEqual(other.token, first.token);
  await assert.rejects(within(other.connect(), 15000, 'connect with another token'));
});
