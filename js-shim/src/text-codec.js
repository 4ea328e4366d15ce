// UTF-8 TextEncoder/TextDecoder for hosts without them (mini programs on devices). The wasm glue
// needs `new TextDecoder('utf-8', {ignoreBOM: true})`, `decode(bytes)`, `encode(string)` and,
// optionally, `encodeInto`. Surrogate pairs map to 4-byte sequences both ways; malformed input
// decodes to U+FFFD, as the native decoder does.

class Utf8Encoder {
  get encoding() {
    return 'utf-8';
  }

  encode(input = '') {
    const s = String(input);
    const out = [];
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return Uint8Array.from(out);
  }

  encodeInto(input, view) {
    const bytes = this.encode(input);
    const n = Math.min(bytes.length, view.length);
    view.set(bytes.subarray(0, n));
    return { read: String(input).length, written: n };
  }
}

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
    let i = 0;
    if (!this.ignoreBOM && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
    let out = '';
    const units = [];
    const flush = () => {
      out += String.fromCharCode.apply(null, units);
      units.length = 0;
    };
    while (i < b.length) {
      const c = b[i];
      let cp = 0xfffd;
      let need = 0;
      let min = 0;
      if (c < 0x80) {
        cp = c;
      } else if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        cp = c & 0x1f;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        cp = c & 0x0f;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        cp = c & 0x07;
        min = 0x10000;
      }
      i++;
      let ok = true;
      for (let k = 0; k < need; k++) {
        const d = b[i];
        if (d === undefined || (d & 0xc0) !== 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (d & 0x3f);
        i++;
      }
      if (!ok || (need && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)))) cp = 0xfffd;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      } else {
        units.push(cp);
      }
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
