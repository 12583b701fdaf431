import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeFetch } from './node-fetch.js';

describe('nodeFetch', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method?: string; length?: string; chunked: boolean; body: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, length: req.headers['content-length'], chunked: req.headers['transfer-encoding'] === 'chunked', body });
        if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
        else if (req.url === '/big') res.end('x'.repeat(2 << 20));
        else if (req.url === '/slow') setTimeout(() => res.end('late'), 5000).unref();
        else res.writeHead(403).end('{"no":1}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const post = (path: string, signal?: AbortSignal) =>
    nodeFetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'héllo', redirect: 'error', ...(signal ? { signal } : {}) });

  it('sends the body with its length and answers status and text', async () => {
    const r = await post('/token');
    assert.equal(r.status, 403);
    assert.equal(await r.text(), '{"no":1}');
    assert.deepEqual(seen.at(-1), { method: 'POST', length: String(Buffer.byteLength('héllo')), chunked: false, body: 'héllo' });
  });

  it('rejects a redirect, an answer too large and an aborted request, as fetch would fail them', async () => {
    await assert.rejects(post('/moved'), /redirected \(HTTP 302\)/);
    await assert.rejects(post('/big'), /answer too large/);
    const abort = new AbortController();
    const pending = post('/slow', abort.signal);
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
  });
});
