// Mini-program entry: WXWebAssembly.instantiate(path in the code package, imports). The build
// injects the UTF-8 TextEncoder/TextDecoder where the host has none, and checks that this bundle
// contains no eval, new Function, import.meta or fetch.
import { Engine, __wbg_finalize_init, __wbg_get_imports } from '../wasm/im_wasm.js';
import { createRongIMLib as create } from '../client.js';
import { wxPlatform } from '../platform/wx.js';

/** Where the mini program's npm build puts this package. */
const DEFAULT_WASM_PATH = '/miniprogram_npm/rongimlib-wasm/im_wasm_bg.wasm.br';

let loading = null;

function loadWasm(options) {
  if (!loading) {
    const path = (options && options.wasmPath) || DEFAULT_WASM_PATH;
    // eslint-disable-next-line no-undef
    loading = WXWebAssembly.instantiate(path, __wbg_get_imports()).then((result) => {
      __wbg_finalize_init(result.instance, result.module);
      // What the façade uses of the glue (named, so the bundle has no namespace object).
      return { Engine };
    });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** A fresh, independent `RongIMLib` namespace. Option: `wx` (defaults to the global `wx`). */
function createRongIMLib(opts = {}) {
  // eslint-disable-next-line no-undef
  const platform = () => wxPlatform(opts.wx || wx);
  const lib = create({ platform, loadWasm, defaultSecure: () => true });
  lib.createRongIMLib = createRongIMLib;
  return lib;
}

// The bundle's only export (scripts/build-pkg.mjs makes it `module.exports`).
export default createRongIMLib();
