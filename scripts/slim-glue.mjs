// The package's wasm glue module, made from the one wasm-bindgen generates (--target web): its
// helpers (the imports object, memory views, string and array passing, text decoding, the
// finalization registry, `__wbg_finalize_init`) stay; its loader goes (each host entry
// instantiates the module itself); and its hand-unrolled wrapper per exported method becomes one
// letter per argument in a signature table, which js-shim/src/engine.js turns into methods.
//
// The table is read off the generated wrappers, and every line of every wrapper must be one this
// file recognises, so a wasm-bindgen upgrade that passes anything differently stops the build
// instead of changing what the methods pass. Kinds (see js-shim/src/engine.js):
//   argument  N number (f64, integer or bool: passed as `+x`)   n Option<f64>
//             S string   s Option<string>   F Vec<f64>   f Option<Vec<f64>>   B bytes   b Option<bytes>
//   return    - nothing   N number as is   U u32   S string   s Option<string>   B bytes (Vec<u8>)
// A signature is the return letter followed by the argument letters: `-Nss` takes a number and
// two optional strings and returns nothing.

/** The ABI helpers of the glue that js-shim/src/engine.js calls, by their glue names. */
const HELPERS = {
  text_: 'getStringFromWasm0',
  bytes_: 'getArrayU8FromWasm0',
  view_: 'getDataViewMemory0',
  finalization_: 'EngineCoreFinalization',
};
/** The glue's function passing each kind of array argument. */
const PASS = { S: 'passStringToWasm0', F: 'passArrayF64ToWasm0', B: 'passArray8ToWasm0' };

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// How each return kind's wrapper looks around its argument lines (ARGS, zero or more lines) and
// its call of the raw export (CALL: the arguments of `wasm.RAW(...)`); trimmed lines, `#` for any
// variable's number.
const RETURNS = {
  '-': ['ARGS', 'wasm.RAW(CALL);'],
  N: ['ARGS', 'const ret = wasm.RAW(CALL);', 'return ret;'],
  U: ['ARGS', 'const ret = wasm.RAW(CALL);', 'return ret >>> 0;'],
  S: [
    'let deferred#_0;',
    'let deferred#_1;',
    'try {',
    'const retptr = wasm.__wbindgen_add_to_stack_pointer(-16) >>> 0;',
    'ARGS',
    'wasm.RAW(CALL);',
    'var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);',
    'var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);',
    'deferred#_0 = r0;',
    'deferred#_1 = r1;',
    'return getStringFromWasm0(r0, r1);',
    '} finally {',
    'wasm.__wbindgen_add_to_stack_pointer(16);',
    'wasm.__wbindgen_free(deferred#_0, deferred#_1, 1);',
    '}',
  ],
  s: [
    'try {',
    'const retptr = wasm.__wbindgen_add_to_stack_pointer(-16) >>> 0;',
    'ARGS',
    'wasm.RAW(CALL);',
    'var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);',
    'var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);',
    'let v#;',
    'if (r0 !== 0) {',
    'v# = getStringFromWasm0(r0, r1);',
    'wasm.__wbindgen_free(r0, r1 * 1, 1);',
    '}',
    'return v#;',
    '} finally {',
    'wasm.__wbindgen_add_to_stack_pointer(16);',
    '}',
  ],
  B: [
    'try {',
    'const retptr = wasm.__wbindgen_add_to_stack_pointer(-16) >>> 0;',
    'ARGS',
    'wasm.RAW(CALL);',
    'var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);',
    'var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);',
    'var v# = getArrayU8FromWasm0(r0, r1).slice();',
    'wasm.__wbindgen_free(r0, r1 * 1, 1);',
    'return v#;',
    '} finally {',
    'wasm.__wbindgen_add_to_stack_pointer(16);',
    '}',
  ],
};
/** The return kinds whose value comes back through a two-word slot on the wasm stack. */
const VIA_STACK = 'SsB';
const RETURN_PATTERNS = Object.entries(RETURNS).map(([kind, lines]) => {
  const source = lines
    .map((line) =>
      line === 'ARGS'
        ? '(?<args>(?:[^\\n]*\\n)*?)'
        : `${escape(line).replace(/#/g, '\\d+').replace('RAW', '(?<raw>\\w+)').replace('CALL', '(?<call>[^\\n]*)')}\\n`,
    )
    .join('');
  return [kind, new RegExp(`^${source}$`)];
});

