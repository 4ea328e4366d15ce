// The method rows of js-shim/src/rows.js (commands.js defines the methods of conversations.js,
// queries.js, local.js, presence.js and services.js from them) name their engine command and argument forms in
// strings, which nothing else checks before a call: a misspelt command would fail every call with
// −3 like a refused argument. So: each row's command is a method of the engine binding, its method
// a 2.5.3 instance method of RongIMClient, and its argument letters ones commands.js knows, with
// one callback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tables from '../../js-shim/src/rows.js';

const require = createRequire(import.meta.url);
const engine = require(new URL('../../.build/wasm-node/im_wasm.js', import.meta.url).pathname);
const api = JSON.parse(readFileSync(new URL('./fixtures/rongimlib-2.5.3-api.json', import.meta.url), 'utf8'));

/** The rows of every `*_REQUESTS` (requestMethods) and `*_ANSWERS` (answerMethods) string. */
const rowsOf = () =>
  Object.entries(tables)
    .filter(([name]) => /_(REQUESTS|ANSWERS)$/.test(name))
    .flatMap(([name, rows]) =>
      rows.split('|').map((row) => ({ kind: name.endsWith('_REQUESTS') ? 'requestMethods' : 'answerMethods', row })),
    );

test('every method row names an engine command, a 2.5.3 method and known argument letters', () => {
  const rows = rowsOf();
  assert.ok(rows.length >= 30, `rows found: ${rows.length}`);
  const methods = new Set(api.classes.RongIMClient.methods);
  for (const { kind, row } of rows) {
    const [name, command, letters, result, ...rest] = row.split(' ');
    assert.deepEqual(rest, [], `${row}: at most four fields`);
    const engineName = command === '=' ? name : command;
    assert.equal(typeof engine.EngineCore.prototype[engineName], 'function', `${row}: the engine has ${engineName}`);
    assert.ok(methods.has(name), `${row}: ${name} is a 2.5.3 instance method`);
    assert.match(letters, /^[snobluicj_0-9]+$/, `${row}: argument letters`);
    assert.equal(letters.split('c').length, 2, `${row}: one callback`);
    if (kind === 'answerMethods') assert.ok(result === undefined || !result.startsWith(':'), `${row}: answers map values, not replies`);
  }
  assert.equal(new Set(rows.map((r) => r.row.split(' ')[0])).size, rows.length, 'each method once');
});
