// `npm run demo`: the web chat example against a local im-server.
//
// Installs what is missing or outdated (scripts/setup.sh: the Rust components and target,
// wasm-bindgen-cli, the Debian packages, node_modules), builds what is missing or stale
// (`npm run build` for pkg/, `cargo build -p im-server --locked`), starts im-server on 127.0.0.1
// with its embedded SQLite store under .build/demo-data, and serves examples/web plus the
// package's browser build on 127.0.0.1. It prints one URL per demo user; open each in its own
// tab to chat. Ctrl-C stops both.
//
// Demo-only endpoints of the web server: GET /demo/config ({appKey, navi, protocol, users}) and
// GET /demo/token?user=ID (a token for any user id, minted by `im-server token ID`). They exist
// so the page can log in without a login server; never expose them beyond a development machine.
//
// Options: --port N (web server; default 8080, 0 picks a free one), --server-port N (im-server;
// default 0), --data-dir DIR, --ephemeral (free ports, a temporary data dir removed on exit),
// --no-build (fail instead of installing or building), --users a,b (default alice,bob).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);

function parseArgs(argv) {
  const opts = { port: 8080, serverPort: 0, dataDir: at('.build', 'demo-data'), build: true, ephemeral: false, users: ['alice', 'bob'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') opts.port = Number(value());
    else if (a === '--server-port') opts.serverPort = Number(value());
    else if (a === '--data-dir') opts.dataDir = value();
    else if (a === '--no-build') opts.build = false;
    else if (a === '--ephemeral') opts.ephemeral = true;
    else if (a === '--users') opts.users = value().split(',').filter(Boolean);
    else usage(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.port) || !Number.isInteger(opts.serverPort)) usage('ports are integers');
  if (opts.users.length < 1 || !opts.users.every(validUser)) usage('user ids: letters, digits, _ and -');
  if (opts.ephemeral) {
    opts.port = 0;
    opts.serverPort = 0;
    opts.dataDir = null; // made once the build step is through
  }
  return opts;
}

function usage(message) {
  console.error(`demo: ${message}`);
  console.error('usage: node scripts/demo.mjs [--port N] [--server-port N] [--data-dir DIR] [--ephemeral] [--no-build] [--users a,b]');
  process.exit(2);
}

const validUser = (u) => /^[A-Za-z0-9_-]{1,32}$/.test(u);

function run(cmd, args, what) {
  console.log(`demo: ${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`demo: ${what} failed`);
    process.exit(1);
  }
}

/** The newest modification time under `paths` (files or directories), skipping `target`. */
function newest(paths) {
  let max = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'target' && name !== 'node_modules') visit(join(p, name));
    } else if (s.mtimeMs > max) max = s.mtimeMs;
  };
  paths.forEach(visit);
  return max;
}

/** pkg/ is stale when anything it is built from changed after it was assembled. */
function packageIsStale() {
  const stamp = at('pkg', 'dist', 'browser.mjs');
  if (!existsSync(stamp) || !existsSync(at('pkg', 'package.json'))) return true;
  const sources = newest([
    at('js-shim', 'src'),
    at('pkg-template'),
    at('crates', 'wire'),
    at('crates', 'client'),
    at('crates', 'wasm'),
    at('Cargo.lock'),
    at('scripts', 'build-pkg.mjs'),
    at('scripts', 'build-wasm.sh'),
    at('scripts', 'gen-tables.mjs'),
  ]);
  return sources > statSync(stamp).mtimeMs;
}

const serverBinary =
  process.env.IM_SERVER_BIN ??
  join(process.env.CARGO_TARGET_DIR ?? at('target'), 'debug', process.platform === 'win32' ? 'im-server.exe' : 'im-server');

/** scripts/setup.sh: installs what is missing or outdated; quiet when nothing is. */
function setup() {
  // cargo-installed tools (wasm-bindgen) for the build below
  const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');
  const path = process.env.PATH ?? '';
  if (!path.split(delimiter).includes(cargoBin)) process.env.PATH = `${cargoBin}${delimiter}${path}`;
  const r = spawnSync('bash', [at('scripts', 'setup.sh')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: installing the tool chain failed (scripts/setup.sh${r.error ? `: ${r.error.message}` : ''})`);
    process.exit(1);
  }
}

function prepare(opts) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (opts.build) {
    if (process.platform === 'win32') {
      if (!existsSync(at('node_modules', 'esbuild'))) run(npm, ['ci', '--no-audit', '--no-fund'], 'installing the build tools');
    } else setup();
    if (packageIsStale()) run(npm, ['run', 'build'], 'building the package (wasm + pkg/)');
    run('cargo', ['build', '-p', 'im-server', '--locked'], 'building im-server');
  }
  if (!existsSync(at('pkg', 'dist', 'browser.mjs'))) {
    console.error('demo: pkg/ is missing; run npm run build (or leave out --no-build)');
    process.exit(1);
  }
  if (!existsSync(serverBinary)) {
    console.error(`demo: ${serverBinary} is missing; run cargo build -p im-server (or leave out --no-build)`);
    process.exit(1);
  }
}

