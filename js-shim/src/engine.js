// The engine binding: `Engine` is the wasm `EngineCore` (one method per engine command, with
// plain arguments; crates/wasm documents them) created from its config, with `pollOutput` parsed.
// The engine checks every argument value; what JS alone must do is hand each argument over in
// the form the boundary takes (the helpers below), since a typed boundary would coerce instead.
// scripts/build-pkg.mjs makes the wasm glue module export `EngineCore = coreClass(abi, table)`
// and `Engine = engineClass(EngineCore)`; scripts/slim-glue.mjs reads the table off the
// wasm-bindgen output and explains its letters.

/** `ErrorCode.PARAMETER_ERROR`. */
const PARAMETER_ERROR = -3;

/** An Error with a 2.x `code`. */
export function failure(message, code = PARAMETER_ERROR) {
  const err = new Error(message);
  err.code = code;
  return err;
}

const refuse = (v, what) => {
  throw failure(`expected ${what}, got ${v === null ? 'null' : typeof v}`);
};

/** A string argument: `null`/`undefined` stay absent, any other non-string is refused. */
export const str = (v) => (v == null ? undefined : typeof v === 'string' ? v : refuse(v, 'a string'));
/** A number argument: anything else reaches the engine as NaN, which it refuses. */
export const num = (v) => (typeof v === 'number' ? v : NaN);
/** An optional number argument. */
export const optNum = (v) => (v == null ? undefined : num(v));
/** A list of numbers (conversation types). */
export const nums = (v) => (v == null ? undefined : Array.isArray(v) ? v.map(num) : refuse(v, 'an array'));
/** A list of strings (user ids), as the JSON text the engine reads. */
export const strs = (v) => (v == null ? undefined : Array.isArray(v) ? JSON.stringify(v) : refuse(v, 'an array'));

/**
 * The value of a command answered at once: JSON, `""` for none, or `!code reason` (thrown as
 * an Error with that code).
 */
export function answer(text) {
  if (text[0] === '!') {
    const space = text.indexOf(' ');
    throw failure(text.slice(space + 1), Number(text.slice(1, space)));
  }
  return text === '' ? undefined : JSON.parse(text);
}

// The module's plumbing exports have short names (scripts/wasm-names.mjs): `s` wasm-bindgen's
// stack pointer, `a`/`r`/`f` its malloc, realloc and free, `n`/`d` EngineCore's constructor and
// destructor.

/**
 * Calls the raw export `raw` with the words `self` (`[the object's pointer]`; `[]` for a free
 * function) and `args` passed as the signature `sig` says, and returns its value as `sig` says: wasm-bindgen's
 * ABI, as its generated wrappers spell it out method by method.
 */
function invoke(abi, raw, sig, self, args) {
  const wasm = abi.wasm_();
  const ret = sig[0];
  const kinds = sig.slice(1);
  // Numbers first, as the wrappers convert them: a failing conversion allocates nothing.
  const values = [...kinds].map((kind, i) => (kind === 'N' || (kind === 'n' && args[i] != null) ? +args[i] : args[i]));
  // A string or bytes come back as (pointer, length) in a two-word slot on the wasm stack.
  const viaStack = ret === 'S' || ret === 's' || ret === 'B';
  const slot = viaStack ? wasm.s(-16) >>> 0 : 0;
  try {
    const words = viaStack ? [slot, ...self] : [...self];
    values.forEach((value, i) => {
      const kind = kinds[i];
      if (kind === 'N') words.push(value);
      // Option<f64>: whether there is one, then the number.
      else if (kind === 'n') words.push(value != null, value == null ? 0 : value);
      // A lower-case kind is optional: a null pointer for none.
      else if (kind !== kind.toUpperCase() && value == null) words.push(0, 0);
      else words.push(abi.pass_[kind.toUpperCase()](value, wasm.a, wasm.r), abi.len_());
    });
    const value = wasm[raw](...words);
    if (!viaStack) return ret === 'U' ? value >>> 0 : ret === 'N' ? value : undefined;
    const view = abi.view_();
    const ptr = view.getInt32(slot, true);
    const len = view.getInt32(slot + 4, true);
    if (ret === 's' && ptr === 0) return undefined;
    const result = ret === 'B' ? abi.bytes_(ptr, len).slice() : abi.text_(ptr, len);
    wasm.f(ptr, len, 1);
    return result;
  } finally {
    if (viaStack) wasm.s(16);
  }
}

/** A free function of the module from its signature. */
export function wasmFunction(abi, name, sig) {
  return (...args) => invoke(abi, name, sig, [], args);
}

/**
 * The glue's `EngineCore`: the wasm object's lifetime as wasm-bindgen writes it, and, once
 * `EngineCore.define_()` has run on the instantiated module, one method per raw export
 * `enginecore_<name>`, named `<name>`. `signatures`
 * has their signatures, space-separated, in the order of those exports sorted by name
 * (scripts/slim-glue.mjs writes it; scripts/build-pkg.mjs checks it against the module).
 */
export function coreClass(abi, signatures) {
  class EngineCore {
    constructor() {
      this.__wbg_ptr = abi.wasm_().n();
      abi.finalization_.register(this, this.__wbg_ptr, this);
    }

    free() {
      const ptr = this.__wbg_ptr;
      this.__wbg_ptr = 0;
      abi.finalization_.unregister(this);
      abi.wasm_().d(ptr, 0);
    }
  }
  const sigs = signatures.split(' ');
  EngineCore.define_ = () =>
    Object.keys(abi.wasm_())
      .filter((raw) => /^enginecore_/.test(raw))
      .sort()
      .forEach((raw, i) => {
        const sig = sigs[i];
        EngineCore.prototype[raw.slice(11)] = function (...args) {
          return invoke(abi, raw, sig, [this.__wbg_ptr], args);
        };
      });
  if (Symbol.dispose) EngineCore.prototype[Symbol.dispose] = EngineCore.prototype.free;
  return EngineCore;
}

/** The `Engine` class over the glue's `EngineCore`. */
export function engineClass(EngineCore) {
  return class Engine extends EngineCore {
    /** A config object: `appKey`, `naviHosts`, `secure`, `seed`, `storage`, … (im_client::Config). */
    constructor(config) {
      super();
      const reason = this.configure(JSON.stringify(config));
      if (reason) {
        this.free();
        throw failure(reason);
      }
    }

    /**
     * The next output `{type, …}`; `sendBytes` carries its frame as `bytes` (a Uint8Array), and
     * `persist` its value, which crosses as a string of its own rather than inside the JSON.
     */
    pollOutput() {
      const out = JSON.parse(super.pollOutput());
      if (out.type === 'sendBytes') out.bytes = this.bytes();
      else if (out.type === 'persist') out.value = this.text();
      return out;
    }
  };
}
