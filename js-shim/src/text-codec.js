// UTF-8 TextEncoder/TextDecoder for hosts without them (mini programs on devices). The wasm glue
// needs `new TextDecoder('utf-8', {ignoreBOM: true})`, `decode(bytes)`, `encode(string)` and,
// optionally, `encodeInto`. Surrogate pairs map to 4-byte sequences both ways; malformed input
// decodes to U+FFFD, as the native decoder does.

/** A surrogate pair, or else a lone surrogate. */
const SURROGATES = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;

class Utf8Encoder {
  get encoding() {
    return 'utf-8';
  }

  encode(input = '') {
    // Native built-ins (an interpreter runs a per-character JS loop ~100× slower): each lone
    // surrogate becomes U+FFFD (encodeURIComponent would throw on it), then `unescape` makes each
    // `%XX` of the UTF-8 one code unit 0–255.
    const s = unescape(encodeURIComponent(String(input).replace(SURROGATES, (m) => (m.length > 1 ? m : '\ufffd'))));
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  encodeInto(input, view) {
    const bytes = this.encode(input);
    const n = Math.min(bytes.length, view.length);
    view.set(bytes.subarray(0, n));
    return { read: String(input).length, written: n };
  }
}

/** Any code unit beyond ASCII. */
const NON_ASCII = /[^\0-\x7f]/;

/** The least code point of a sequence with 0–3 continuation bytes (less is overlong). */
const LEAST = [0, 0x80, 0x800, 0x10000];

class Utf8Decoder {
  constructor(label = 'utf-8', options = {}) {
    if (!/^utf-?8$/i.test(String(label))) throw new RangeError(`unsupported encoding: ${label}`);
    this.ignoreBOM = !!(options && options.ignoreBOM);
  }

  get encoding() {
    return 'utf-8';
  }

  decode(input) {
    if (input === undefined) return '';
    const b = input instanceof Uint8Array ? input : new Uint8Array(input.buffer || input, input.byteOffset || 0, input.byteLength);
    let i = !this.ignoreBOM && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
    // Native built-ins first (an interpreter runs a per-byte JS loop ~100× slower): the bytes as
    // code units 0–255, returned as they are when all are ASCII; otherwise `escape` makes each
    // byte ≥ 0x80 a `%XX` that `decodeURIComponent` decodes as UTF-8, throwing on malformed input
    // (overlong, surrogate, truncated), which the loop below then decodes with U+FFFD.
    let latin = '';
    for (let j = i; j < b.length; j += 8192) latin += String.fromCharCode.apply(null, b.subarray(j, j + 8192));
    if (!NON_ASCII.test(latin)) return latin;
    try {
      return decodeURIComponent(escape(latin));
    } catch {
      // Malformed: decoded below.
    }
    let out = '';
    const units = [];
    const flush = () => {
      out += String.fromCharCode.apply(null, units);
      units.length = 0;
    };
    while (i < b.length) {
      const c = b[i++];
      // How many continuation bytes the lead byte announces (−1: it is no lead byte).
      const need = c < 0x80 ? 0 : c < 0xc2 ? -1 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf5 ? 3 : -1;
      let cp = need < 0 ? 0xfffd : c & (0x7f >> need);
      let k = 0;
      for (; k < need && (b[i] & 0xc0) === 0x80; k++) cp = (cp << 6) | (b[i++] & 0x3f);
      // Truncated, overlong, beyond U+10FFFF or a surrogate.
      if (k < need || cp < LEAST[need] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
      if (cp >= 0x10000) units.push(0xd7c0 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      else units.push(cp);
      if (units.length > 8000) flush();
    }
    flush();
    return out;
  }
}

const g = typeof globalThis !== 'undefined' ? globalThis : typeof global !== 'undefined' ? global : {};

/** The host's TextEncoder, or the polyfill (also installed on the global object). */
export const TextEncoder = typeof g.TextEncoder === 'function' ? g.TextEncoder : (g.TextEncoder = Utf8Encoder);
/** The host's TextDecoder, or the polyfill (also installed on the global object). */
export const TextDecoder = typeof g.TextDecoder === 'function' ? g.TextDecoder : (g.TextDecoder = Utf8Decoder);

export { Utf8Encoder, Utf8Decoder };