/** Starts im-server; resolves with {child, host, appKey} once it prints its banner. */
function startServer(opts) {
  const env = { ...process.env, IM_ADDR: `127.0.0.1:${opts.serverPort}`, IM_DATA_DIR: opts.dataDir };
  if (!env.RUST_LOG) env.RUST_LOG = 'warn';
  const child = spawn(serverBinary, [], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onExit = (code) => reject(new Error(`im-server exited with ${code} before it listened: ${out}`));
    child.on('error', reject);
    child.on('exit', onExit);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const addr = /listening on http:\/\/([0-9.]+:[0-9]+)/.exec(out);
      const key = /app key:\s+(\S+)/.exec(out);
      if (addr && key) {
        child.off('exit', onExit);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, host: addr[1], appKey: key[1], env });
      }
    });
  });
}

/** A token for `user`, from `im-server token` on the same data dir (so the same app). */
function mintToken(env, user) {
  return new Promise((resolve, reject) => {
    execFile(serverBinary, ['token', user], { env }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout.trim());
    });
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** `file` under `dir`, or null when the path leaves it or does not exist. */
function inside(dir, path) {
  const file = normalize(join(dir, decodeURIComponent(path)));
  if (file !== dir && !file.startsWith(dir + sep)) return null;
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  return file;
}

function webServer(opts, server) {
  const webDir = at('examples', 'web');
  const pkgDir = at('pkg');
  const json = (res, status, value) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
  return http.createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url, 'http://demo');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const path = url.pathname;
    if (path === '/demo/config') {
      json(res, 200, { appKey: server.appKey, navi: server.host, protocol: 'http:', users: opts.users });
      return;
    }
    if (path === '/demo/token') {
      const user = url.searchParams.get('user') || '';
      if (!validUser(user)) {
        json(res, 400, { error: 'user: 1 to 32 letters, digits, _ or -' });
        return;
      }
      mintToken(server.env, user).then(
        (token) => json(res, 200, { userId: user, token }),
        (err) => json(res, 500, { error: String(err && err.message) }),
      );
      return;
    }
    let file = null;
    const prefix = '/node_modules/rongimlib-wasm/';
    try {
      if (path.startsWith(prefix)) file = inside(pkgDir, path.slice(prefix.length));
      else file = inside(webDir, path === '/' ? 'index.html' : path.slice(1));
    } catch {
      file = null;
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  prepare(opts);
  if (opts.ephemeral) opts.dataDir = mkdtempSync(join(tmpdir(), 'im-demo-'));
  const removeEphemeral = () => {
    if (opts.ephemeral) rmSync(opts.dataDir, { recursive: true, force: true });
  };
  let server;
  let web;
  try {
    server = await startServer(opts);
    web = webServer(opts, server);
    await new Promise((resolve, reject) => {
      web.once('error', reject);
      web.listen(opts.port, '127.0.0.1', resolve);
    });
  } catch (err) {
    server?.child.kill('SIGKILL');
    removeEphemeral();
    throw err;
  }
  const base = `http://127.0.0.1:${web.address().port}`;
  console.log(`demo: im-server on http://${server.host} (app key ${server.appKey}, data in ${opts.dataDir})`);
  console.log('demo: open each URL in its own browser tab to chat:');
  opts.users.forEach((user, i) => {
    const peer = opts.users[(i + 1) % opts.users.length];
    const query = peer !== user ? `?user=${user}&peer=${peer}` : `?user=${user}`;
    console.log(`  ${user}: ${base}/${query}`);
  });
  console.log('demo: ready (Ctrl-C stops the web server and im-server)');

  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    web.close();
    web.closeAllConnections?.();
    const done = () => {
      removeEphemeral();
      process.exit(code);
    };
    if (server.child.exitCode !== null || server.child.signalCode !== null) done();
    else {
      server.child.once('exit', done);
      server.child.kill('SIGTERM');
      // A server that ignores SIGTERM is killed.
      setTimeout(() => server.child.kill('SIGKILL'), 5000).unref();
    }
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  server.child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`demo: im-server stopped (${signal || code})`);
      stop(1);
    }
  });
}

main().catch((err) => {
  const hint = err && err.code === 'EADDRINUSE' ? ' (another port: npm run demo -- --port N)' : '';
  console.error(`demo: ${err && err.message}${hint}`);
  process.exit(1);
});
