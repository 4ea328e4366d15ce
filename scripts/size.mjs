// `npm run size`: the bytes a mini program loads from the package (run `npm run build` first):
// the wasm and the mini-program JS, raw, gzip -9 and brotli -11, and the budget line
// (`.wasm.br` + minified JS ≤ 140 KB, counted against the 2 MB main package).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'pkg', 'miniprogram_dist');
const BUDGET = 140 * 1024;

const files = {
  // The same bytes as the .wasm.br once decompressed (scripts/build-pkg.mjs checks it).
  wasm: join(root, 'pkg', 'dist', 'im_wasm_bg.wasm'),
  wasmBr: join(dist, 'im_wasm_bg.wasm.br'),
  js: join(dist, 'index.js'),
};
for (const f of Object.values(files)) {
  if (!existsSync(f)) {
    console.error(`size: ${f} is missing; run npm run build first`);
    process.exit(1);
  }
}

const brotli = (b) =>
  brotliCompressSync(b, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
    },
  }).length;
const gzip = (b) => gzipSync(b, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const cell = (n) => `${String(n).padStart(9)} (${kb(n).padStart(8)})`;

console.log(`what a mini program loads (pkg/miniprogram_dist)\n`);
console.log(`${'file'.padEnd(20)}${'raw'.padStart(21)}${'gzip -9'.padStart(21)}${'brotli -11'.padStart(21)}`);
const sizes = {};
for (const [key, name] of [
  ['wasm', 'im_wasm_bg.wasm'],
  ['js', 'index.js (minified)'],
]) {
  const b = readFileSync(files[key]);
  sizes[key] = { raw: b.length, gzip: gzip(b), brotli: brotli(b) };
  console.log(`${name.padEnd(20)}  ${cell(b.length)}  ${cell(sizes[key].gzip)}  ${cell(sizes[key].brotli)}`);
}
const shippedBr = readFileSync(files.wasmBr).length;
console.log(`${'im_wasm_bg.wasm.br'.padEnd(20)}  ${cell(shippedBr)}  (brotli -11, as shipped for WXWebAssembly.instantiate)`);

const total = shippedBr + sizes.js.raw;
const verdict = total <= BUDGET ? 'within budget' : `over budget by ${kb(total - BUDGET)}`;
console.log(
  `\nbudget: .wasm.br ${kb(shippedBr)} + minified JS ${kb(sizes.js.raw)} = ${kb(total)} ` +
    `(${total} bytes) of ${kb(BUDGET)}: ${verdict}`,
);
console.log(`over the wire (wasm brotli + JS brotli): ${kb(sizes.wasm.brotli + sizes.js.brotli)}`);

// Everything "Build npm" copies into the mini program (the package's `miniprogram` folder).
const shipped = readdirSync(dist).map((name) => [name, statSync(join(dist, name)).size]);
const all = shipped.reduce((n, [, size]) => n + size, 0);
console.log(`\ncopied to miniprogram_npm/rongimlib-wasm/: ${shipped.map(([n, size]) => `${n} ${kb(size)}`).join(', ')} = ${kb(all)}`);
