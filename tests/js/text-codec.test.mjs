// The UTF-8 TextEncoder/TextDecoder polyfill (js-shim/src/text-codec.js) that mini programs without
// them get, against the host's own: the same bytes for any string (lone surrogates become U+FFFD),
// the same text for any valid UTF-8, the BOM handled alike, and U+FFFD for broken input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Utf8Decoder, Utf8Encoder } from '../../js-shim/src/text-codec.js';

/** A deterministic pseudo-random integer below `n`. */
let seed = 12345;
const below = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

/** A string of ASCII, 2- and 3-byte characters, surrogate pairs and lone surrogates. */
function randomString() {
  let s = '';
  for (let n = below(12); n > 0; n--) {
    const kind = below(5);
    if (kind === 0) s += String.fromCharCode(below(0x80));
    else if (kind === 1) s += String.fromCharCode(0x80 + below(0x780));
    else if (kind === 2) s += String.fromCharCode(0x800 + below(0xf800));
    else if (kind === 3) s += String.fromCodePoint(0x10000 + below(0x100000));
    else s += String.fromCharCode(0xd800 + below(0x800));
  }
  return s;
}

test('encode gives the host encoder\'s bytes, lone surrogates as U+FFFD', () => {
  const ours = new Utf8Encoder();
  const host = new TextEncoder();
  for (let i = 0; i < 20000; i++) {
    const s = randomString();
    assert.deepEqual(ours.encode(s), host.encode(s), JSON.stringify(s));
  }
  assert.deepEqual(ours.encode(), new Uint8Array(0));
  const view = new Uint8Array(8);
  assert.deepEqual(ours.encodeInto('a😀', view), { read: 3, written: 5 });
  assert.deepEqual(view.subarray(0, 5), host.encode('a😀'));
});

test('decode gives the host decoder\'s text for valid UTF-8, with or without ignoreBOM', () => {
  for (const options of [undefined, { ignoreBOM: true }]) {
    const ours = new Utf8Decoder('utf-8', options);
    const host = new TextDecoder('utf-8', options);
    for (let i = 0; i < 20000; i++) {
      const bytes = new TextEncoder().encode((i % 7 === 0 ? '\ufeff' : '') + randomString());
      assert.equal(ours.decode(bytes), host.decode(bytes));
    }
    assert.equal(ours.decode(), '');
  }
});

test('decode turns truncated and invalid sequences into U+FFFD and keeps the rest', () => {
  const ours = new Utf8Decoder();
  const host = new TextDecoder();
  for (const bytes of [[0xe4, 0xbd], [0x41, 0xf0, 0x9f, 0x98], [0x80, 0x41], [0xff, 0x42], [0xc0, 0x80], [0xe4, 0x41]]) {
    const text = ours.decode(new Uint8Array(bytes));
    assert.ok(text.includes('\ufffd'), JSON.stringify(bytes));
    assert.equal(text.replace(/\ufffd/g, ''), host.decode(new Uint8Array(bytes)).replace(/\ufffd/g, ''), JSON.stringify(bytes));
  }
});

test('decode of long text, ASCII and not, across the decoder\'s 8,192-byte pieces', () => {
  const ours = new Utf8Decoder();
  const host = new TextDecoder();
  for (const unit of ['{"a":1}', 'héllo 世界 😀 ']) {
    const text = unit.repeat(Math.ceil(30000 / unit.length));
    const bytes = new TextEncoder().encode(text);
    assert.equal(ours.decode(bytes), text);
    // A piece boundary inside a multi-byte character, and a broken byte far in.
    const broken = bytes.slice();
    broken[20000] = 0xff;
    assert.equal(ours.decode(broken).length, host.decode(broken).length);
  }
});