// The argument lines: each gives the kind of one parameter and the words it passes to the raw
// export, or is part of the clean-up of earlier arguments when a later one throws.
const PTR = '(?:var |const )?(ptr\\d+) = ';
const ARGUMENTS = [
  [/^const (val\d+) = \+(\w+);$/, (m) => ({ param: m[2], kind: 'N', words: [m[1]] })],
  [
    /^const (val\d+) = \+\(isLikeNone\((\w+)\) \? 0 : \2\);$/,
    (m) => ({ param: m[2], kind: 'n', words: [`!isLikeNone(${m[2]})`, m[1]] }),
  ],
  ...Object.entries(PASS).flatMap(([kind, helper]) => {
    const allocators = kind === 'S' ? 'wasm.__wbindgen_malloc, wasm.__wbindgen_realloc' : 'wasm.__wbindgen_malloc';
    const pass = (optional) =>
      new RegExp(`^${PTR}${optional ? '(?:isLikeNone\\((\\w+)\\) \\? 0 : )' : '()'}${helper}\\((\\w+), ${escape(allocators)}\\);$`);
    const argument = (k) => (m) => {
      if (m[2] && m[2] !== m[3]) return null;
      return { param: m[3], kind: k, words: [m[1], m[1].replace('ptr', 'len')] };
    };
    return [
      [pass(false), argument(kind)],
      [pass(true), argument(kind.toLowerCase())],
    ];
  }),
];
const CLEAN_UP = [
  /^let ptr\d+, len\d+(?:, ptr\d+, len\d+)*;$/,
  /^try \{$/,
  /^\} catch \(e\) \{$/,
  /^if \((ptr\d+)\) \{ wasm\.__wbindgen_free\(\1, len\d+ \* (\d), \2\); \}$/,
  /^throw e;$/,
  /^\}$/,
];

/**
 * The signature of one generated wrapper: `name(params) { body }`, where `self` is the first word
 * it passes before its arguments (`this.__wbg_ptr` for a method, none for a free function).
 */
function signature(name, params, body, self) {
  const lines = body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const text = `${lines.join('\n')}\n`;
  const match = RETURN_PATTERNS.map(([kind, re]) => [kind, text.match(re)]).find(([, m]) => m);
  if (!match) throw new Error(`${name}: the way it returns is not one the signature table knows:\n${body}`);
  const [ret, { groups }] = match;
  const args = new Map();
  const argLines = groups.args.split('\n').filter(Boolean);
  for (let i = 0; i < argLines.length; i++) {
    const line = argLines[i];
    if (CLEAN_UP.some((re) => re.test(line))) continue;
    const arg = ARGUMENTS.map(([re, read]) => (re.test(line) ? read(line.match(re)) : null)).find(Boolean);
    if (!arg) throw new Error(`${name}: an argument line the signature table cannot express: ${line}`);
    if (arg.words.length === 2 && arg.words[0].startsWith('ptr')) {
      const len = new RegExp(`^(?:var |const )?${arg.words[1]} = WASM_VECTOR_LEN;$`);
      if (!len.test(argLines[++i] || '')) throw new Error(`${name}: ${arg.words[0]} without its length`);
    }
    if (args.has(arg.param)) throw new Error(`${name}: ${arg.param} is passed twice`);
    args.set(arg.param, arg);
  }
  // A number the wrapper hands over as it is (no other argument to convert first).
  const call = groups.call.split(', ').filter(Boolean);
  const kinds = params.map((p) => {
    if (!args.has(p) && call.includes(p)) args.set(p, { param: p, kind: 'N', words: [p] });
    if (!args.has(p)) throw new Error(`${name}: no recognisable conversion of its argument ${p}`);
    return args.get(p);
  });
  if (args.size !== params.length) throw new Error(`${name}: converts values that are not its arguments`);
  // The raw export must take exactly these words in this order, since the table keeps only the
  // order of the arguments.
  const expected = [
    ...(VIA_STACK.includes(ret) ? ['retptr'] : []),
    ...(self ? [self] : []),
    ...kinds.flatMap((k) => k.words),
  ];
  if (call.join(', ') !== expected.join(', ')) {
    throw new Error(`${name}: calls ${groups.raw}(${call.join(', ')}), not (${expected.join(', ')})`);
  }
  return { raw: groups.raw, words: expected.length, sig: ret + kinds.map((k) => k.kind).join('') };
}

// The class's own members as wasm-bindgen writes them; js-shim/src/engine.js's `coreClass` does
// the same (its `free` is `__destroy_into_raw` and `free` in one).
const CLASS_MEMBERS = {
  __destroy_into_raw: [
    'const ptr = this.__wbg_ptr;',
    'this.__wbg_ptr = 0;',
    'EngineCoreFinalization.unregister(this);',
    'return ptr;',
  ],
  free: ['const ptr = this.__destroy_into_raw();', 'wasm.__wbg_enginecore_free(ptr, 0);'],
  constructor: [
    'const ret = wasm.enginecore_new();',
    'this.__wbg_ptr = ret;',
    'EngineCoreFinalization.register(this, this.__wbg_ptr, this);',
    'return this;',
  ],
};

