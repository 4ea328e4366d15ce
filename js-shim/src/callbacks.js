// Callback plumbing of the façade: 2.x callback objects or, when omitted, a Promise; app code
// that throws never reaches the driver.
import { isFunction, isObject } from './args.js';

/** Reports an exception thrown by app code without letting it unwind into the SDK. */
export function reportAppError(err) {
  try {
    if (typeof reportError === 'function') reportError(err);
    else if (typeof console !== 'undefined') console.error('RongIMLib: a callback threw', err);
  } catch {
    // Nothing sensible is left to do.
  }
}

/** Calls `fn` if it is a function; swallows and reports what it throws. */
export function safeCall(fn, ...args) {
  if (!isFunction(fn)) return;
  try {
    fn(...args);
  } catch (err) {
    reportAppError(err);
  }
}

/** Runs `fn` after the current call stack (a microtask). */
export const defer =
  typeof queueMicrotask === 'function'
    ? queueMicrotask
    : (fn) => {
        Promise.resolve().then(fn);
      };

/**
 * A request's outcome: `ok(value)` → `onSuccess(value)`, `fail(code, data, reason)` →
 * `onError(code, data)`. Without a callback object it settles the returned promise instead
 * (rejecting with `{code, message, data}`). Outcomes are delivered asynchronously, at most once.
 * @param {any} callback
 */
export function outcome(callback) {
  let settled = false;
  const once = (fn) => (...args) => {
    if (settled) return;
    settled = true;
    defer(() => fn(...args));
  };
  if (isObject(callback)) {
    // No `promise`: the method returns nothing.
    return {
      ok_: once((...v) => safeCall(callback.onSuccess, ...v)),
      fail_: once((code, data) => safeCall(callback.onError, code, data === undefined ? null : data)),
      tokenIncorrect_: once(() => {
        if (isFunction(callback.onTokenIncorrect)) safeCall(callback.onTokenIncorrect);
        else safeCall(callback.onError, TOKEN_INCORRECT_CODE);
      }),
    };
  }
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise_: promise,
    ok_: once((v) => resolve(v)),
    fail_: once((code, data, reason) =>
      reject({ code, message: reason || `error ${code}`, data: data === undefined ? null : data }),
    ),
    tokenIncorrect_: once(() =>
      reject({ code: TOKEN_INCORRECT_CODE, message: 'token incorrect', data: null }),
    ),
  };
}

/** `ErrorCode.RC_CONN_USER_OR_PASSWD_ERROR`: a refused token, when there is no onTokenIncorrect. */
export const TOKEN_INCORRECT_CODE = 31004;
