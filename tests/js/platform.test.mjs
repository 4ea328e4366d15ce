// The platform adapters against a real HTTP + WebSocket server on 127.0.0.1: Node (ws, http) and
// mini program (a fake `wx` whose SocketTask and request use real connections).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { nodePlatform } from '../../js-shim/src/platform/node.js';
import { wxPlatform } from '../../js-shim/src/platform/wx.js';
import { createFakeWx } from './support/fake-wx.mjs';

let server;
let base;

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url.startsWith('/ping')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('');
    } else if (req.url.startsWith('/navi.json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":200,"server":"a"}');
    } else if (req.url.startsWith('/hang')) {
      // Never answers: the adapter's timeout must end the request.
    } else {
      res.writeHead(404).end('missing');
    }
  });
  const wss = new WebSocketServer({ server, path: '/websocket' });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      if (data[0] === 0xc0) ws.send(Buffer.from([0xd0])); // PINGREQ → PINGRESP
      if (data[0] === 0xff) ws.close(4000);
    });
    ws.send('text frames are ignored');
    ws.send(Buffer.from([0x20, 0x00, 0x04]));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `127.0.0.1:${server.address().port}`;
});

after(() => {
  server.closeAllConnections?.();
  server.close();
});

const get = (p, url, timeout = 2000) => new Promise((resolve) => p.httpGet(url, timeout, resolve));

function socketRoundTrip(p) {
  return new Promise((resolve, reject) => {
    const seen = [];
    const guard = setTimeout(() => reject(new Error('no close within 5 s')), 5000);
    const sock = p.openSocket(`ws://${base}/websocket?appId=k&token=t`, {
      onOpen: () => sock.send(Uint8Array.from([0xc0])),
      onMessage: (bytes) => {
        assert.ok(bytes instanceof Uint8Array);
        seen.push([...bytes]);
        if (seen.length === 2) sock.send(Uint8Array.from([0xff]));
      },
      onClose: (code) => {
        clearTimeout(guard);
        resolve({ seen, code });
      },
      onError: () => {},
    });
  });
}

for (const [name, make] of [
  ['node', () => nodePlatform()],
  ['wx', () => wxPlatform(createFakeWx())],
]) {
  test(`${name}: GET returns status and body, failures and timeouts return status 0`, async () => {
    const p = make();
    assert.deepEqual(await get(p, `http://${base}/navi.json`), { status: 200, body: '{"code":200,"server":"a"}' });
    assert.equal((await get(p, `http://${base}/nope`)).status, 404);
    assert.equal((await get(p, `http://${base}/hang`, 200)).status, 0);
    assert.equal((await get(p, 'http://127.0.0.1:1/refused')).status, 0);
  });

  test(`${name}: the socket carries binary frames both ways and reports the close code`, async () => {
    const { seen, code } = await socketRoundTrip(make());
    assert.deepEqual(seen, [[0x20, 0x00, 0x04], [0xd0]]);
    assert.equal(code, 4000);
  });

  test(`${name}: storage returns null for missing keys and lists keys`, () => {
    const { storage } = make();
    assert.equal(storage.get('missing'), null);
    storage.set('rong_k', 'v');
    assert.equal(storage.get('rong_k'), 'v');
    assert.deepEqual(storage.keys(), ['rong_k']);
    storage.remove('rong_k');
    assert.equal(storage.get('rong_k'), null);
  });
}
