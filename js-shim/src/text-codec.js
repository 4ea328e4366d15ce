// UTF-8 TextEncoder/TextDecoder for the mini program's bundle, whose host may have none: the build
// injects these for the wasm glue's references (the host's own where it has them; the global
// object is left alone). The glue decodes nothing but the engine's own strings, which are valid
// UTF-8, and keeps a BOM (`ignoreBOM`), so the decoder does exactly that and throws a TypeError on
// malformed bytes; the encoder turns lone surrogates into U+FFFD, as the native one does.

/** A surrogate pair, or else a lone surrogate. */
const SURROGATES = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;

class Utf8Encoder {
  encode(input = '') {
    // Native built-ins (an interpreter runs a per-character JS loop ~100× slower): each lone
    // surrogate becomes U+FFFD (encodeURIComponent would throw on it), then `unescape` makes each
    // `%XX` of the UTF-8 one code unit 0–255.
    const s = unescape(encodeURIComponent(String(input).replace(SURROGATES, (m) => (m.length > 1 ? m : '\ufffd'))));
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
}

class Utf8Decoder {
  /** The text of UTF-8 `bytes` (a Uint8Array; none: ''). */
  decode(bytes) {
    // The bytes as code units 0–255, returned as they are when all are ASCII; otherwise `escape`
    // makes each byte ≥ 0x80 a `%XX` that `decodeURIComponent` decodes as UTF-8.
    let latin = '';
    if (bytes) for (let i = 0; i < bytes.length; i += 8192) latin += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    if (!/[^\0-\x7f]/.test(latin)) return latin;
    try {
      return decodeURIComponent(escape(latin));
    } catch {
      throw new TypeError('invalid UTF-8');
    }
  }
}

const g = typeof globalThis !== 'undefined' ? globalThis : typeof global !== 'undefined' ? global : {};

/** The host's TextEncoder, or the polyfill. */
export const TextEncoder = g.TextEncoder || Utf8Encoder;
/** The host's TextDecoder, or the polyfill. */
export const TextDecoder = g.TextDecoder || Utf8Decoder;

export { Utf8Encoder, Utf8Decoder };
