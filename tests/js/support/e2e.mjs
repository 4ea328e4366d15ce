// The shared set-up of an end-to-end test file: the installed package's Node and mini-program
// builds, one im-server for the file, and every user made through `online` disconnected when
// the file ends.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consumer } from './consumer.mjs';
import { startServer } from './server.mjs';
import { makeUser } from './clients.mjs';
import { loadWxBuild } from './wx-host.mjs';

/**
 * Registers the file's `before`/`after` hooks. The returned object's `node`, `wxLib` and
 * `server` are set once `before` has run, and then `ready(ctx)` is called. `serverConfig`: extra
 * fields of the server's config (see startServer).
 * @param {(ctx: any) => void} [ready]
 * @param {object} [serverConfig]
 */
export function e2e(ready = () => {}, serverConfig = undefined) {
  const ctx = {
    node: null,
    wxLib: null,
    server: null,
    users: [],
    /** A connected user on `lib` (the Node build by default), with `options` as for makeUser. */
    async online(userId, options = {}, lib = ctx.node) {
      const u = await makeUser(lib, ctx.server, userId, options);
      ctx.users.push(u);
      assert.equal(await u.connect(), userId);
      return u;
    },
  };
  before(async () => {
    const c = await consumer();
    ctx.node = (await c.loadNode()).default;
    ctx.wxLib = loadWxBuild(c).lib;
    ctx.server = await startServer(serverConfig);
    ready(ctx);
  });
  after(async () => {
    for (const u of ctx.users) u.im().disconnect();
    await ctx.server?.stop();
  });
  return ctx;
}
