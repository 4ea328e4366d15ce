// Argument checks shared by the façade's method groups. A failed check ends in
// `onError(ErrorCode.PARAMETER_ERROR)` (or the 2.x code of that method), never in an exception.
import { ConversationType } from './enums.js';

export const isObject = (v) => v !== null && typeof v === 'object';
export const isNonEmptyString = (v) => typeof v === 'string' && v.length > 0;
export const isNone = (v) => v === undefined || v === null;

/** The reason of a failed string check, e.g. `targetId must be a non-empty string`. */
export const notNonEmpty = (what) => `${what} must be a non-empty string`;

/** The reason of a failed conversation-type list check. */
export const BAD_TYPE_LIST = 'conversationTypes must be an array of conversation types';

const conversationTypes = new Set(Object.values(ConversationType).filter((t) => t !== ConversationType.NONE));

/** A `ConversationType` value other than NONE. */
export const isConversationType = (v) => Number.isInteger(v) && conversationTypes.has(v);

/** `undefined`/`null` → all types (`[]`); an array of conversation types → a copy; else `null`. */
export function typeList(v) {
  if (isNone(v)) return [];
  if (!Array.isArray(v) || !v.every(isConversationType)) return null;
  return v.slice();
}

/** A non-empty array of non-empty strings. */
export const isUserIdList = (v) => Array.isArray(v) && v.length > 0 && v.every(isNonEmptyString);
