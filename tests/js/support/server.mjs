// Starts the real `im-server` binary on 127.0.0.1 with a temporary data directory, for the
// end-to-end tests and benchmarks. The first start picks a free port; restarts reuse it and the
// data directory, so clients reconnect to "the same server" after a kill.
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

function launch(addr, dataDir, configFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(serverBinary, [], {
      env: {
        ...process.env,
        ...(configFile ? { IM_CONFIG: configFile } : {}),
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
      const m = /listening on http:\/\/([0-9.]+:[0-9]+)/.exec(out);
      if (m) {
        clearTimeout(guard);
        child.off('exit', onExit);
        resolve({ child, host: m[1] });
      }
    });
  });
}

/**
 * A running server: `host` ("127.0.0.1:PORT"), `url`, `kill()`, `restart()`, `stop()`.
 * `config`: extra fields of the server's JSON config file (e.g. `rate_per_sec`).
 */
export async function startServer(config = null) {
  if (!existsSync(serverBinary)) throw new Error(`build the server first: ${serverBinary}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'im-e2e-'));
  let configFile = null;
  if (config) {
    configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
  }
  let { child, host } = await launch('127.0.0.1:0', dataDir, configFile);
  const RongCloud = require('rongcloud-sdk');
  const server = {
    host,
    url: `http://${host}`,
    dataDir,
    sdk: RongCloud({ appkey: APP_KEY, secret: APP_SECRET, api: `http://${host}` }),
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
          ({ child } = await launch(host, dataDir, configFile));
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
