// scripts/setup.sh, which `npm test` and `npm run demo` run first, in its --check mode only: it
// installs nothing then. On this machine (set up by the run of npm test that runs these tests) it
// has nothing to do and says nothing; with stand-ins on PATH for outdated or missing tools it names
// each install it would make. The stand-ins for the installers (cargo, rustup, npm, apt-get,
// sudo) fail if called for anything but a version or a listing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cargoBin = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin');
const wasmBindgen = /^name = "wasm-bindgen"\nversion = "([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.lock'), 'utf8'))[1];

/** Runs `bash <dir>/scripts/setup.sh --check`, with `bin` (if any) first on PATH. */
function check(dir, bin) {
  const path = [bin, cargoBin, process.env.PATH].filter(Boolean).join(':');
  const r = spawnSync('bash', [join(dir, 'scripts', 'setup.sh'), '--check'], {
    env: { ...process.env, PATH: path },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch copy of what setup.sh reads: itself, Cargo.lock, package.json, package-lock.json. */
function scratchProject(t) {
  const dir = mkdtempSync(join(tmpdir(), 'im-setup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'scripts'));
  for (const f of ['scripts/setup.sh', 'Cargo.lock', 'package.json', 'package-lock.json']) copyFileSync(join(root, f), join(dir, f));
  return dir;
}

/** A folder of shell scripts named after commands: {name: body}. */
function fakeBin(dir, scripts) {
  const bin = join(dir, 'fake-bin');
  mkdirSync(bin);
  for (const [name, body] of Object.entries(scripts)) writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return bin;
}

const refuse = (name) => `echo "${name} called: $*" >&2; exit 99`;

test('with everything in place, setup.sh has nothing to do and prints nothing', () => {
  const r = check(root);
  assert.deepEqual(r, { status: 0, stdout: '', stderr: '' });
});

test('outdated and missing tools: setup.sh --check names each install and exits 1', (t) => {
  const dir = scratchProject(t); // no node_modules
  const bin = fakeBin(dir, {
    rustc: 'echo "rustc 1.80.0 (051478957 2024-07-21)"',
    rustup: [
      'case "$*" in',
      '  "component list --installed") echo cargo-x86_64-unknown-linux-gnu; echo rustc-x86_64-unknown-linux-gnu ;;',
      '  "show active-toolchain") echo "stable-x86_64-unknown-linux-gnu (default)" ;;',
      `  *) ${refuse('rustup')} ;;`,
      'esac',
    ].join('\n'),
    'dpkg-query': [
      'echo "chromium 150.0-1 install ok installed"',
      'echo "chromium-driver 151.0-1 install ok installed"',
      'echo "binaryen 100-1 install ok installed"',
      'exit 1',
    ].join('\n'),
    'wasm-opt': 'echo "wasm-opt version 100"',
    'wasm-bindgen': 'echo "wasm-bindgen 0.2.1"',
    'wasm-bindgen-test-runner': 'echo "wasm-bindgen-test-runner 0.2.1"',
    cargo: refuse('cargo'),
    npm: refuse('npm'),
    'apt-get': refuse('apt-get'),
    sudo: refuse('sudo'),
  });
  const r = check(dir, bin);
  assert.equal(r.status, 1, JSON.stringify(r));
  assert.equal(r.stderr, '');
  const lines = r.stdout.trimEnd().split('\n');
  const expected = [
    'setup: would install the latest stable-x86_64-unknown-linux-gnu toolchain (rustc 1.92 or newer is needed, found 1.80.0)',
    'setup: would install the rustup components rustfmt clippy rust-src',
    'setup: would install the rustup target wasm32-unknown-unknown',
    'setup: chromium 150.0-1 and chromium-driver 151.0-1 differ',
    'setup: wasm-opt 100 is older than 108',
    // gcc and libc6-dev too on a machine without a C compiler
    /^setup: would install the Debian packages brotli chromium chromium-driver binaryen( gcc libc6-dev)?$/,
    `setup: would install wasm-bindgen-cli ${wasmBindgen} (found 0.2.1)`,
    'setup: would install node_modules (npm ci)',
  ];
  assert.equal(lines.length, expected.length, r.stdout);
  expected.forEach((e, i) => (typeof e === 'string' ? assert.equal(lines[i], e) : assert.match(lines[i], e)));
});

test('node_modules older than package-lock.json: setup.sh --check would run npm ci', (t) => {
  const dir = scratchProject(t);
  mkdirSync(join(dir, 'node_modules'));
  const marker = join(dir, 'node_modules', '.package-lock.json');
  writeFileSync(marker, '{}');
  const past = new Date(Date.now() - 3600_000);
  utimesSync(marker, past, past);
  const r = check(dir);
  assert.deepEqual(r, { status: 1, stdout: 'setup: would install node_modules (npm ci: package-lock.json changed)\n', stderr: '' });
});

test('a wasm-bindgen-test-runner of another version than wasm-bindgen counts as outdated', (t) => {
  const dir = scratchProject(t);
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'node_modules', '.package-lock.json'), '{}');
  const bin = fakeBin(dir, { 'wasm-bindgen-test-runner': 'echo "wasm-bindgen-test-runner 0.2.1"' });
  const r = check(dir, bin);
  assert.deepEqual(r, {
    status: 1,
    stdout: `setup: would install wasm-bindgen-cli ${wasmBindgen} (found ${wasmBindgen}, wasm-bindgen-test-runner 0.2.1)\n`,
    stderr: '',
  });
});

test('Node older than 20: setup.sh fails, naming the version it needs', (t) => {
  const dir = scratchProject(t);
  const bin = fakeBin(dir, { node: 'echo v18.19.0' });
  const r = check(dir, bin);
  assert.deepEqual(r, { status: 1, stdout: '', stderr: 'setup: Node 20 or newer is needed (found 18.19.0)\n' });
});
