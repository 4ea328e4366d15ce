// Calls and real-time location, which need RongCloud's call plugin that the package does not
// include: each method exists, takes its 2.5.3 arguments and answers with one documented code —
// calls onError(ErrorCode.VOIP_NOT_AVALIABLE) or a rejection, location methods
// RealTimeLocationErrorCode.RC_REAL_TIME_LOCATION_NOT_INIT and the listener's onError — and none
// throws, whatever it is given.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { consumer } from './support/consumer.mjs';

let R;
let im;

before(async () => {
  const c = await consumer();
  R = (await c.loadNode()).default.createRongIMLib();
  im = R.RongIMClient.init('plugins-appkey', null, { navi: '127.0.0.1:9' });
});

/** The code `onError` gets from `call(callback)`. */
const errorOf = (call) =>
  new Promise((resolve, reject) => {
    call({ onSuccess: (v) => reject(new Error(`onSuccess(${v})`)), onError: resolve });
  });

test('calls answer onError or reject with VOIP_NOT_AVALIABLE, and hungupCall does nothing', async () => {
  const code = R.ErrorCode.VOIP_NOT_AVALIABLE;
  assert.equal(code, 18);
  const audio = R.VoIPMediaType.MEDIA_AUDIO;
  const P = R.ConversationType.PRIVATE;
  assert.equal(await errorOf((cb) => im.startCall(P, 'bob', ['bob'], audio, '', cb)), code);
  assert.equal(await errorOf((cb) => im.joinCall(audio, cb)), code);
  assert.equal(await errorOf((cb) => im.changeMediaType(P, 'bob', audio, cb)), code);
  assert.equal(await errorOf((cb) => im.getAgoraDynamicKey(1, 'channel', cb)), code);
  await assert.rejects(im.startCall(P, 'bob', ['bob'], audio, ''), (e) => e.code === code);
  await assert.rejects(im.getAgoraDynamicKey(1, 'channel'), (e) => e.code === code);
  assert.equal(im.hungupCall(P, 'bob', 0), undefined);
});

test('location methods return NOT_INIT and tell the listener of that conversation', async () => {
  const NOT_INIT = R.RealTimeLocationErrorCode.RC_REAL_TIME_LOCATION_NOT_INIT;
  assert.equal(NOT_INIT, -1);
  const P = R.ConversationType.PRIVATE;
  const heard = [];
  im.addRealTimeLocationListener(P, 'bob', { onError: (c) => heard.push(['bob', c]) });
  im.addRealTimeLocationListener(P, 'carol', { onError: (c) => heard.push(['carol', c]) });
  for (const name of ['getRealTimeLocation', 'getRealTimeLocationCurrentState', 'getRealTimeLocationParticipants',
    'joinRealTimeLocation', 'quitRealTimeLocation', 'startRealTimeLocation']) {
    assert.equal(im[name](P, 'bob'), NOT_INIT, name);
  }
  assert.equal(im.updateRealTimeLocationStatus(P, 'bob', 39.9, 116.4), NOT_INIT);
  // A conversation without a listener gets only the returned code.
  assert.equal(im.startRealTimeLocation(P, 'dave'), NOT_INIT);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(heard, Array(7).fill(['bob', NOT_INIT]));
});

test('no call or location method throws on missing or wrong arguments', async () => {
  const names = ['startCall', 'joinCall', 'hungupCall', 'changeMediaType', 'getAgoraDynamicKey',
    'addRealTimeLocationListener', 'getRealTimeLocation', 'updateRealTimeLocationStatus'];
  for (const name of names) {
    for (const args of [[], [null, undefined, 5], ['x', {}, [], () => {}, 'y', 7]]) {
      let result;
      assert.doesNotThrow(() => {
        result = im[name](...args);
      }, `${name}(${args.length} args)`);
      if (result && typeof result.then === 'function') await result.catch(() => {});
    }
  }
});
