// The wasm build of the engine, loaded in Node: its imports come only from wasm-bindgen, and the
// codec inside it decodes real frames and reports malformed ones as JS errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url);
const engine = require(new URL('.build/wasm-node/im_wasm.js', root).pathname);

const hex = (s) => Uint8Array.from(s.split(' ').map((b) => parseInt(b, 16)));

test('the raw wasm module imports nothing but wasm-bindgen glue', () => {
  const bytes = readFileSync(new URL('.build/im_wasm.raw.wasm', root));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  const modules = new Set(imports.map((i) => i.module));
  for (const m of modules) {
    assert.match(m, /^__wbindgen_(placeholder|externref_xform)__$/, `unexpected import module ${m}`);
  }
});

test('a CONNACK decodes inside wasm (vectors.md V22)', () => {
  const text = engine.describeServerFrame(
    hex('20 00 00 00 05 75 73 65 72 31 00 02 73 31 00 00 01 6f 5e 66 e8 00'),
  );
  assert.match(text, /ConnAck/);
  assert.match(text, /user_id: "user1"/);
  assert.match(text, /timestamp: 1577836800000/);
});

test('a client PUBLISH with a CESU-8 emoji target decodes to the real character (V7)', () => {
  const text = engine.describeClientFrame(
    hex('32 00 06 70 70 4d 73 67 50 00 06 ed a0 bd ed b8 80 00 03 aa'),
  );
  assert.match(text, /target_id: "\u{1F600}"/u);
});

test('malformed frames become JS errors with the codec description', () => {
  assert.throws(() => engine.describeServerFrame(hex('20 00 0d')), /CONNACK status 13/);
  assert.throws(() => engine.describeServerFrame(new Uint8Array()), /empty frame/);
  assert.throws(() => engine.describeClientFrame(hex('32 00 06 70 70')), /truncated frame/);
  // A panic would abort the module; it still works afterwards.
  assert.match(engine.describeServerFrame(hex('d0')), /PingResp/);
});
