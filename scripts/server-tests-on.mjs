// Runs im-server's integration tests once more with extra environment (the PostgreSQL pass:
// `node scripts/server-tests-on.mjs IM_TEST_STORE=postgres`), from the test binaries that
// `cargo test --workspace` already built. `cargo test -p im-server` would resolve the
// dependencies' features for that one package and so build every test binary a second time
// (gigabytes of disk and minutes of CI). Each binary runs as cargo runs it: from the package's
// directory. Exits non-zero when one fails.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = {};
for (const arg of process.argv.slice(2)) {
  const at = arg.indexOf('=');
  if (at < 1) {
    console.error(`server-tests-on: expected NAME=VALUE, got ${arg}`);
    process.exit(2);
  }
  extra[arg.slice(0, at)] = arg.slice(at + 1);
}

const built = spawnSync('cargo', ['test', '--workspace', '--locked', '--tests', '--no-run', '--message-format=json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 1 << 28,
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (built.status !== 0) process.exit(built.status ?? 1);
const binaries = [];
for (const line of built.stdout.split('\n')) {
  if (!line.startsWith('{')) continue;
  const m = JSON.parse(line);
  if (m.reason !== 'compiler-artifact' || !m.executable || !m.profile?.test) continue;
  if (!m.package_id.includes('#im-server@') || m.target.kind[0] !== 'test') continue;
  binaries.push([m.target.name, m.executable]);
}
if (binaries.length === 0) {
  console.error('server-tests-on: no im-server test binaries were built');
  process.exit(1);
}
binaries.sort((a, b) => a[0].localeCompare(b[0]));
const failed = [];
for (const [name, exe] of binaries) {
  console.log(`     Running tests/${name}.rs (${exe})`);
  const run = spawnSync(exe, [], { cwd: join(root, 'crates', 'server'), env: { ...process.env, ...extra }, stdio: 'inherit' });
  if (run.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`server-tests-on: ${failed.length} of ${binaries.length} test binaries failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`server-tests-on: ${binaries.length} test binaries passed with ${Object.keys(extra).join(', ')}`);
