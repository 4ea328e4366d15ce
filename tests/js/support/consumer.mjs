// A scratch consumer project under .build/consumer that installs the packed pkg/ tarball, so the
// tests and benchmarks import the built package by its name, as an app would.
//   node tests/js/support/consumer.mjs --install   packs pkg/ and (re)installs it
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const consumerDir = join(root, '.build', 'consumer');

const LOADER = `// Written by tests/js/support/consumer.mjs: imports the installed package by name.
import { createRequire } from 'node:module';
/** The Node entry (ESM). */
export const loadNode = () => import('rongimlib-wasm');
/** The Node entry through require (CommonJS). */
export const loadCjs = () => createRequire(import.meta.url)('rongimlib-wasm');
/** The mini-program entry (CommonJS), as a mini program's require would load it. */
export const loadWx = () => createRequire(import.meta.url)('rongimlib-wasm/wx');
/** Where a file of the installed package is. */
export const resolveInPackage = (p) => createRequire(import.meta.url).resolve('rongimlib-wasm/package.json').replace(/package\\.json$/, p);
`;

export function install() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packs = join(root, '.build', 'packs');
  rmSync(packs, { recursive: true, force: true });
  mkdirSync(packs, { recursive: true });
  const name = execFileSync(npm, ['pack', join(root, 'pkg'), '--pack-destination', packs, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  rmSync(consumerDir, { recursive: true, force: true });
  mkdirSync(consumerDir, { recursive: true });
  writeFileSync(
    join(consumerDir, 'package.json'),
    JSON.stringify(
      {
        name: 'rongimlib-wasm-consumer',
        private: true,
        type: 'module',
        dependencies: { 'rongimlib-wasm': `file:${join(packs, name)}` },
      },
      null,
      2,
    ),
  );
  writeFileSync(join(consumerDir, 'load.mjs'), LOADER);
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], {
    cwd: consumerDir,
    stdio: 'inherit',
  });
}

/** The consumer's loader module (install first). */
export async function consumer() {
  const loader = join(consumerDir, 'load.mjs');
  if (!existsSync(loader)) throw new Error('run: node tests/js/support/consumer.mjs --install');
  return import(pathToFileURL(loader).href);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--install')) {
  install();
}
