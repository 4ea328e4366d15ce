// The façade's static enums (usable before the engine loads) agree with the engine's tables, and
// map values back to names as TypeScript enums do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as enums from '../../js-shim/src/enums.js';

const require = createRequire(import.meta.url);
const engine = require(new URL('../../.build/wasm-node/im_wasm.js', import.meta.url).pathname);
const tables = JSON.parse(engine.protocolTables());

/** The named members of an enum, without its reverse mapping. */
const members = (e) => Object.fromEntries(Object.entries(e).filter(([k]) => !/^-?\d+$/.test(k)));

test('every JS enum member has the value the engine uses', () => {
  const checked = Object.keys(tables).filter((k) => k !== 'builtinTypes' && k !== 'ErrorCode');
  assert.ok(checked.length >= 12);
  for (const name of checked) {
    const js = enums[name];
    assert.ok(js, `enum ${name} is exported`);
    for (const [member, value] of Object.entries(members(js))) {
      if (name === 'ConnectionChannel' && (member === 'HTTP' || member === 'HTTPS')) continue;
      assert.equal(tables[name][member], value, `${name}.${member}`);
    }
    for (const [member, value] of Object.entries(tables[name])) {
      if (name === 'ConversationType' && member === 'RTC_ROOM') continue; // not in the 2.x JS enum
      assert.equal(js[member], value, `${name}.${member} missing in JS`);
    }
  }
});

test('ErrorCode has the 125 members of 2.5.3 and the 4 of the connect sample, with the engine values', () => {
  assert.equal(Object.keys(members(enums.ErrorCode)).length, 129);
  assert.deepEqual(members(enums.ErrorCode), tables.ErrorCode);
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
