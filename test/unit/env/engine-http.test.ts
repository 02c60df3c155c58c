import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { engineErrorText, engineRequest } from '../../../src/env/docker-engine.js';
import type { EngineEndpoint } from '../../../src/env/docker-host.js';
import { engineStream } from '../../../src/env/engine-http.js';

/** A real HTTP server (Node's) on a unix socket in a fresh directory; closed after the test. */
async function serve(t: { after(fn: () => void): void }, server: Server): Promise<EngineEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-engine-http-'));
  const socketPath = join(dir, 'engine.sock');
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { socketPath };
}

const httpEngine = (t: { after(fn: () => void): void }, handler: RequestListener) =>
  serve(t, createHttpServer(handler));

/** A server that answers every connection with these raw bytes, then closes it. */
const rawEngine = (t: { after(fn: () => void): void }, answer: (socket: Socket) => void) =>
  serve(
    t,
    createNetServer((socket) => {
      socket.once('data', () => answer(socket));
      socket.on('error', () => undefined);
    }),
  );

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('engineStream: a chunked body of many megabytes arrives whole, lent from one buffer', async (t) => {
  const data = randomBytes(6 * 1024 * 1024 + 777);
  const endpoint = await httpEngine(t, (req, res) => {
    assert.equal(req.url, '/images/a%3Ab/get');
    assert.equal(req.headers.host, 'docker');
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    // Pieces of uneven sizes, each its own chunk on the wire.
    for (let at = 0, n = 1; at < data.length; at += n, n = (n * 7 + 13) % 300_000)
      res.write(data.subarray(at, at + n));
    res.end();
  });
  const res = await engineStream(endpoint, { method: 'GET', path: '/images/a%3Ab/get' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  const hash = createHash('sha256');
  const memory = new Set<ArrayBufferLike>();
  let bytes = 0;
  for await (const piece of res.pieces()) {
    hash.update(piece);
    bytes += piece.length;
    memory.add(piece.buffer);
  }
  assert.equal(bytes, data.length);
  assert.equal(hash.digest('hex'), sha(data));
  assert.equal(memory.size, 1, 'every piece is a view of the one read buffer');
});

test('engineStream: bodies framed by Content-Length and by the end of the connection', async (t) => {
  const json = JSON.stringify({ Version: '27.0.1', ApiVersion: '1.46' });
  const sized = await httpEngine(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
  });
  const got = await engineRequest(sized, 'GET', '/version');
  assert.equal(got.status, 200);
  assert.equal(got.body.toString(), json);

  const raw = await rawEngine(t, (socket) => socket.end('HTTP/1.1 200 OK\r\nServer: x\r\n\r\nuntil the end'));
  assert.equal((await engineRequest(raw, 'GET', '/x')).body.toString(), 'until the end');

  const interim = await rawEngine(t, (socket) =>
    socket.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX: y\r\n\r\n'),
  );
  const none = await engineRequest(interim, 'POST', '/containers/x/stop');
  assert.equal(none.status, 204);
  assert.equal(none.body.length, 0);
});

test('engineStream: chunk extensions and trailers are read past; a chunk that lies about its size is refused', async (t) => {
  const good = await rawEngine(t, (socket) =>
    socket.end(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n',
    ),
  );
  assert.equal((await engineRequest(good, 'GET', '/x')).body.toString(), 'hello 0123456789');

  const long = await rawEngine(t, (socket) =>
    socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n'),
  );
  await assert.rejects(engineRequest(long, 'GET', '/x'), /longer than its size says/);

  const cut = await rawEngine(t, (socket) =>
    socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort'),
  );
  await assert.rejects(engineRequest(cut, 'GET', '/x'), /closed the connection inside a chunked answer/);

  const short = await rawEngine(t, (socket) =>
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'),
  );
  await assert.rejects(engineRequest(short, 'GET', '/x'), /ended 7 bytes short/);

  const garbage = await rawEngine(t, (socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
  await assert.rejects(engineRequest(garbage, 'GET', '/x'), /not an HTTP answer/);

  const silent = await rawEngine(t, (socket) => socket.end());
  await assert.rejects(engineRequest(silent, 'GET', '/x'), /closed the connection before answering/);
});

test("engineStream: the engine's error text, a request body sent in chunks, and no engine", async (t) => {
  const endpoint = await httpEngine(t, async (req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'No such image: nope:1' }));
      return;
    }
    const hash = createHash('sha256');
    let n = 0;
    for await (const c of req) {
      hash.update(c as Buffer);
      n += (c as Buffer).length;
    }
    res.writeHead(200);
    res.end(
      `${req.method} ${req.headers['content-type']} ${req.headers['transfer-encoding']} ${n} ${hash.digest('hex')}`,
    );
  });
  const missing = await engineStream(endpoint, { method: 'GET', path: '/missing' });
  assert.equal(missing.status, 404);
  assert.equal(await engineErrorText(missing), 'No such image: nope:1');

  const data = randomBytes(3 * 1024 * 1024);
  const parts = Array.from({ length: 48 }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
  const sent = await engineStream(endpoint, {
    method: 'POST',
    path: '/images/load',
    headers: { 'Content-Type': 'application/x-tar' },
    body: Readable.from(parts),
  });
  assert.equal(sent.status, 200);
  assert.equal((await sent.bytes()).toString(), `POST application/x-tar chunked ${data.length} ${sha(data)}`);

  await assert.rejects(
    engineStream(
      { socketPath: join(tmpdir(), 'goimg-no-such-engine.sock') },
      { method: 'GET', path: '/_ping' },
    ),
    {
      code: 'ENOENT',
    },
  );
});

test('engineStream: a body read only in part closes the connection; a body is read once', async (t) => {
  let closed!: () => void;
  const serverSawClose = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const endpoint = await httpEngine(t, (req, res) => {
    req.socket.on('close', closed);
    res.writeHead(200);
    const piece = Buffer.alloc(1024 * 1024, 1);
    const pump = () => {
      while (res.write(piece));
      res.once('drain', pump);
    };
    res.on('error', () => undefined);
    pump();
  });
  const res = await engineStream(endpoint, { method: 'GET', path: '/endless' });
  for await (const piece of res.pieces()) {
    assert.ok(piece.length > 0);
    break;
  }
  await serverSawClose;
  assert.throws(() => res.pieces(), /read once/);
});
