/**
 * The registry client's HTTP (src/registry/http.ts) against real servers on loopback: redirects
 * (Authorization kept on the origin, dropped off it; 303 turns into GET; a streamed body is never
 * sent twice), headers, bodies, and connection failures with Node's error codes.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { drain, readBody, request } from '../../../src/registry/http.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const body = (await readBody(req)).toString();
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    handler(req, res, body);
  });
  return { server, seen };
}

const listen = (s: Server) =>
  new Promise<string>((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );

const storage = serve((_req, res) => {
  res.setHeader('x-multi', ['a', 'b']);
  res.end('blob bytes');
});
let storageUrl = '';
const registry = serve((req, res) => {
  if (req.url === '/cross') res.writeHead(307, { location: `${storageUrl}/blob` }).end();
  else if (req.url === '/same') res.writeHead(302, { location: '/final' }).end();
  else if (req.url === '/see-other') res.writeHead(303, { location: '/final' }).end();
  else if (req.url === '/loop') res.writeHead(307, { location: '/loop' }).end();
  else res.end(`final ${req.method}`);
});
let registryUrl = '';

before(async () => {
  storageUrl = await listen(storage.server);
  registryUrl = await listen(registry.server);
});
after(() => {
  storage.server.close();
  registry.server.close();
  storage.server.closeAllConnections();
  registry.server.closeAllConnections();
});

const auth = { authorization: 'Bearer secret' };

test('a redirect to another origin is followed without the Authorization header', async () => {
  const res = await request(`${registryUrl}/cross`, { method: 'GET', headers: auth });
  assert.equal(res.status, 200);
  assert.equal(res.url, `${storageUrl}/blob`);
  assert.equal((await readBody(res.body)).toString(), 'blob bytes');
  assert.equal(res.headers.get('X-Multi'), 'a, b', 'names case-insensitive, repeats joined');
  assert.equal(res.headers.get('x-absent'), null);
  assert.equal(registry.seen.at(-1)?.authorization, 'Bearer secret');
  assert.equal(storage.seen.at(-1)?.authorization, undefined, 'never sent to storage');
});

test('a redirect on the same origin keeps it; 303 after a POST becomes a GET without the body', async () => {
  const same = await request(`${registryUrl}/same`, { method: 'GET', headers: auth });
  assert.equal((await readBody(same.body)).toString(), 'final GET');
  assert.equal(registry.seen.at(-1)?.authorization, 'Bearer secret');

  const posted = await request(`${registryUrl}/see-other`, { method: 'POST', body: Buffer.from('form') });
  assert.equal((await readBody(posted.body)).toString(), 'final GET');
  assert.deepEqual(
    registry.seen.slice(-2).map((s) => [s.method, s.body]),
    [
      ['POST', 'form'],
      ['GET', ''],
    ],
  );
});

test('a streamed body is sent once: its redirect is returned, not followed; endless redirects stop', async () => {
  const streamed = await request(`${registryUrl}/cross`, {
    method: 'PUT',
    body: Readable.from([Buffer.from('chunk one '), Buffer.from('chunk two')]),
  });
  assert.equal(streamed.status, 307);
  await drain(streamed.body);
  assert.equal(registry.seen.at(-1)?.body, 'chunk one chunk two');

  const before = registry.seen.length;
  const looped = await request(`${registryUrl}/loop`, { method: 'GET' });
  assert.equal(looped.status, 307);
  await drain(looped.body);
  assert.equal(registry.seen.length - before, 6, 'the request and five redirects');
});

test('a short answer that is not short is refused, not read into memory whole', async () => {
  const res = await request(`${storageUrl}/blob`, { method: 'GET' });
  await assert.rejects(readBody(res.body, 4), /more than 4 bytes/);
});

test('a refused connection rejects with its code; a non-HTTP URL is refused', async () => {
  const closed = createServer();
  const url = await listen(closed);
  closed.close();
  await assert.rejects(request(url, { method: 'GET' }), { code: 'ECONNREFUSED' });
  await assert.rejects(request('ftp://127.0.0.1/x', { method: 'GET' }), /unsupported URL/);
});
