// Short names for the wasm module's plumbing imports and exports (the memory, wasm-bindgen's
// stack pointer, allocator and destructor, the one import): every host's bundle spells each of
// them, and the mini program counts every byte of its JS. scripts/build-pkg.mjs renames them in
// the package's module and in its glue; js-shim/src/engine.js calls them by these short names.
// EngineCore's method exports keep their names: js-shim/src/engine.js names the methods after them.

/** Export name → short name. */
export const EXPORTS = {
  memory: 'm',
  __wbindgen_add_to_stack_pointer: 's',
  __wbindgen_malloc: 'a',
  __wbindgen_realloc: 'r',
  __wbindgen_free: 'f',
  __wbg_enginecore_free: 'd',
  enginecore_new: 'n',
};

/** The glue's import module (wasm-bindgen's `./im_wasm_bg.js`) → short name. */
export const IMPORT_MODULE = ['./im_wasm_bg.js', 'w'];

/** An import field of that module (`__wbg_<name>_<hash>`) → its short name: `t` for the throw. */
export const importName = (field) => (/^__wbg___wbindgen_throw_[0-9a-f]+$/.test(field) ? 't' : null);

/**
 * `bytes` (a wasm module) with the imports and exports renamed as above; every other byte as it
 * was. Throws when a name to rename is missing, or an import has no short name.
 */
export function renameWasm(bytes) {
  const input = Uint8Array.from(bytes);
  let p = 8;
  const u32 = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = input[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const leb = (n) => {
    const out = [];
    do {
      let byte = n % 128;
      n = Math.floor(n / 128);
      if (n) byte |= 0x80;
      out.push(byte);
    } while (n);
    return out;
  };
  const text = new TextDecoder();
  const utf8 = new TextEncoder();
  const name = () => {
    const len = u32();
    const s = text.decode(input.subarray(p, p + len));
    p += len;
    return s;
  };
  const vec = (s) => {
    const b = utf8.encode(s);
    return [...leb(b.length), ...b];
  };
  /** The bytes from `start` to the current position. */
  const since = (start) => [...input.subarray(start, p)];

  const renamed = new Set();
  /** The output's pieces: byte arrays, and views of the input for the sections kept as they are. */
  const out = [input.subarray(0, 8)];
  while (p < input.length) {
    const id = input[p++];
    const size = u32();
    const end = p + size;
    let body;
    if (id === 2) {
      body = [];
      const count = u32();
      body.push(...leb(count));
      for (let i = 0; i < count; i++) {
        const module = name();
        const field = name();
        const start = p;
        const kind = input[p++];
        if (kind === 0) u32();
        else if (kind === 1) {
          p++;
          if (input[p++] & 1) u32();
          u32();
        } else if (kind === 2) {
          if (input[p++] & 1) u32();
          u32();
        } else p += 2;
        const short = importName(field);
        if (module !== IMPORT_MODULE[0] || !short) throw new Error(`an import without a short name: ${module} ${field}`);
        body.push(...vec(IMPORT_MODULE[1]), ...vec(short), ...since(start));
      }
    } else if (id === 7) {
      body = [];
      const count = u32();
      body.push(...leb(count));
      for (let i = 0; i < count; i++) {
        const exported = name();
        const start = p;
        p++;
        u32();
        const short = Object.hasOwn(EXPORTS, exported) ? EXPORTS[exported] : exported;
        if (short !== exported) renamed.add(exported);
        body.push(...vec(short), ...since(start));
      }
    }
    if (body && p !== end) throw new Error(`section ${id} does not end where its size says`);
    p = end;
    const content = body ? Uint8Array.from(body) : input.subarray(end - size, end);
    out.push(Uint8Array.from([id, ...leb(content.length)]), content);
  }
  const missing = Object.keys(EXPORTS).filter((e) => !renamed.has(e));
  if (missing.length) throw new Error(`the module does not export ${missing.join(', ')}`);
  const result = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
  out.reduce((at, b) => (result.set(b, at), at + b.length), 0);
  return result;
}

/** The glue's text with the same names renamed, where it names them. */
export function renameGlue(glue) {
  let out = glue
    .replace(/\bwasm\.memory\b/g, `wasm.${EXPORTS.memory}`)
    .replace(/\bwasm\.__wbg_enginecore_free\b/g, `wasm.${EXPORTS.__wbg_enginecore_free}`)
    .replace(`"${IMPORT_MODULE[0]}": import0`, `"${IMPORT_MODULE[1]}": import0`);
  out = out.replace(/\b(__wbg___wbindgen_throw_[0-9a-f]+)(?=: function)/g, (m) => importName(m));
  for (const gone of ['wasm.memory', 'wasm.__wbg_enginecore_free', IMPORT_MODULE[0], '__wbg___wbindgen_throw_']) {
    if (out.includes(gone)) throw new Error(`the glue still names ${gone}`);
  }
  return out;
}
