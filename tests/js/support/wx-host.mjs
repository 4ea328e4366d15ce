// Loads the package's mini-program build in Node the way a mini program would: a `wx` global
// whose SocketTask and request use real sockets, a `WXWebAssembly` that accepts only a package
// path (like the real one) to a `.wasm` or a brotli-compressed `.wasm.br` file, and no
// TextEncoder/TextDecoder while the bundle loads (so it runs on its own UTF-8 codec).
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { createFakeWx } from './fake-wx.mjs';

const PACKAGE_DIR = '/miniprogram_npm/rongimlib-wasm/';

export function loadWxBuild(consumer) {
  globalThis.wx = createFakeWx();
  const instantiated = [];
  globalThis.WXWebAssembly = {
    instantiate(path, imports) {
      if (typeof path !== 'string' || !path.startsWith(PACKAGE_DIR)) {
        return Promise.reject(new TypeError(`WXWebAssembly.instantiate: not a package path: ${path}`));
      }
      instantiated.push(path);
      const file = consumer.resolveInPackage(`miniprogram_dist/${path.slice(PACKAGE_DIR.length)}`);
      const bytes = readFileSync(file);
      return WebAssembly.instantiate(path.endsWith('.br') ? brotliDecompressSync(bytes) : bytes, imports);
    },
  };
  const native = { TextEncoder: globalThis.TextEncoder, TextDecoder: globalThis.TextDecoder };
  delete globalThis.TextEncoder;
  delete globalThis.TextDecoder;
  let lib;
  let polyfilled;
  try {
    lib = consumer.loadWx();
    // The glue makes its TextDecoder as it loads: it has its own, and leaves the global alone.
    polyfilled = globalThis.TextDecoder === undefined && globalThis.TextEncoder === undefined;
  } finally {
    Object.assign(globalThis, native);
  }
  return { lib, polyfilled, instantiated };
}