/** `{ name: [params, body] }` of the functions that open with `start` and close with `end`. */
function functionsOf(text, start, end) {
  const found = {};
  const re = new RegExp(`^${start}(\\w+)\\(([^)]*)\\) \\{\\n([\\s\\S]*?)^${end}\\}$`, 'gm');
  for (const m of text.matchAll(re)) {
    found[m[1]] = [m[2].split(', ').filter(Boolean), m[3]];
  }
  return found;
}

/**
 * The raw exports' arities and whether they return a value, from im_wasm_bg.wasm.d.ts. Every word
 * must be a JS number: a `bigint` (i64) would need a conversion the table does not know.
 */
function rawExports(dts) {
  const exports = {};
  for (const m of dts.matchAll(/^export const (\w+): \(([^)]*)\) => (.+);$/gm)) {
    const params = m[2].split(', ').filter(Boolean);
    if (params.some((p) => !/^\w+: number$/.test(p)) || !['number', 'void'].includes(m[3])) {
      throw new Error(`the raw export ${m[1]} takes or returns more than numbers: ${m[0]}`);
    }
    exports[m[1]] = { words: params.length, returns: m[3] === 'number' };
  }
  return exports;
}

/**
 * Reads the generated glue (`glue`: im_wasm.js, `dts`: im_wasm_bg.wasm.d.ts): the signatures of
 * `EngineCore`'s methods and of the free functions, and the glue without its wrappers and loader.
 * Throws on anything it does not recognise.
 */
export function readGlue(glue, dts) {
  const raw = rawExports(dts);
  // Doc comments carry the Rust docs; nothing reads them.
  let rest = glue.replace(/^\/\* @ts-self-types="[^"]*" \*\/\n/, '').replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, '');
  const cut = rest.indexOf('async function __wbg_load(');
  if (cut < 0 || !rest.includes('function __wbg_get_imports(') || !rest.includes('function __wbg_finalize_init(')) {
    throw new Error('unexpected wasm-bindgen glue layout');
  }
  // The loader (fetch, import.meta, WebAssembly.instantiateStreaming): the host entries load the
  // module themselves.
  rest = rest.slice(0, cut);

  const classes = [...rest.matchAll(/^export class (\w+) \{\n([\s\S]*?)^\}\n/gm)];
  if (classes.length !== 1 || classes[0][1] !== 'EngineCore') {
    throw new Error(`expected the one exported class EngineCore, found: ${classes.map((c) => c[1]).join(', ')}`);
  }
  const [classText, , classBody] = classes[0];
  rest = rest.replace(classText, '');
  const dispose = 'if (Symbol.dispose) EngineCore.prototype[Symbol.dispose] = EngineCore.prototype.free;\n';
  if (!rest.includes(dispose)) throw new Error('EngineCore has no Symbol.dispose line');
  rest = rest.replace(dispose, '');
  // passStringToWasm0's path for a call without `realloc`: js-shim/src/engine.js always passes it.
  const noRealloc =
    '    if (realloc === undefined) {\n' +
    '        const buf = cachedTextEncoder.encode(arg);\n' +
    '        const ptr = malloc(buf.length, 1) >>> 0;\n' +
    '        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);\n' +
    '        WASM_VECTOR_LEN = buf.length;\n' +
    '        return ptr;\n' +
    '    }\n';
  if (!rest.includes(noRealloc)) throw new Error('passStringToWasm0 has no path without realloc');
  rest = rest.replace(noRealloc, '');

  const methods = {};
  const seen = new Set(['__wbg_enginecore_free', 'enginecore_new']);
  const check = (name, { raw: rawName, words, sig }) => {
    const r = raw[rawName];
    if (!r || r.words !== words || r.returns !== 'NU'.includes(sig[0])) {
      throw new Error(`${name}: ${rawName} in im_wasm_bg.wasm.d.ts does not take ${words} words as the glue passes them`);
    }
    seen.add(rawName);
    return sig;
  };
  for (const [name, [params, body]] of Object.entries(functionsOf(classBody, '    ', '    '))) {
    if (CLASS_MEMBERS[name]) {
      const lines = body.split('\n').map((l) => l.trim()).filter(Boolean);
      if (params.length || lines.join('\n') !== CLASS_MEMBERS[name].join('\n')) {
        throw new Error(`EngineCore.${name} is not the one js-shim/src/engine.js writes:\n${body}`);
      }
      continue;
    }
    const sig = signature(name, params, body, 'this.__wbg_ptr');
    if (sig.raw !== `enginecore_${name}`) throw new Error(`EngineCore.${name} calls ${sig.raw}`);
    methods[name] = check(name, sig);
  }
  for (const name of Object.keys(CLASS_MEMBERS)) {
    if (!new RegExp(`^    ${name}\\(`, 'm').test(classBody)) throw new Error(`EngineCore has no ${name}`);
  }
  // Nothing else in the class (a getter, a static method) that the table would leave out.
  const members = [...classBody.matchAll(/^ {4}\S.*$/gm)].map((m) => m[0]).filter((l) => l !== '    }');
  const unknown = members.filter((l) => !/^ {4}\w+\([^)]*\) \{$/.test(l));
  if (unknown.length) throw new Error(`EngineCore members the signature table cannot express: ${unknown.join('; ')}`);

  const functions = {};
  for (const [name, [params, body]] of Object.entries(functionsOf(rest, 'export function ', ''))) {
    const sig = signature(name, params, body, null);
    if (sig.raw !== name) throw new Error(`${name} calls ${sig.raw}`);
    functions[name] = check(name, sig);
    rest = rest.replace(new RegExp(`^export function ${name}\\([\\s\\S]*?^\\}\\n`, 'm'), '');
  }
  if (/^export /m.test(rest)) throw new Error(`the glue exports what the signature table cannot express:\n${rest.match(/^export .*$/m)[0]}`);

  // Every raw export is a method, a free function, or wasm-bindgen's own.
  const unused = Object.keys(raw).filter((n) => !seen.has(n) && !n.startsWith('__wbindgen_'));
  if (unused.length) throw new Error(`raw exports without a method: ${unused.join(', ')}`);
  // The helpers engine.js calls, with a passing function for each kind of array in use.
  const sigs = [...Object.values(methods), ...Object.values(functions)].map((sig) => sig.slice(1)).join('');
  const pass = Object.fromEntries(Object.entries(PASS).filter(([kind]) => sigs.toUpperCase().includes(kind)));
  for (const helper of [...Object.values(HELPERS), ...Object.values(pass)]) {
    if (!new RegExp(`^(?:function|const) ${helper}\\b`, 'm').test(rest)) throw new Error(`the glue has no ${helper}`);
  }
  return { methods, functions, pass, rest };
}

