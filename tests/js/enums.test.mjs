// The façade's static enums (usable before the engine loads) agree with the engine's tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as enums from '../../js-shim/src/enums.js';

const require = createRequire(import.meta.url);
const engine = require(new URL('../../.build/wasm-node/im_wasm.js', import.meta.url).pathname);
const tables = JSON.parse(engine.protocolTables());

test('every JS enum member has the value the engine uses', () => {
  const checked = Object.keys(tables).filter((k) => k !== 'builtinTypes' && k !== 'ErrorCode');
  assert.ok(checked.length >= 12);
  for (const name of checked) {
    const js = enums[name];
    assert.ok(js, `enum ${name} is exported`);
    for (const [member, value] of Object.entries(js)) {
      if (name === 'ConnectionChannel' && (member === 'HTTP' || member === 'HTTPS')) continue;
      assert.equal(tables[name][member], value, `${name}.${member}`);
    }
    for (const [member, value] of Object.entries(tables[name])) {
      if (name === 'ConversationType' && member === 'RTC_ROOM') continue; // not in the 2.x JS enum
      assert.equal(js[member], value, `${name}.${member} missing in JS`);
    }
  }
});

test('ErrorCode has all 125 members of 2.5.3 with the engine values', () => {
  assert.equal(Object.keys(enums.ErrorCode).length, 125);
  assert.deepEqual({ ...enums.ErrorCode }, tables.ErrorCode);
  assert.equal(enums.ErrorCode.COOKIE_ENABLE, enums.ErrorCode.CLOSE_BEFORE_OPEN);
});

test('enums are frozen', () => {
  assert.ok(Object.isFrozen(enums.ConversationType));
  assert.throws(() => {
    'use strict';
    enums.ConversationType.PRIVATE = 9;
  }, TypeError);
});
