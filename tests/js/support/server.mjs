// Starts the real `im-server` binary on 127.0.0.1 with a temporary data directory, for the
// end-to-end tests and benchmarks. The first start picks a free port; restarts reuse it and the
// data directory, so clients reconnect to "the same server" after a kill. With TLS the public
// port speaks https and wss only, and the Server API gets its own plain-HTTP address on
// 127.0.0.1, as in production.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const exe = process.platform === 'win32' ? 'im-server.exe' : 'im-server';
export const serverBinary =
  process.env.IM_SERVER_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', exe);

export const APP_KEY = 'e2eappkey';
export const APP_SECRET = 'e2e-app-secret-0123456789';

/** `tls`: { cert, key } PEM files, or null; `apiAddr`: the Server API's own address, or null. */
function launch(addr, dataDir, configFile, tls = null, apiAddr = null) {
  return new Promise((resolve, reject) => {
    const child = spawn(serverBinary, [], {
      env: {
        ...process.env,
        ...(configFile ? { IM_CONFIG: configFile } : {}),
        ...(tls ? { IM_TLS_CERT: tls.cert, IM_TLS_KEY: tls.key } : {}),
        ...(apiAddr ? { IM_API_ADDR: apiAddr } : {}),
        IM_ADDR: addr,
        IM_DATA_DIR: dataDir,
        IM_APP_KEY: APP_KEY,
        IM_APP_SECRET: APP_SECRET,
        RUST_LOG: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`im-server printed no address: ${out}`));
    }, 15000);
    const onExit = (code) => {
      clearTimeout(guard);
      reject(new Error(`im-server exited with ${code}: ${out}`));
    };
    child.on('error', reject);
    child.on('exit', onExit);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (https?):\/\/([0-9.]+:[0-9]+)/.exec(out);
      const api = /server api: http:\/\/([0-9.]+:[0-9]+)/.exec(out);
      if (m && (api || !apiAddr)) {
        clearTimeout(guard);
        child.off('exit', onExit);
        resolve({ child, host: m[2], scheme: m[1], api: api ? api[1] : m[2] });
      }
    });
  });
}

/**
 * A running server: `host` ("127.0.0.1:PORT"), `url`, `kill()`, `restart()`, `stop()`.
 * `config`: extra fields of the server's JSON config file (e.g. `rate_per_sec`).
 * `options.tls`: { cert, key } PEM files to serve https and wss (see support/tls.mjs).
 */
export async function startServer(config = null, options = {}) {
  const tls = options.tls ?? null;
  if (!existsSync(serverBinary)) throw new Error(`build the server first: ${serverBinary}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'im-e2e-'));
  let configFile = null;
  if (config) {
    configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
  }
  let { child, host, scheme, api } = await launch('127.0.0.1:0', dataDir, configFile, tls, tls && '127.0.0.1:0');
  if (scheme !== (tls ? 'https' : 'http')) throw new Error(`im-server serves ${scheme}`);
  const RongCloud = require('rongcloud-sdk');
  const server = {
    host,
    url: `${scheme}://${host}`,
    dataDir,
    sdk: RongCloud({ appkey: APP_KEY, secret: APP_SECRET, api: `http://${api}` }),
    /** SIGKILL, as a crash would. */
    async kill() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    /** Starts again on the same port and data directory (retrying while the port is busy). */
    async restart() {
      for (let i = 0; ; i++) {
        try {
          ({ child } = await launch(host, dataDir, configFile, tls, tls && api));
          return;
        } catch (err) {
          if (i >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) await server.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
    /** A token for `userId` through the Server API (user/getToken). */
    async token(userId) {
      const r = await server.sdk.User.register({ id: userId, name: userId, portrait: 'http://x/p.png' });
      if (r.code !== 200) throw new Error(`getToken ${userId}: ${JSON.stringify(r)}`);
      return r.token;
    },
  };
  return server;
}
