// Assembles the npm package `rongimlib-wasm` into pkg/: the package.json and README from
// pkg-template/ (with the hand-written index.d.ts, and index.d.cts made from it for `require`),
// the wasm from scripts/build-wasm.sh, and the shim bundled per host with esbuild: Node ESM and
// CommonJS, browser ESM and a classic script (global `RongIMLib`), mini-program CommonJS.
// Run scripts/build-wasm.sh and scripts/gen-tables.mjs first (`npm run build` runs all three).
// The mini-program build is minified and gets the wasm brotli-compressed (`.wasm.br`, which
// `WXWebAssembly.instantiate` accepts): both count against the 2 MB main package.
import { build } from 'esbuild';
import { minify } from 'terser';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { METHOD_PREFIX, methodOrder, readGlue, signatures, slimGlue } from './slim-glue.mjs';
import { renameGlue, renameWasm } from './wasm-names.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);
const wasmDir = at('.build', 'wasm-web');
const stage = at('.build', 'stage');
const out = at('pkg');

function fail(message) {
  console.error(`build-pkg: ${message}`);
  process.exit(1);
}

if (!existsSync(join(wasmDir, 'im_wasm.js'))) fail('run scripts/build-wasm.sh first (.build/wasm-web is missing)');
if (!existsSync(at('js-shim', 'src', 'generated', 'tables.js'))) {
  fail('run scripts/gen-tables.mjs first (js-shim/src/generated/tables.js is missing)');
}

// The bindgen glue without its own loader (fetch, import.meta, WebAssembly.instantiateStreaming):
// each host entry instantiates the module itself and hands the instance to the glue. Its wrapper
// per `EngineCore` method becomes a signature table (scripts/slim-glue.mjs), which
// js-shim/src/engine.js turns into methods; `Engine` is the shim's JS face of `EngineCore`.
let slim;
let methods;
try {
  const generated = [readFileSync(join(wasmDir, 'im_wasm.js'), 'utf8'), readFileSync(join(wasmDir, 'im_wasm_bg.wasm.d.ts'), 'utf8')];
  slim = renameGlue(slimGlue(...generated));
  methods = readGlue(...generated).methods;
} catch (err) {
  fail(`the wasm-bindgen glue: ${err.message}`);
}
// The glue's signatures are in the order of the methods' raw exports sorted by name, as
// EngineCore.define() finds them on the instance: the module must export exactly those.
const exported = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(wasmDir, 'im_wasm_bg.wasm'))))
  .map((e) => e.name)
  .filter((name) => name.startsWith(METHOD_PREFIX) && name !== `${METHOD_PREFIX}new`)
  .sort();
if (exported.join() !== methodOrder(methods).map((name) => METHOD_PREFIX + name).join()) {
  fail("the module's EngineCore exports are not the glue's methods");
}
// The glue takes the signatures from the generated tables.
const tables = await import(pathToFileURL(at('js-shim', 'src', 'generated', 'tables.js')).href);
if (tables.SIGNATURES !== signatures(methods)) fail('run scripts/gen-tables.mjs again (its SIGNATURES are not the glue\'s)');
for (const banned of ['import.meta', 'fetch(', 'eval(', 'new Function']) {
  if (slim.includes(banned)) fail(`the slim glue still contains ${banned}`);
}

rmSync(stage, { recursive: true, force: true });
cpSync(at('js-shim', 'src'), join(stage, 'src'), { recursive: true });
mkdirSync(join(stage, 'src', 'wasm'), { recursive: true });
writeFileSync(join(stage, 'src', 'wasm', 'im_wasm.js'), slim);

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'dist'), { recursive: true });
mkdirSync(join(out, 'miniprogram_dist'), { recursive: true });

