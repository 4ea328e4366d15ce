// The package's wasm glue: its `EngineCore` methods come from a signature table read off the
// wasm-bindgen output (scripts/slim-glue.mjs, js-shim/src/engine.js) instead of the generated
// wrappers. Every generated method has one; each passes its arguments and returns its value as the
// generated wrapper does (the same calls on an engine behind each answer alike); and the build
// refuses a glue whose wrappers it cannot express.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGlue } from '../../scripts/slim-glue.mjs';
import { consumer } from './support/consumer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = (file) => readFileSync(join(root, '.build', 'wasm-web', file));
const glue = built('im_wasm.js').toString();
const dts = built('im_wasm_bg.wasm.d.ts').toString();

let generated;
let packaged;
before(async () => {
  // The generated glue as it is, on its own instance of the same module.
  generated = await import(`data:text/javascript;base64,${Buffer.from(glue).toString('base64')}`);
  generated.initSync({ module: built('im_wasm_bg.wasm') });
  packaged = (await (await consumer()).loadNode()).wasmBindings();
});

test('every method of the generated EngineCore is a method of the package', () => {
  const declared = built('im_wasm.d.ts').toString();
  const body = declared.slice(declared.indexOf('export class EngineCore {'), declared.indexOf('\n}\n'));
  const names = [...body.matchAll(/^ {4}(\w+)\(/gm)].map((m) => m[1]).filter((n) => n !== 'constructor');
  assert.ok(names.length > 50, `methods: ${names.length}`);
  const missing = names.filter((n) => typeof packaged.EngineCore.prototype[n] !== 'function');
  assert.deepEqual(missing, []);
  assert.equal(typeof packaged.Engine.prototype.pollOutput, 'function');
  assert.equal(packaged.engineVersion(), generated.engineVersion());
});

// Values of each argument kind, hostile ones included (as the façade may pass them on), and the
// one each argument has while another varies.
const VALUES = {
  N: [0, 1, 2, 5, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 40, 1e3, true, false, '3', undefined, null],
  n: [undefined, null, 0, 1, 2, 1.5, NaN, -Infinity, 2 ** 53, 7],
  S: ['bob', '', 'é中😀', '{"content":"x"}', '["a","b"]', 'RC:TxtMsg', 'x'.repeat(300)],
  s: [undefined, null, 'bob', '', 'é中😀', '{"content":"hi"}', '["bob"]', 'RC:TxtMsg'],
  F: [[], [1, 2], [1.5, NaN], new Float64Array([3])],
  f: [undefined, null, [], [1, 2], [1.5, NaN, -5, Infinity], new Float64Array([3])],
  B: [new Uint8Array([1, 2, 3]), new Uint8Array(0), [0xff, 0, 1], new Uint8Array([0x32, 0, 4, 0, 1])],
  b: [undefined, null, new Uint8Array([1, 2, 3]), []],
};
const BASE = { N: 1, n: undefined, S: 'bob', s: 'bob', F: [1], f: [1], B: new Uint8Array(0), b: undefined };

/** Drains the engine's outputs, with the frame of each `sendBytes`. */
function drain(engine) {
  const outs = [];
  for (let i = 0; i < 100; i++) {
    const out = engine.pollOutput();
    outs.push(out);
    if (JSON.parse(out).type === 'sendBytes') outs.push([...engine.bytes()]);
    if (JSON.parse(out).type === 'timeout') break;
  }
  return outs;
}

/** What a call did: its value or error, everything the engine put out after it, and its state. */
function observe(engine, name, args) {
  const seen = [];
  try {
    const value = engine[name](...args);
    seen.push(value instanceof Uint8Array ? ['bytes', [...value]] : ['value', value]);
  } catch (err) {
    seen.push(['threw', err.constructor.name, err.message]);
  }
  seen.push(...drain(engine));
  seen.push(engine.text(), engine.navi(), engine.status(), engine.userId(), engine.connectAckTime());
  return seen;
}

/** protocol/vectors.md V22: CONNACK, status 0, userId "user1". */
const CONNACK = Uint8Array.from([
  0x20, 0, 0, 0, 5, 0x75, 0x73, 0x65, 0x72, 0x31, 0, 2, 0x73, 0x31, 0, 0, 1, 0x6f, 0x5e, 0x66, 0xe8, 0,
]);

/** An engine of this glue connected as user1 through scripted navigation, ping and CONNACK. */
function connected(bindings) {
  const e = new bindings.EngineCore();
  assert.equal(e.configure(JSON.stringify({ appKey: 'k', naviHosts: ['127.0.0.1:1'], secure: false, seed: 7 })), '');
  e.connect(10, 'tok');
  drain(e);
  e.handleHttpResponse(20, 1, 200, 'getServerEndpoint({"code":200,"server":"127.0.0.1:2","backupServer":"","userId":"user1"});');
  drain(e);
  e.handleHttpResponse(25, 2, 200, '');
  drain(e);
  e.handleSocketOpen(30);
  drain(e);
  e.handleSocketData(40, CONNACK);
  drain(e);
  assert.equal(e.status(), 0, 'connected');
  return e;
}

test('each method passes its arguments and returns its value as the generated wrapper does', () => {
  const { methods } = readGlue(glue, dts);
  let calls = 0;
  for (const [name, sig] of Object.entries(methods)) {
    // A fresh connected pair per method; each argument in turn takes every value of its kind.
    const engines = [connected(generated), connected(packaged)];
    const kinds = [...sig.slice(1)];
    const variants = [kinds.map((k) => BASE[k])];
    kinds.forEach((kind, i) => {
      for (const value of VALUES[kind]) variants.push(kinds.map((k, j) => (j === i ? value : BASE[k])));
    });
    for (const args of variants) {
      const [expected, actual] = engines.map((e) => observe(e, name, args));
      assert.deepEqual(actual, expected, `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
      calls++;
    }
    for (const e of engines) e.free();
  }
  assert.ok(calls > 1000, `calls: ${calls}`);
  // A freed engine, or a method called on another object, reaches the engine as a null pointer.
  const freed = connected(packaged);
  freed.free();
  for (const bindings of [generated, packaged]) {
    assert.throws(() => bindings.EngineCore.prototype.addConversation.call({}, 1, 'bob', 't'), /null pointer/);
  }
  assert.throws(() => freed.status(), /null pointer/);
  assert.throws(() => freed.addConversation(1, 'bob', 't'), /null pointer/);
});

/** readGlue on the generated glue with one edit. */
const edited = (from, to, d = dts) => {
  assert.ok(glue.includes(from), from);
  return () => readGlue(glue.replace(from, to), d);
};

test('the build refuses a glue whose wrappers the signature table cannot express', () => {
  assert.doesNotThrow(() => readGlue(glue, dts));
  // Option<u32> passes differently from Option<f64>.
  assert.throws(
    edited('const val4 = +(isLikeNone(order) ? 0 : order);', 'const val4 = isLikeNone(order) ? 0x100000001 : (order) >>> 0;'),
    /chatroomHistory: an argument line/,
  );
  // A bool return.
  assert.throws(edited('return ret >>> 0;', 'return ret !== 0;'), /the way it returns/);
  // Arguments in another order than the words of the raw export.
  assert.throws(
    edited('wasm.enginecore_addConversation(this.__wbg_ptr, val3, ptr0, len0, ptr1, len1);', 'wasm.enginecore_addConversation(this.__wbg_ptr, val3, ptr1, len1, ptr0, len0);'),
    /addConversation: calls/,
  );
  // A raw export that takes other words than the wrapper passes.
  assert.throws(
    () => readGlue(glue, dts.replace('enginecore_handleSocketClose: (a: number, b: number, c: number)', 'enginecore_handleSocketClose: (a: number, b: number)')),
    /handleSocketClose/,
  );
  // A raw export without a wrapper.
  assert.throws(() => readGlue(glue, `${dts}export const enginecore_more: (a: number) => void;\n`), /without a method: enginecore_more/);
  // An i64 word (a bigint in JS).
  assert.throws(
    () => readGlue(glue, dts.replace('enginecore_status: (a: number) => number;', 'enginecore_status: (a: number) => bigint;')),
    /enginecore_status takes or returns more than numbers/,
  );
  // A getter the table would leave out.
  assert.throws(edited('    free() {', '    get ready() {\n        return true;\n    }\n    free() {'), /members the signature table cannot express: +get ready/);
  // Another constructor, another class, another kind of export.
  assert.throws(edited('this.__wbg_ptr = ret;', 'this.__wbg_ptr = ret >>> 0;'), /EngineCore.constructor/);
  assert.throws(edited('export class EngineCore {', 'export class Other {\n}\nexport class EngineCore {'), /one exported class/);
  assert.throws(edited('function __wbg_get_imports() {', 'export const Kind = Object.freeze({ A: 0 });\nfunction __wbg_get_imports() {'), /exports what/);
});
