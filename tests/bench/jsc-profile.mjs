// Summarises a JavaScriptCore sampling profile written by the jsc bench (BENCH_JSC_PROFILE=FILE
// with JSC_useSamplingProfiler=true; a wasm build that keeps its name section, via BENCH_WASM,
// names the wasm functions): each function's share of the samples by itself (self) and with what
// it called (total), and optionally who called a function.
//
//   node tests/bench/jsc-profile.mjs FILE [--top N] [--callers NAME-SUBSTRING] [--depth D]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  console.error('usage: node tests/bench/jsc-profile.mjs FILE [--top N] [--callers NAME] [--depth D]');
  process.exit(2);
}
const opt = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const top = Number(opt('--top', 40));
const callersOf = opt('--callers', null);
const depth = Number(opt('--depth', 3));

// Rust's symbol hashes (`[0123abcd…]`) and the module prefix say nothing here.
const clean = (name) =>
  name
    .replace(/^.*?\.wasm-function\[/, '')
    .replace(/\]$/, '')
    .replace(/\[[0-9a-f]{13,16}\]/g, '');

const { traces } = JSON.parse(readFileSync(file, 'utf8'));
const self = new Map();
const total = new Map();
const callers = new Map();
for (const { frames } of traces) {
  const names = frames.map((f) => clean(f.name || '(unknown)'));
  if (names.length === 0) continue;
  self.set(names[0], (self.get(names[0]) || 0) + 1);
  for (const n of new Set(names)) total.set(n, (total.get(n) || 0) + 1);
  if (callersOf) {
    const at = names.findIndex((n) => n.includes(callersOf));
    if (at >= 0) {
      const chain = names.slice(at + 1, at + 1 + depth).join(' <- ');
      callers.set(chain, (callers.get(chain) || 0) + 1);
    }
  }
}
const n = traces.length;
const pct = (v) => `${((100 * v) / n).toFixed(1).padStart(5)} %`;
const show = (title, map) => {
  console.log(`${title} (of ${n} samples)`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${pct(v)}  ${k.slice(0, 160)}`);
  }
};
show('self', self);
show('total', total);
if (callersOf) show(`callers of ${callersOf}`, callers);
