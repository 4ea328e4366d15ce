// The official RongCloud server SDK's own spec suite (npm `rongcloud-sdk` 3.1.1, its `spec/`
// directory: Jasmine 2 specs and their fixture file) run against the built `im-server` binary.
// Jasmine itself is not installed: the few parts of its API the specs use (describe, it,
// beforeAll with a shared `this`, expect(...).toEqual / toBeUndefined and their `.not`) are
// mapped onto node:test here, in Jasmine's file order. The fixture file builds its SDK instance
// for RongCloud's public hosts; it is rebuilt for this server, with this server's app key (the
// fixture's secret is shorter than the server accepts). Every call the specs make is recorded,
// and no endpoint the SDK calls may answer 404.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { startServer, APP_KEY, APP_SECRET } from './support/server.mjs';

const require = createRequire(import.meta.url);

// Record every request before any SDK module captures `request` (each does at load time).
const requestModule = require('rongcloud-sdk/lib/request.js');
const send = requestModule.request;
const calls = [];
requestModule.request = (params) => {
  const url = params.url;
  return send(params).then(
    (res) => {
      calls.push({ url, status: res.status, code: res.text?.code });
      return res;
    },
    (err) => {
      let code;
      try {
        code = JSON.parse(err.response?.text ?? '{}').code;
      } catch {
        code = undefined;
      }
      calls.push({ url, status: err.status, code });
      throw err;
    },
  );
};

const sdkRoot = dirname(require.resolve('rongcloud-sdk/package.json'));
const specDir = join(sdkRoot, 'spec');

/** `spec/**\/*Spec.js`, sorted as Jasmine's glob lists them. */
function specFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...specFiles(path));
    else if (name.endsWith('Spec.js')) out.push(path);
  }
  return out.sort((a, b) => relative(specDir, a).localeCompare(relative(specDir, b)));
}

// The Jasmine globals, collecting a tree of suites.
const root = { name: '', beforeAll: [], items: [] };
let current = root;
const context = {};
globalThis.describe = (name, fn) => {
  const suite = { name, beforeAll: [], items: [] };
  current.items.push({ suite });
  const parent = current;
  current = suite;
  try {
    fn.call(context);
  } finally {
    current = parent;
  }
};
globalThis.it = (name, fn) => current.items.push({ spec: { name, fn } });
globalThis.beforeAll = (fn) => current.beforeAll.push(fn);
globalThis.expect = (actual) => {
  const matchers = (negate) => ({
    toEqual: (expected) =>
      assert.equal(isDeepStrictEqual(actual, expected), !negate, `expected ${JSON.stringify(actual)} ${negate ? 'not ' : ''}to equal ${JSON.stringify(expected)}`),
    toBeUndefined: () =>
      assert.equal(actual === undefined, !negate, `expected ${JSON.stringify(actual)} ${negate ? 'not ' : ''}to be undefined`),
  });
  return { ...matchers(false), not: matchers(true) };
};

const helpers = join(specDir, 'helpers', 'data.js');
require(helpers);
const files = specFiles(specDir);
for (const file of files) require(file);

let server;
let specCount = 0;

before(async () => {
  server = await startServer();
  for (const fn of root.beforeAll) await fn.call(context);
  const RongCloud = require('rongcloud-sdk');
  context.rongSDK = RongCloud({ appkey: APP_KEY, secret: APP_SECRET, api: `http://${server.host}` });
});

after(async () => {
  await server?.stop();
});

/** Registers a collected suite with node:test. */
function register(suite) {
  describe(suite.name, () => {
    before(async () => {
      for (const fn of suite.beforeAll) await fn.call(context);
    });
    for (const item of suite.items) {
      if (item.suite) register(item.suite);
      else {
        specCount += 1;
        const { name, fn } = item.spec;
        it(name, async () => {
          await fn.call(context);
        });
      }
    }
  });
}
for (const item of root.items) register(item.suite);

describe('the run as a whole', () => {
  it('ran every spec of the suite and no call met an unknown endpoint', () => {
    assert.ok(files.length >= 12, `spec files: ${files.length}`);
    assert.ok(specCount >= 200, `specs: ${specCount}`);
    const unknown = calls.filter((c) => c.status === 404 || c.code === 404).map((c) => c.url);
    assert.deepEqual([...new Set(unknown)], [], 'endpoints answered 404');
    const urls = new Set(calls.map((c) => c.url));
    for (const url of [
      'user/tag/set',
      'user/tag/batch/set',
      'user/tags/get',
      'message/private/publish_template',
      'message/system/publish_template',
      'message/broadcast',
      'message/history',
      'message/history/delete',
      'push',
    ]) {
      assert.ok(urls.has(url), `the specs called ${url}`);
      const ok = calls.filter((c) => c.url === url && c.code === 200);
      assert.ok(ok.length > 0, `${url} answered 200 at least once: ${JSON.stringify(calls.filter((c) => c.url === url))}`);
    }
  });
});
