// The official RongCloud server SDK (npm `rongcloud-sdk`) against the built `im-server` binary:
// it signs once per process and reuses Nonce/Timestamp, so this also proves the default
// authentication mode accepts it (server-api.md §1.3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const RongCloud = require('rongcloud-sdk');

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const exe = process.platform === 'win32' ? 'im-server.exe' : 'im-server';
const binary =
  process.env.IM_SERVER_BIN ??
  join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', exe);

const APP_KEY = 'sdktestkey';
const APP_SECRET = 'sdk-test-app-secret-0123';

let server;
let dataDir;
let sdk;
let base;

/** Starts the server on a free port (IM_ADDR port 0) and reads the bound address it prints. */
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [], {
      env: {
        ...process.env,
        IM_ADDR: '127.0.0.1:0',
        IM_DATA_DIR: dataDir,
        IM_APP_KEY: APP_KEY,
        IM_APP_SECRET: APP_SECRET,
        RUST_LOG: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const guard = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 15000);
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/[0-9.:]+)/.exec(out);
      if (m) {
        clearTimeout(guard);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`im-server exited with ${code}: ${out}`)));
  });
}

before(async () => {
  assert.ok(existsSync(binary), `build the server first: ${binary}`);
  dataDir = mkdtempSync(join(tmpdir(), 'im-server-sdk-'));
  const started = await startServer();
  server = started.child;
  base = started.url;
  sdk = RongCloud({ appkey: APP_KEY, secret: APP_SECRET, api: base });
});

