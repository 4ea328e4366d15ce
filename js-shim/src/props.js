// Property definitions the façade's classes repeat.

/** A read-only, non-enumerable `key`: a class's name, a content's messageName, private state. */
export const hidden = (o, key, value) => Object.defineProperty(o, key, { value });

/** `key` as class syntax defines a method: writable, configurable, not enumerable. */
export const method = (o, key, value) => Object.defineProperty(o, key, { value, writable: true, configurable: true });
