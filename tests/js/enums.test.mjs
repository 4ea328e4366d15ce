// The façade's enums are built from rows that scripts/gen-tables.mjs generates at build time from
// the engine's own tables (protocolTables()), so comparing them with protocolTables() checks the
// generator and the parsing of its rows (table() in enums.js): each export has exactly the engine's
// names, values and order, maps each value back to the name TypeScript keeps, and is frozen. That
// the names and values are 2.x's is checked against RongIMLib 2.5.3's declarations by
// api-surface.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as enums from '../../js-shim/src/enums.js';

const require = createRequire(import.meta.url);
const engine = require(new URL('../../.build/wasm-node/im_wasm.js', import.meta.url).pathname);
const tables = JSON.parse(engine.protocolTables());

/** The named members of an enum, without its reverse mapping. */
const members = (e) => Object.fromEntries(Object.entries(e).filter(([k]) => !/^-?\d+$/.test(k)));

test('the façade exports exactly the engine\'s enums, each with its names and values in its order', () => {
  assert.deepEqual(Object.keys(enums).sort(), tables.enums.map((e) => e.name).sort());
  assert.equal(tables.enums.length, 22);
  for (const { name, members: engineMembers } of tables.enums) {
    assert.deepEqual(Object.entries(members(enums[name])), engineMembers, name);
  }
  // What the engine has beyond 2.x's JS enums stays out of them.
  assert.equal(enums.ConversationType.RTC_ROOM, undefined);
  assert.equal(enums.ConnectionChannel.HTTPS, enums.ConnectionChannel.WEBSOCKET);
  assert.equal(enums.RealTimeLocationErrorCode.RC_REAL_TIME_LOCATION_NOT_INIT, -1);
  assert.equal(enums.VoIPMediaType.MEDIA_VEDIO, 2);
});

test('ErrorCode has the 125 members of 2.5.3 and the 4 of the connect sample, with the engine values', () => {
  assert.equal(Object.keys(members(enums.ErrorCode)).length, 129);
  assert.equal(enums.ErrorCode.COOKIE_ENABLE, enums.ErrorCode.CLOSE_BEFORE_OPEN);
  assert.equal(enums.ErrorCode.UNKNOWN_ERROR, enums.ErrorCode.UNKNOWN);
  assert.deepEqual(
    [enums.ErrorCode.UNACCEPTABLE_PaROTOCOL_VERSION, enums.ErrorCode.IDENTIFIER_REJECTED, enums.ErrorCode.SERVER_UNAVAILABLE],
    [enums.ConnectionState.UNACCEPTABLE_PROTOCOL_VERSION, enums.ConnectionState.IDENTIFIER_REJECTED, enums.ConnectionState.SERVER_UNAVAILABLE],
  );
});

test('every enum maps each value back to a name, keeping the name TypeScript keeps', () => {
  for (const [name, e] of Object.entries(enums)) {
    const named = members(e);
    for (const [member, value] of Object.entries(named)) {
      assert.equal(named[e[value]], value, `${name}[${value}] names a member of that value`);
      assert.equal(typeof e[value], 'string', `${name}.${member}`);
    }
    const values = new Set(Object.values(named));
    assert.equal(Object.keys(e).length, Object.keys(named).length + values.size, `${name}: one reverse entry per value`);
    // The engine lists the name TypeScript keeps first.
    const engineMembers = tables.enums.find((t) => t.name === name).members;
    for (const value of values) {
      assert.equal(e[value], engineMembers.find(([, v]) => v === value)[0], `${name}[${value}] is the engine's first`);
    }
  }
  assert.equal(enums.ConversationType[1], 'PRIVATE');
  assert.equal(enums.ErrorCode[405], 'REJECTED_BY_BLACKLIST');
  assert.equal(enums.ErrorCode[-3], 'PARAMETER_ERROR');
  // Shared values: the last declared in 2.5.3 wins, as TypeScript emits; the sample's names do not.
  assert.equal(enums.ErrorCode[51001], 'CLOSE_BEFORE_OPEN');
  assert.equal(enums.ErrorCode[61001], 'DELETE_MESSAGE_ID_IS_NULL');
  assert.equal(enums.ErrorCode[-2], 'UNKNOWN');
  assert.equal(enums.ErrorCode[2], 'REJECT');
  assert.equal(enums.ConnectionChannel[0], 'HTTP');
  assert.equal(enums.ConnectionChannel[1], 'HTTPS');
});

test('ReadStatus is its own enum with the ReceivedStatus values', () => {
  assert.notEqual(enums.ReadStatus, enums.ReceivedStatus);
  assert.deepEqual({ ...enums.ReadStatus }, { ...enums.ReceivedStatus });
});

test('enums are frozen', () => {
  for (const e of Object.values(enums)) assert.ok(Object.isFrozen(e));
  assert.throws(() => {
    'use strict';
    enums.ConversationType.PRIVATE = 9;
  }, TypeError);
  assert.throws(() => {
    'use strict';
    enums.ConversationType[1] = 'DIRECT';
  }, TypeError);
});
