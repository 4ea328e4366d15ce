// The package's hand-written types: a TypeScript app (tests/js/fixtures/types) that uses the whole
// API, by ES module import and by require, is type-checked with `tsc --noEmit --strict` against
// the installed package; its `@ts-expect-error` lines prove wrong usages are rejected. And every
// method and export the façade has at run time is declared, and every name of the 2.5.3 API
// (fixtures/rongimlib-2.5.3-api.json) that the package has is declared and type-checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consumer, consumerDir } from './support/consumer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

test('a strict TypeScript app type-checks against the installed package (import and require)', () => {
  const dir = join(consumerDir, 'types-check');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'tests', 'js', 'fixtures', 'types'), dir, { recursive: true });
  let out = '';
  try {
    out = execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
    });
  } catch (err) {
    assert.fail(`tsc reported errors:\n${err.stdout}${err.stderr}`);
  }
  assert.equal(out.trim(), '');
});

test('a page script type-checks against the global RongIMLib of script.d.ts (classic script)', async () => {
  await consumer();
  const dir = join(consumerDir, 'types-script-check');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'tests', 'js', 'fixtures', 'types-script'), dir, { recursive: true });
  try {
    execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc reported errors:\n${err.stdout}${err.stderr}`);
  }
});

test('index.d.ts declares every RongIMClient method and every export of the namespace', async () => {
  const c = await consumer();
  const R = (await c.loadNode()).default;
  const dts = readFileSync(c.resolveInPackage('index.d.ts'), 'utf8');
  const cts = readFileSync(c.resolveInPackage('index.d.cts'), 'utf8');
  assert.ok(cts.trimEnd().endsWith('export = RongIMLib;'));
  const client = dts.slice(dts.indexOf('  class RongIMClient {'));
  const declared = (name) => new RegExp(`\\n    (static )?${name}[(:<]`).test(client);
  const methods = Object.getOwnPropertyNames(R.RongIMClient.prototype).filter((n) => n !== 'constructor');
  const statics = Object.getOwnPropertyNames(R.RongIMClient).filter((n) => !['length', 'name', 'prototype'].includes(n));
  assert.ok(methods.length > 40, `instance methods: ${methods.length}`);
  const missing = [...methods, ...statics].filter((n) => !declared(n));
  assert.deepEqual(missing, [], 'RongIMClient members without a declaration');
  const exported = Object.keys(R).filter((n) => !new RegExp(`\\n  (abstract )?(class|const|function|enum) ${n}\\b`).test(dts));
  assert.deepEqual(exported, [], 'namespace members without a declaration');
});

/** Runs tsc on the project in `dir`; fails the test with tsc's report. */
function typeCheck(dir) {
  try {
    execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc reported errors:\n${err.stdout}${err.stderr}`);
  }
}

test('every 2.5.3 name the package has is declared: a strict app touching each one type-checks', async (t) => {
  const c = await consumer();
  const R = (await c.loadNode()).default;
  const api = JSON.parse(readFileSync(join(root, 'tests', 'js', 'fixtures', 'rongimlib-2.5.3-api.json'), 'utf8'));
  const im = R.RongIMClient.init('types-surface-appkey');
  const lines = [
    "import RongIMLib from 'rongimlib-wasm';",
    "const im = RongIMLib.RongIMClient.getInstance();",
    'declare function use(...values: unknown[]): void;',
  ];
  let touched = 0;
  for (const [name, members] of Object.entries(api.enums)) {
    if (!R[name]) continue;
    for (const [member, value] of members) {
      if (!(member in R[name])) continue;
      lines.push(`use(RongIMLib.${name}.${member} === ${value});`);
      lines.push(`{ const name: string = RongIMLib.${name}[RongIMLib.${name}.${member}]; use(name); }`);
      touched++;
    }
  }
  for (const [name, cls] of Object.entries(api.classes)) {
    if (typeof R[name] !== 'function') continue;
    lines.push(`use(RongIMLib.${name});`);
    touched++;
    for (const m of [...(cls.staticMethods || []), ...(cls.staticFields || [])]) {
      if (!(m in R[name])) continue;
      lines.push(`use(RongIMLib.${name}.${m});`);
      touched++;
    }
    const instance = name === 'RongIMClient' ? im : R[name].prototype;
    for (const m of cls.methods || []) {
      if (typeof instance[m] !== 'function') continue;
      lines.push(name === 'RongIMClient' ? `use(im.${m});` : `use((null as unknown as RongIMLib.${name}).${m});`);
      touched++;
    }
  }
  const dir = join(consumerDir, 'types-surface-check');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'surface.ts'), `${lines.join('\n')}\n`);
  const tsconfig = JSON.parse(readFileSync(join(root, 'tests', 'js', 'fixtures', 'types', 'tsconfig.json'), 'utf8'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['surface.ts'] }));
  typeCheck(dir);
  t.diagnostic(`2.5.3 names the package has, each type-checked: ${touched}`);
});
