// The façade's content classes: 2.x constructor and obtain rules, and the built-in types built
// from the rows scripts/gen-tables.mjs generates at build time from the engine's tables
// (protocolTables()): comparing them with protocolTables() checks the generator and messages.js's
// parsing of the rows (objectName, tag, base class, fields in order, whole-object key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  messageClasses,
  messageParams,
  typeNameByObjectName,
  MessageType,
  MessageTag,
  NotificationMessage,
  registerContentType,
} from '../../js-shim/src/messages.js';

const require = createRequire(import.meta.url);
const engine = require(new URL('../../.build/wasm-node/im_wasm.js', import.meta.url).pathname);
const { builtinTypes } = JSON.parse(engine.protocolTables());

test('every built-in type of the engine has a class with the same objectName and tag', () => {
  assert.equal(builtinTypes.length, 43);
  for (const { objectName, typeName, tag } of builtinTypes) {
    assert.equal(typeof messageClasses[typeName], 'function', typeName);
    assert.equal(messageParams.get(typeName).objectName, objectName);
    assert.equal(messageParams.get(typeName).tag.getMessageTag(), tag, typeName);
    assert.equal(typeNameByObjectName.get(objectName), typeName);
    assert.equal(MessageType[typeName], typeName);
  }
  const builtins = Object.keys(messageClasses).filter((n) => n !== 'UnknownMessage');
  assert.deepEqual(builtins, builtinTypes.map((t) => t.typeName));
});

test("each class copies the engine's fields of its type in their order, or keeps the whole object", () => {
  for (const { typeName, fields, wholeKey, tag, objectName } of builtinTypes) {
    const Content = messageClasses[typeName];
    assert.equal(Content.name, typeName);
    assert.equal(new Content({}) instanceof NotificationMessage, tag === 1 && objectName.endsWith('Ntf'), typeName);
    if (wholeKey) {
      assert.equal(fields, undefined, typeName);
      const data = { any: 1 };
      assert.equal(new Content(data)[wholeKey], data, typeName);
      continue;
    }
    assert.ok(fields.length > 0, typeName);
    // Given in reverse with one unknown key, the fields come out in the SDK's order.
    const given = Object.fromEntries([...fields, 'notAField'].reverse().map((f) => [f, `${f}!`]));
    const made = new Content(given);
    assert.deepEqual(Object.keys(made), fields, typeName);
    // TextMessage.obtain(text) is 2.x's one-argument form (below).
    if (typeName === 'TextMessage') continue;
    assert.deepEqual(Object.keys(Content.obtain(...fields.map((f) => `${f}!`))), fields, typeName);
  }
});

test('constructors copy only declared fields and encode() is their JSON', () => {
  const t = new messageClasses.TextMessage({ content: 'hi', extra: 'x', bogus: 1 });
  assert.equal(t.messageName, 'TextMessage');
  assert.equal(t.encode(), '{"content":"hi","extra":"x"}');
  assert.equal(messageClasses.TextMessage.obtain('hi').encode(), '{"content":"hi","extra":""}');
  const loc = messageClasses.LocationMessage.obtain(39.9, 116.4, 'Beijing', 'b64');
  assert.deepEqual(JSON.parse(loc.encode()), { latitude: 39.9, longitude: 116.4, poi: 'Beijing', content: 'b64' });
});

test('whole-object classes keep and re-encode the object as it is', () => {
  const ps = new messageClasses.PublicServiceRichContentMessage({ title: 't', articles: [1] });
  assert.equal(ps.encode(), '{"title":"t","articles":[1]}');
});

test('registered types get a class, a tag and a MessageType entry, but cannot take a built-in objectName', () => {
  const Poke = registerContentType('PokeMessage', 'App:Poke', new MessageTag(true, false), ['strength']);
  assert.equal(new Poke({ strength: 3, other: 1 }).encode(), '{"strength":3}');
  assert.equal(messageParams.get('PokeMessage').tag.getMessageTag(), 2);
  assert.equal(MessageType.PokeMessage, 'PokeMessage');
  registerContentType('MyText', 'RC:TxtMsg', new MessageTag(true, true), ['content']);
  assert.equal(typeNameByObjectName.get('RC:TxtMsg'), 'TextMessage');
});

test("CommandMessage, CommandNotificationMessage and ProfileNotificationMessage parse JSON text in data, as 2.x's do", () => {
  for (const name of ['CommandMessage', 'CommandNotificationMessage', 'ProfileNotificationMessage']) {
    assert.deepEqual(new messageClasses[name]({ data: '{"a":[1,{"b":2}]}' }).data, { a: [1, { b: 2 }] }, name);
    assert.equal(new messageClasses[name]({ data: 'not json' }).data, 'not json', name);
    assert.deepEqual(new messageClasses[name]({ data: { a: 1 } }).data, { a: 1 }, name);
  }
  assert.equal(messageClasses.CommandMessage.obtain('12').data, 12);
  assert.equal(new messageClasses.GroupNotificationMessage({ data: '{"a":1}' }).data, '{"a":1}', 'other classes keep text');
});