/** The prefix of the raw exports of EngineCore's methods (`enginecore_new` is the constructor's). */
export const METHOD_PREFIX = 'enginecore_';

/**
 * EngineCore's method names in the order js-shim/src/engine.js's `coreClass` finds their raw
 * exports on the instance: sorted.
 */
export const methodOrder = (methods) => Object.keys(methods).sort();

/**
 * The signatures of EngineCore's methods, space-separated, in `methodOrder`: what
 * scripts/gen-tables.mjs packs into js-shim/src/generated/tables.js as SIGNATURES, which the
 * glue module hands to `coreClass`.
 */
export const signatures = (methods) =>
  methodOrder(methods)
    .map((name) => methods[name])
    .join(' ');

/**
 * The package's glue module: the generated glue's helpers, then `EngineCore` and the free
 * functions made from their signatures, and `Engine` (js-shim/src/engine.js).
 */
export function slimGlue(glue, dts) {
  const { methods, functions, pass, rest } = readGlue(glue, dts);
  const passers = Object.entries(pass).map(([kind, helper]) => `${kind}: ${helper}`);
  const helpers = Object.entries(HELPERS).map(([key, helper]) => `${key}: ${helper}`);
  // Its keys end in `_`, as every internal property's: the mini program's bundle shortens them.
  const abi = `{ wasm_: () => wasm, len_: () => WASM_VECTOR_LEN, pass_: { ${passers.join(', ')} }, ${helpers.join(', ')} }`;
  // The signatures only (packed with the tables: `signatures(methods)`), in the order of the
  // methods' raw exports sorted by name: the names come from the instance's exports (coreClass),
  // so the bundle does not carry them twice.
  return (
    `import { coreClass, engineClass, wasmFunction } from '../engine.js';\n` +
    `import { SIGNATURES } from '../generated/tables.js';\n${rest}\n` +
    `/** The glue's helpers that the methods of js-shim/src/engine.js call. */\n` +
    `const abi = ${abi};\n` +
    `// SIGNATURES: ${methodOrder(methods).join(' ')}\n` +
    `export const EngineCore = coreClass(abi, SIGNATURES);\n` +
    Object.entries(functions)
      .map(([name, sig]) => `export const ${name} = wasmFunction(abi, '${name}', '${sig}');\n`)
      .join('') +
    `/** \`__wbg_finalize_init\`, which also gives EngineCore its methods. */\n` +
    `function finalizeInit(instance, module) {\n` +
    `  const exports = __wbg_finalize_init(instance, module);\n` +
    `  EngineCore.define_();\n` +
    `  return exports;\n` +
    `}\n` +
    `export { __wbg_get_imports, finalizeInit as __wbg_finalize_init };\n` +
    `export const Engine = engineClass(EngineCore);\n`
  );
}
