// In-memory storage for hosts without persistent storage (Node) and as a fallback.

/** @returns {import('./types.js').Storage} */
export function memoryStorage() {
  const map = new Map();
  return {
    get: (key) => (map.has(key) ? map.get(key) : null),
    set: (key, value) => {
      map.set(key, String(value));
    },
    remove: (key) => {
      map.delete(key);
    },
    keys: () => [...map.keys()],
  };
}
