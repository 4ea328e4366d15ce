// Runs scripts/demo.mjs as `npm run demo` would, on free ports with a temporary data dir and no
// build step, and reads the URLs it prints.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Resolves once the demo prints "demo: ready": `{urls: {user: url}, base, exited, child, output()}`.
 * `exited` resolves with `{code, signal}`.
 */
export function startDemo() {
  const child = spawn(process.execPath, [join(root, 'scripts', 'demo.mjs'), '--ephemeral', '--no-build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stderr.on('data', (c) => {
    output += c;
  });
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`the demo did not get ready: ${output}`)), 60000);
    exited.then(({ code }) => {
      clearTimeout(guard);
      reject(new Error(`the demo exited with ${code}: ${output}`));
    });
    child.stdout.on('data', (c) => {
      output += c;
      if (!output.includes('demo: ready')) return;
      clearTimeout(guard);
      const urls = {};
      for (const m of output.matchAll(/^ {2}(\w+): (http:\/\/127\.0\.0\.1:\d+\/\S*)$/gm)) urls[m[1]] = m[2];
      const base = Object.values(urls)[0]?.replace(/\/\?.*$/, '');
      resolve({ urls, base, exited, child, output: () => output });
    });
  });
}
