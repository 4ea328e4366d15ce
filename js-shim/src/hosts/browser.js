// Browser entry: the wasm is fetched next to this file (or from `init` option `wasmPath`).
import * as glue from '../wasm/im_wasm.js';
import { createRongIMLib as create } from '../client.js';
import { browserPlatform } from '../platform/browser.js';

let loading = null;

function loadWasm(options) {
  if (!loading) {
    const url = (options && options.wasmPath) || new URL('./im_wasm_bg.wasm', import.meta.url);
    loading = fetch(url)
      .then((res) => {
        if (!res.ok) throw new Error(`wasm not found: ${res.status}`);
        return res.arrayBuffer();
      })
      .then((bytes) => WebAssembly.instantiate(bytes, glue.__wbg_get_imports()))
      .then(({ instance, module }) => {
        glue.__wbg_finalize_init(instance, module);
        return glue;
      });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** A fresh, independent `RongIMLib` namespace. Option: `platform` (a complete Platform). */
export function createRongIMLib(opts = {}) {
  const platform = () => opts.platform || browserPlatform();
  const secure = () => typeof location === 'undefined' || location.protocol !== 'http:';
  const lib = create({ platform, loadWasm, defaultSecure: secure });
  lib.createRongIMLib = createRongIMLib;
  return lib;
}

export const RongIMLib = createRongIMLib();
export const { RongIMClient } = RongIMLib;
export default RongIMLib;
