// Node entry: the wasm is read next to this file and compiled synchronously; sockets use `ws`.
import { readFileSync } from 'node:fs';
import * as glue from '../wasm/im_wasm.js';
import { createRongIMLib as create } from '../client.js';
import { nodePlatform } from '../platform/node.js';
import { wxPlatform } from '../platform/wx.js';

let ready = null;
let memory = null;

function loadWasm() {
  if (!ready) {
    const bytes = readFileSync(new URL('./im_wasm_bg.wasm', import.meta.url));
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, glue.__wbg_get_imports());
    glue.__wbg_finalize_init(instance, module);
    memory = instance.exports.m; // the memory's short name (scripts/wasm-names.mjs)
    ready = glue;
  }
  return ready;
}

/**
 * A fresh, independent `RongIMLib` namespace (its own RongIMClient). Options: `platform` (a
 * complete Platform), or `wx` (a mini-program `wx` object to run the mini-program adapter).
 */
export function createRongIMLib(opts = {}) {
  const platform = () => opts.platform || (opts.wx ? wxPlatform(opts.wx) : nodePlatform());
  const lib = create({ platform, loadWasm, defaultSecure: () => true });
  lib.createRongIMLib = createRongIMLib;
  return lib;
}

/** The platform adapters, e.g. to wrap one in a tool or a benchmark. */
export const platforms = { node: nodePlatform, wx: wxPlatform };

/** The wasm bindings themselves (codec diagnostics, `Engine`), for tools and benchmarks. */
export function wasmBindings() {
  return loadWasm();
}

/** Bytes of linear memory the wasm engine holds now (it only grows), for benchmarks. */
export function wasmMemoryBytes() {
  loadWasm();
  return memory ? memory.buffer.byteLength : 0;
}

export const RongIMLib = createRongIMLib();
export const { RongIMClient } = RongIMLib;
export default RongIMLib;
