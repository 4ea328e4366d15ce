// The argument checks only JS can make (the shape of JS values: objects, callbacks); the engine
// checks every argument value and decides its 2.x error code.

export const isObject = (v) => v !== null && typeof v === 'object';
export const isFunction = (v) => typeof v === 'function';
export const isNonEmptyString = (v) => typeof v === 'string' && v.length > 0;

/** The reason of a failed string check, e.g. `token must be a non-empty string`. */
export const notNonEmpty = (what) => `${what} must be a non-empty string`;