after(() => {
  server?.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('User.register returns a token for the user and User.update succeeds', async () => {
  const r = await sdk.User.register({ id: 'ujadk90ha', name: 'Martin', portrait: 'http://x/p.png' });
  assert.equal(r.code, 200);
  assert.equal(r.userId, 'ujadk90ha');
  assert.equal(typeof r.token, 'string');
  assert.ok(r.token.length > 20);
  const again = await sdk.User.register({ id: 'ujadk90ha', name: 'Martin', portrait: 'http://x/p.png' });
  assert.equal(again.code, 200, 'the same nonce and timestamp are accepted again');
  const u = await sdk.User.update({ id: 'ujadk90ha', name: 'Martin 2', portrait: 'http://x/q.png' });
  assert.equal(u.code, 200);
});

test('an over-long user id is refused by the server with an error message', async () => {
  const r = await sdk.User.register({ id: 'x'.repeat(6800), name: 'Martin', portrait: 'http://x/p.png' });
  assert.notEqual(r.code, 200);
  assert.equal(typeof r.msg, 'string');
});

test('blacklist add, query and remove round-trip', async () => {
  assert.equal((await sdk.User.Blacklist.add({ id: 'ujadk90ha', blacklist: [{ id: '1001' }] })).code, 200);
  const list = await sdk.User.Blacklist.getList({ id: 'ujadk90ha' });
  assert.equal(list.code, 200);
  assert.deepEqual(list.users.map((u) => u.id ?? u), ['1001']);
  assert.equal((await sdk.User.Blacklist.remove({ id: 'ujadk90ha', blacklist: [{ id: '1001' }] })).code, 200);
  const empty = await sdk.User.Blacklist.getList({ id: 'ujadk90ha' });
  assert.equal(empty.users.length, 0);
  const fail = await sdk.User.Blacklist.remove({ id: 'ujadk90ha', blacklist: [] });
  assert.notEqual(fail.code, 200, 'no blackUserId is a server-side error');
});

test('groups: create, join, get, update, quit, sync and dismiss', async () => {
  const g = sdk.Group;
  assert.equal((await g.create({ id: 'kl9k98mn', name: 'RongCloud', members: [{ id: 'ujadk90ha' }] })).code, 200);
  assert.equal((await g.join({ id: 'kl9k98mn', name: 'RongCloud', member: { id: 'ujsk100a' } })).code, 200);
  const got = await g.get({ id: 'kl9k98mn' });
  assert.equal(got.code, 200);
  assert.deepEqual(got.members.map((m) => m.id), ['ujadk90ha', 'ujsk100a']);
  assert.equal((await g.update({ id: 'watergroup', name: 'Water' })).code, 200);
  assert.equal((await g.quit({ id: 'kl9k98mn', member: { id: 'sea9901' } })).code, 200, 'non-members may quit');
  assert.equal((await g.sync({ id: 'martin9901', groups: [{ id: 'group999', name: 'RongCloud' }] })).code, 200);
  assert.deepEqual((await g.get({ id: 'group999' })).members.map((m) => m.id), ['martin9901']);
  assert.equal((await g.dismiss({ id: 'never-created', member: { id: 'ujadk90ha' } })).code, 200);
});

test('messages: private, group, mention, system and recall are accepted', async () => {
  const m = sdk.Message;
  const content = { content: 'helloworld' };
  const priv = await m.Private.send({ senderId: 'sea9902', targetId: 'sea9901', objectName: 'RC:TxtMsg', content });
  assert.equal(priv.code, 200);
  const grp = await m.Group.send({ senderId: 'sea9902', targetId: 'kl9k98mn', objectName: 'RC:TxtMsg', content: { content: 'hi group' } });
  assert.equal(grp.code, 200);
  const mention = await m.Group.sendMention({
    senderId: 'sea9902',
    targetId: 'kl9k98mn',
    objectName: 'RC:TxtMsg',
    content: { content: 'hi @', mentionedInfo: { type: 2, userIds: ['ujsk100a'], pushContent: 'p' } },
  });
  assert.equal(mention.code, 200);
  const sys = await m.System.send({ senderId: '__SYSTEM__', targetId: ['sea9901'], objectName: 'RC:TxtMsg', content: { content: 'sys' } });
  assert.equal(sys.code, 200);
  const recall = await m.Private.recall({ senderId: 'sea9902', targetId: 'sea9901', uId: 'MUSD-FKDS-AAF1-09FH', sentTime: 1458389271011 });
  assert.equal(recall.code, 200, 'an unknown UId still answers 200');
});

test('a wrong secret is refused and mapped by the SDK to its signature error', async () => {
  const bad = RongCloud({ appkey: APP_KEY, secret: 'wrong', api: base });
  const r = await bad.User.register({ id: 'x1', name: 'X', portrait: 'http://x/p.png' });
  assert.notEqual(r.code, 200);
  // Restore the good signature for any later test in this process.
  sdk = RongCloud({ appkey: APP_KEY, secret: APP_SECRET, api: base });
  assert.equal((await sdk.User.register({ id: 'x1', name: 'X', portrait: 'http://x/p.png' })).code, 200);
});

test('sensitive words: add, list and remove through the SDK', async () => {
  const s = sdk.Sensitive;
  assert.equal((await s.add({ keyword: '小米手机', replace: 'iPhone7' })).code, 200);
  assert.equal((await s.add({ keyword: '赌博', type: 1 })).code, 200, 'type 1 sends only the word: a blocking word');
  const fail = await s.add({ keyword: '-', replace: '' });
  assert.notEqual(fail.code, 200);
  assert.equal(typeof fail.msg, 'string');
  const all = await s.getList();
  assert.equal(all.code, 200);
  const words = all.words.map((w) => [w.type, w.word, w.replaceWord]).sort();
  assert.deepEqual(words, [['0', '小米手机', 'iPhone7'], ['1', '赌博', '']]);
  const tooMany = await s.remove({ keywords: Array.from({ length: 61 }, (_, i) => `w${i}`) });
  assert.notEqual(tooMany.code, 200, '61 words are refused by the server');
  assert.equal((await s.remove({ keywords: ['小米手机', '赌博'] })).code, 200);
  assert.deepEqual((await s.getList()).words, []);
});

test('group mutes: member gag, mute-all and its whitelist through the SDK', async () => {
  const g = sdk.Group;
  assert.equal((await g.Gag.add({ id: 'watergroup', members: [{ id: 'member01' }], minute: 43200 })).code, 200);
  const gagged = await g.Gag.getList({ id: 'watergroup' });
  assert.deepEqual(gagged.members.map((m) => m.id), ['member01']);
  assert.equal((await g.Gag.remove({ id: 'watergroup', members: [{ id: 'member01' }] })).code, 200);
  assert.deepEqual((await g.Gag.getList({ id: 'watergroup' })).members, []);

  assert.equal((await g.Mute.All.add({ groups: [{ id: 'group01' }] })).code, 200);
  const muted = await g.Mute.All.getList();
  assert.deepEqual(muted.groups.map((x) => [x.id, x.isMuted]), [['group01', 1]]);
  assert.equal((await g.Mute.All.remove({ groups: [{ id: 'group01' }] })).code, 200);
  assert.deepEqual((await g.Mute.All.getList()).groups, []);

  assert.equal((await g.Mute.Whitelist.add({ id: 'watergroup', members: [{ id: 'member01' }] })).code, 200);
  const white = await g.Mute.Whitelist.getList({ id: 'watergroup' });
  assert.deepEqual(white.members, [{ id: 'member01' }]);
  assert.equal((await g.Mute.Whitelist.remove({ id: 'watergroup', members: [{ id: 'member01' }] })).code, 200);
});

test('Message.Discussion.send is accepted', async () => {
  const r = await sdk.Message.Discussion.send({
    senderId: 'sea9902',
    targetId: 'never-created',
    objectName: 'RC:TxtMsg',
    content: { content: 'hi discussion' },
  });
  assert.equal(r.code, 200);
});
