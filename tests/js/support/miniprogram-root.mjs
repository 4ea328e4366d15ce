// A mini program's root folder as WeChat DevTools' "Build npm" leaves it: the package's
// `miniprogram` folder copied to <root>/miniprogram_npm/rongimlib-wasm/. And a `WXWebAssembly`
// that, like the real one, takes only a path inside that root (no URL, no bytes), reads the file
// there and brotli-decompresses a `.br` before `WebAssembly.instantiate`.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

/** Copies the installed package's `miniprogram` folder into `root` as "Build npm" does. */
export function buildNpm(pkgDir, root) {
  const { miniprogram } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const dest = join(root, 'miniprogram_npm', 'rongimlib-wasm');
  cpSync(join(pkgDir, miniprogram), dest, { recursive: true });
  return dest;
}

/** A `WXWebAssembly` for the mini program at `root`; `instantiated` records the paths asked for. */
export function fakeWXWebAssembly(root, instantiated = []) {
  return {
    instantiated,
    instantiate(path, imports) {
      const file = typeof path === 'string' && path.startsWith('/') ? normalize(join(root, path)) : null;
      if (!file || !file.startsWith(root + sep) || !existsSync(file)) {
        return Promise.reject(new TypeError(`WXWebAssembly.instantiate: no such file in the package: ${path}`));
      }
      instantiated.push(path);
      const bytes = readFileSync(file);
      return WebAssembly.instantiate(path.endsWith('.br') ? brotliDecompressSync(bytes) : bytes, imports);
    },
  };
}