const common = { bundle: true, legalComments: 'none', logLevel: 'warning', charset: 'utf8' };
await build({
  ...common,
  entryPoints: [join(stage, 'src', 'hosts', 'node.js')],
  outfile: join(out, 'dist', 'node.mjs'),
  format: 'esm',
  platform: 'node',
  target: 'node18',
  external: ['ws'],
});
// `require('rongimlib-wasm')` in Node: the namespace itself, as 2.x's CommonJS builds export it,
// plus the Node entry's extras. `import.meta.url` becomes the CommonJS file's own URL.
await build({
  ...common,
  entryPoints: [join(stage, 'src', 'hosts', 'node.js')],
  outfile: join(out, 'dist', 'node.cjs'),
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['ws'],
  inject: [join(stage, 'src', 'hosts', 'cjs-url.js')],
  define: { 'import.meta.url': 'moduleUrl' },
  footer: {
    js:
      'module.exports = Object.assign(module.exports.default, { platforms: module.exports.platforms, ' +
      'wasmBindings: module.exports.wasmBindings, wasmMemoryBytes: module.exports.wasmMemoryBytes });',
  },
});
await build({
  ...common,
  entryPoints: [join(stage, 'src', 'hosts', 'browser.js')],
  outfile: join(out, 'dist', 'browser.mjs'),
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
});
// `<script src=".../rongimlib.js">`: a classic script defining the global `RongIMLib`; the wasm is
// fetched next to the script (or from the `wasmPath` init option).
await build({
  ...common,
  entryPoints: [join(stage, 'src', 'hosts', 'browser.js')],
  outfile: join(out, 'dist', 'rongimlib.js'),
  format: 'iife',
  globalName: 'RongIMLib',
  platform: 'browser',
  target: 'es2017',
  inject: [join(stage, 'src', 'hosts', 'script-url.js')],
  define: { 'import.meta.url': 'scriptUrl' },
  footer: { js: 'RongIMLib = RongIMLib.default;' },
});
for (const file of ['node.cjs', 'rongimlib.js']) {
  if (readFileSync(join(out, 'dist', file), 'utf8').includes('import.meta')) fail(`dist/${file} contains import.meta`);
}
// Bundled as an ES module whose one export, the default, then becomes `module.exports`: the
// CommonJS format would add esbuild's export helpers (0.4 KB).
const wxBundle = await build({
  ...common,
  entryPoints: [join(stage, 'src', 'hosts', 'wx.js')],
  write: false,
  format: 'esm',
  platform: 'neutral',
  target: 'es2017',
  minify: true,
  inject: [join(stage, 'src', 'text-codec.js')],
  // No mini program has these: the 2.x helpers that use them (surface.js) keep only their
  // fallbacks.
  define: { XMLHttpRequest: 'undefined', localStorage: 'undefined' },
  // The shim's internal properties end in one `_` (the façade's helpers, the driver, the glue's
  // ABI, request records); nothing outside the bundle sees them, so they get short names.
  mangleProps: /[^_]_$/,
});
// A second minifier over esbuild's output: three of terser's compress passes and its mangler take
// another 0.8 KB off (terser alone, from the unminified bundle, does worse than the two together),
// and `unsafe_arrows` 0.2 KB more: it makes arrows of the function expressions that use no
// `this`, which is safe here as none of them is called with `new` or has its `prototype` read.
const wxEsm = (
  await minify(wxBundle.outputFiles[0].text, {
    ecma: 2017,
    module: true,
    compress: { passes: 3, unsafe_arrows: true },
    mangle: true,
  })
).code.replace(/;?$/, ';\n');
const wxCjs = wxEsm.replace(/export\{([\w$]+) as default\};\n$/, 'module.exports=$1;\n');
if (wxCjs === wxEsm) fail('the mini-program bundle does not end with its default export alone');
writeFileSync(join(out, 'miniprogram_dist', 'index.js'), wxCjs);

const wx = readFileSync(join(out, 'miniprogram_dist', 'index.js'), 'utf8');
for (const banned of ['import.meta', 'fetch(', 'eval(', 'new Function', 'require("ws")', "require('ws')"]) {
  if (wx.includes(banned)) fail(`the mini-program bundle contains ${banned}`);
}

// The package's module, with the short plumbing names its glue uses (scripts/wasm-names.mjs).
let wasm;
try {
  wasm = Buffer.from(renameWasm(readFileSync(join(wasmDir, 'im_wasm_bg.wasm'))));
} catch (err) {
  fail(`the module's names: ${err.message}`);
}
writeFileSync(join(out, 'dist', 'im_wasm_bg.wasm'), wasm);
// The mini program gets only the brotli-compressed wasm (every byte counts against the 2 MB
// main package).
// The smallest of a few settings of brotli's distance code parameters (postfix bits, direct
// distance codes: RFC 7932 §4, which every decoder reads): they move the result by ~0.1 %.
const br = [
  [0, 0],
  [1, 12],
  [2, 64],
]
  .map(([postfix, direct]) =>
    brotliCompressSync(wasm, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length,
        [constants.BROTLI_PARAM_NPOSTFIX]: postfix,
        [constants.BROTLI_PARAM_NDIRECT]: direct,
      },
    }),
  )
  .reduce((a, b) => (b.length < a.length ? b : a));
if (!brotliDecompressSync(br).equals(wasm)) fail('im_wasm_bg.wasm.br does not decompress to the wasm');
writeFileSync(join(out, 'miniprogram_dist', 'im_wasm_bg.wasm.br'), br);
// The mini program gets only the brotli-compressed wasm (every byte counts against the 2 MB main
// package), so the loader's default path must name it.
const wxLoader = readFileSync(at('js-shim', 'src', 'hosts', 'wx.js'), 'utf8');
if (!wxLoader.includes("const DEFAULT_WASM_PATH = '/miniprogram_npm/rongimlib-wasm/im_wasm_bg.wasm.br';")) {
  fail("the mini-program loader's DEFAULT_WASM_PATH must name im_wasm_bg.wasm.br");
}
// The package is "type": "module"; the mini-program bundle is CommonJS.
writeFileSync(join(out, 'miniprogram_dist', 'package.json'), '{ "type": "commonjs" }\n');
cpSync(at('pkg-template', 'package.json'), join(out, 'package.json'));
cpSync(at('pkg-template', 'README.md'), join(out, 'README.md'));
// The types: index.d.ts for `import`, the same declarations with `export =` for `require`, and
// without any export for the classic script's global `RongIMLib` (script.d.ts).
const dts = readFileSync(at('pkg-template', 'index.d.ts'), 'utf8');
const esmTail = dts.indexOf('// ---- ES module exports ----');
if (esmTail < 0) fail('pkg-template/index.d.ts lacks its "// ---- ES module exports ----" section');
writeFileSync(join(out, 'index.d.ts'), dts);
writeFileSync(join(out, 'index.d.cts'), `${dts.slice(0, esmTail)}export = RongIMLib;\n`);
writeFileSync(join(out, 'script.d.ts'), dts.slice(0, esmTail));
console.log('build-pkg: pkg/ assembled');
