// The UTF-8 TextEncoder/TextDecoder polyfill (js-shim/src/text-codec.js) that mini programs without
// them get, against the host's own: the same bytes for any string (lone surrogates become U+FFFD),
// the same text for any valid UTF-8 (a BOM kept, as the wasm glue asks), and a TypeError for broken
// input (the glue only ever decodes the engine's valid UTF-8).
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
});

test('decode gives the host decoder\'s text (ignoreBOM, as the glue asks) for valid UTF-8', () => {
  const ours = new Utf8Decoder();
  const host = new TextDecoder('utf-8', { ignoreBOM: true });
  for (let i = 0; i < 20000; i++) {
    const bytes = new TextEncoder().encode((i % 7 === 0 ? '\ufeff' : '') + randomString());
    assert.equal(ours.decode(bytes), host.decode(bytes));
  }
  assert.equal(ours.decode(), '');
  assert.equal(ours.decode(new Uint8Array(0)), '');
});

test('decode refuses truncated and invalid sequences with a TypeError', () => {
  const ours = new Utf8Decoder();
  const fatal = new TextDecoder('utf-8', { fatal: true });
  for (const bytes of [[0xe4, 0xbd], [0x41, 0xf0, 0x9f, 0x98], [0x80, 0x41], [0xff, 0x42], [0xc0, 0x80], [0xe4, 0x41], [0xed, 0xa0, 0x80]]) {
    const b = new Uint8Array(bytes);
    assert.throws(() => fatal.decode(b), TypeError, 'the host refuses it too');
    assert.throws(() => ours.decode(b), TypeError, JSON.stringify(bytes));
  }
});

test('decode of long text, ASCII and not, across the decoder\'s 8,192-byte pieces', () => {
  const ours = new Utf8Decoder();
  for (const unit of ['{"a":1}', 'héllo 世界 😀 ']) {
    const text = unit.repeat(Math.ceil(30000 / unit.length));
    // A piece boundary falls inside a multi-byte character.
    assert.equal(ours.decode(new TextEncoder().encode(text)), text);
  }
});
