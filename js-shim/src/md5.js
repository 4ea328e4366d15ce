// MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) of UTF-8 text, for `RongUtil.MD5(text, key, raw)`:
// lowercase hex, or with `raw` a string of byte values (one char per byte).
import { TextEncoder } from './text-codec.js';

const K = [];
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0;
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** The 16 digest bytes of an array of bytes. */
function digest(bytes) {
  const m = bytes.slice();
  const bits = bytes.length * 8;
  m.push(0x80);
  while (m.length % 64 !== 56) m.push(0);
  for (let i = 0; i < 8; i++) m.push(Math.floor(bits / 2 ** (8 * i)) & 255);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let o = 0; o < m.length; o += 64) {
    let [a, b, c, d] = h;
    for (let i = 0; i < 64; i++) {
      // Round r = i / 16: its function of b, c, d and the word it reads.
      const r = i >> 4;
      const f = [(b & c) | (~b & d), (d & b) | (~d & c), b ^ c ^ d, c ^ (b | ~d)][r];
      const g = 4 * ([i, 5 * i + 1, 3 * i + 5, 7 * i][r] % 16) + o;
      const x = (a + f + K[i] + (m[g] | (m[g + 1] << 8) | (m[g + 2] << 16) | (m[g + 3] << 24))) | 0;
      const s = SHIFTS[r * 4 + (i & 3)];
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
  }
  const out = [];
  for (const v of h) out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  return out;
}

const utf8 = (s) => Array.from(new TextEncoder().encode(String(s)));

/** `md5(text)`, or HMAC-MD5 with `key`; hex, or a byte string with `raw`. */
export function md5(text, key, raw) {
  let out = utf8(text);
  if (key === undefined || key === null) out = digest(out);
  else {
    let k = utf8(key);
    if (k.length > 64) k = digest(k);
    const pad = (x) => Array.from({ length: 64 }, (_, i) => (k[i] || 0) ^ x);
    out = digest(pad(0x5c).concat(digest(pad(0x36).concat(out))));
  }
  return out.map((b) => (raw ? String.fromCharCode(b) : (b < 16 ? '0' : '') + b.toString(16))).join('');
}
