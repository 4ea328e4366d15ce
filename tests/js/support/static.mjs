// A static file server on 127.0.0.1 for the browser tests: `page` at `/`, and the files of `dir`
// under `prefix` (as a web app serves an installed package).
import http from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

/** Resolves with `{base, close()}` once listening. */
export async function serveStatic({ page, prefix, dir }) {
  const top = dir.replace(/[\\/]+$/, '');
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    const file = path.startsWith(prefix) ? normalize(join(top, path.slice(prefix.length))) : null;
    if (!file || !file.startsWith(top + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
