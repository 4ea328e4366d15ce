// The engine binding: `Engine` is the wasm `EngineCore` (one method per engine command, with
// plain arguments; crates/wasm documents them) created from its config, with `pollOutput` parsed.
// The engine checks every argument value; what JS alone must do is hand each argument over in
// the form the boundary takes (the helpers below), since a typed boundary would coerce instead.
// scripts/build-pkg.mjs makes the wasm glue module export `Engine = engineClass(EngineCore)`.

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

    /** The next output `{type, …}`; `sendBytes` carries its frame as `bytes` (a Uint8Array). */
    pollOutput() {
      const out = JSON.parse(super.pollOutput());
      if (out.type === 'sendBytes') out.bytes = this.bytes();
      return out;
    }
  };
}
