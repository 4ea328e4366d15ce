// Calls and real-time location. 2.5.3 hands calls to RongCloud's separate call plugin and never
// built real-time location; this package ships neither. The methods exist with their 2.5.3
// arguments and answer at once, without throwing:
// - calls (`startCall`, `joinCall`, `changeMediaType`) and `getAgoraDynamicKey`: `onError` (or a
//   rejection) with `ErrorCode.VOIP_NOT_AVALIABLE` (18), as 2.5.3 answers without the plugin;
//   `hungupCall` does nothing, as there;
// - real-time location: each method returns `RealTimeLocationErrorCode.RC_REAL_TIME_LOCATION_NOT_INIT`
//   (-1), and the listener added for that conversation gets `onError(-1)`.
import { defer, outcome, safeCall } from './callbacks.js';
import { isObject } from './args.js';

/** `ErrorCode.VOIP_NOT_AVALIABLE`. */
export const VOIP_NOT_AVAILABLE = 18;
/** `RealTimeLocationErrorCode.RC_REAL_TIME_LOCATION_NOT_INIT`. */
export const LOCATION_NOT_INIT = -1;
/** Listeners kept (one per conversation; the oldest goes first). */
const MAX_LISTENERS = 64;

export function pluginMethods() {
  const refuse = (callback) => {
    const out = outcome(callback);
    out.fail_(VOIP_NOT_AVAILABLE, null, 'no call plugin');
    return out.promise_;
  };
  const listeners = new Map();
  const key = (conversationType, targetId) => `${conversationType}_${targetId}`;
  const location = (conversationType, targetId) => {
    const listener = listeners.get(key(conversationType, targetId));
    if (listener) defer(() => safeCall(listener.onError, LOCATION_NOT_INIT));
    return LOCATION_NOT_INIT;
  };
  return {
    getAgoraDynamicKey: (engineType, channelName, callback) => refuse(callback),
    startCall: (conversationType, targetId, userIds, mediaType, extra, callback) => refuse(callback),
    joinCall: (mediaType, callback) => refuse(callback),
    changeMediaType: (conversationType, targetId, mediaType, callback) => refuse(callback),
    hungupCall() {},
    addRealTimeLocationListener(conversationType, targetId, listener) {
      if (!isObject(listener)) return;
      const k = key(conversationType, targetId);
      listeners.delete(k);
      listeners.set(k, listener);
      if (listeners.size > MAX_LISTENERS) listeners.delete(listeners.keys().next().value);
    },
    getRealTimeLocation: location,
    getRealTimeLocationCurrentState: location,
    getRealTimeLocationParticipants: location,
    joinRealTimeLocation: location,
    quitRealTimeLocation: location,
    startRealTimeLocation: location,
    updateRealTimeLocationStatus: location,
  };
}
