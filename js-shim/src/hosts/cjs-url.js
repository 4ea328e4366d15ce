// Injected into the CommonJS Node build in place of `import.meta.url`: this file's URL, from the
// CommonJS `__filename`, so the wasm is read next to it.
// eslint-disable-next-line no-undef
export const moduleUrl = require('node:url').pathToFileURL(__filename).href;
