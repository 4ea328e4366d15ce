// Injected into the classic-script (IIFE) build in place of `import.meta.url`: the URL of the
// <script> being run, read while it runs, so the wasm is fetched next to it.
export const scriptUrl =
  (typeof document !== 'undefined' && document.currentScript && document.currentScript.src) ||
  (typeof location !== 'undefined' ? location.href : '');
