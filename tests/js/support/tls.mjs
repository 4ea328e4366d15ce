// TLS for the end-to-end tests: a fresh self-signed certificate for localhost and 127.0.0.1, made
// with the openssl command line, and a child Node that trusts it (NODE_EXTRA_CA_CERTS), since
// the package's Node adapter takes no CA of its own. Verification stays on everywhere.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Writes `cert.pem` and `key.pem` (P-256, valid one day) into `dir`; returns their paths. */
export function selfSignedCert(dir) {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { cert, key };
}

/**
 * Runs the Node script `script` with `args` in a child process whose trusted roots include
 * `cert`; resolves with its exit code, stdout and stderr (after at most `ms`).
 */
export function runTrusting(cert, script, args = [], ms = 60000) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: cert }, timeout: ms, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => resolve({ code: err ? (err.code ?? err.signal) : 0, stdout, stderr }),
    );
  });
}
