/**
 * The vulnerability database client on the fixture database, read from a directory, from
 * file:// and from a loopback HTTP server (real files, real HTTP): caching, the TTL, offline
 * mode, and servers that fail or answer garbage.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { EnvironmentError, InputError } from '../../../src/core/errors.js';
import { openVulnDb } from '../../../src/vuln/db.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const DB_DIR = join(REPO_ROOT, 'test', 'fixtures', 'vulndb');

interface Served {
  url: string;
  hits: Map<string, number>;
  /** Replaces a path's answer: a status and body. */
  override: Map<string, { status: number; body: string }>;
  server: Server;
}

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function serve(): Promise<Served> {
  const hits = new Map<string, number>();
  const override = new Map<string, { status: number; body: string }>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const o = override.get(path);
    if (o) {
      res.writeHead(o.status, { 'content-type': 'application/json' }).end(o.body);
      return;
    }
    try {
      const body = readFileSync(join(DB_DIR, path.replace(/^\/+/, '')));
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, override, server };
}

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'goimg-vulndb-'));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a directory and its file:// URL give the same database', async () => {
  const a = await openVulnDb(DB_DIR);
  const b = await openVulnDb(pathToFileURL(DB_DIR).href);
  assert.equal(a.modified, '2026-01-01T00:00:00Z');
  assert.deepEqual([...a.modules.keys()], [...b.modules.keys()]);
  const [entry] = await a.entries(['GO-2024-2887']);
  assert.deepEqual(entry?.aliases, ['CVE-2024-24790']);
});

test('HTTP: fetched once, then served from the cache within the TTL, offline too', async () => {
  const srv = await serve();
  const cache = await cacheDir();
  const db = await openVulnDb(srv.url, { cacheDir: cache });
  assert.equal(db.modules.get('stdlib')?.vulns.length, 4);
  const entries = await db.entries(['GO-2023-1840', 'GO-2024-2887']);
  assert.deepEqual(
    entries.map((e) => e.id),
    ['GO-2023-1840', 'GO-2024-2887'],
  );
  const again = await openVulnDb(srv.url, { cacheDir: cache });
  await again.entries(['GO-2023-1840']);
  assert.equal(srv.hits.get('/index/db.json'), 1);
  assert.equal(srv.hits.get('/index/modules.json'), 1);
  assert.equal(srv.hits.get('/ID/GO-2023-1840.json'), 1);
  srv.server.close();
  const offline = await openVulnDb(srv.url, { cacheDir: cache, offline: true });
  assert.equal((await offline.entries(['GO-2024-2887']))[0]?.id, 'GO-2024-2887');
});

test('HTTP: past the TTL only db.json is read again while the database is unchanged', async () => {
  const srv = await serve();
  const cache = await cacheDir();
  await openVulnDb(srv.url, { cacheDir: cache });
  const later = () => Date.now() + 2 * 24 * 3600 * 1000;
  await openVulnDb(srv.url, { cacheDir: cache, now: later });
  assert.equal(srv.hits.get('/index/db.json'), 2);
  assert.equal(srv.hits.get('/index/modules.json'), 1);
  srv.override.set('/index/db.json', { status: 200, body: '{"modified":"2026-02-01T00:00:00Z"}' });
  const changed = await openVulnDb(srv.url, { cacheDir: cache, now: later });
  assert.equal(changed.modified, '2026-02-01T00:00:00Z');
  assert.equal(srv.hits.get('/index/modules.json'), 2);
});

test('HTTP: a failing server falls back to the cache with a warning, or fails clearly without one', async () => {
  const srv = await serve();
  const cache = await cacheDir();
  await openVulnDb(srv.url, { cacheDir: cache });
  srv.override.set('/index/db.json', { status: 500, body: 'oops' });
  const warnings: string[] = [];
  const db = await openVulnDb(srv.url, {
    cacheDir: cache,
    now: () => Date.now() + 2 * 24 * 3600 * 1000,
    warn: (w) => warnings.push(w),
  });
  assert.equal(db.modified, '2026-01-01T00:00:00Z');
  assert.match(warnings.join('\n'), /answered 500 .*using the cached copy/);
  await assert.rejects(openVulnDb(srv.url, { cacheDir: await cacheDir() }), (e: unknown) => {
    assert.ok(e instanceof EnvironmentError);
    assert.match(e.message, /answered 500/);
    return true;
  });
});

test('HTTP: garbage and wrong shapes are refused by name', async () => {
  const srv = await serve();
  srv.override.set('/index/db.json', { status: 200, body: '<html>hello</html>' });
  await assert.rejects(openVulnDb(srv.url), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /index\/db\.json: not a Go vulnerability database file \(invalid JSON/);
    return true;
  });
  srv.override.delete('/index/db.json');
  srv.override.set('/index/modules.json', { status: 200, body: '{"stdlib": "2026-01-01"}' });
  await assert.rejects(
    openVulnDb(srv.url),
    /modules\.json: not a Go vulnerability database file \(expected an array/,
  );
  srv.override.delete('/index/modules.json');
  srv.override.set('/ID/GO-2024-2887.json', { status: 200, body: '{"id":"GO-2024-2887"}' });
  const db = await openVulnDb(srv.url);
  await assert.rejects(db.entries(['GO-2024-2887']), /needs "id" and "affected"/);
});

test('unreachable server, offline without a cache, missing directory, hostile IDs', async () => {
  const srv = await serve();
  const url = srv.url;
  await new Promise<void>((resolve) => srv.server.close(() => resolve()));
  await assert.rejects(
    openVulnDb(url),
    (e: unknown) => e instanceof EnvironmentError && /cannot reach/.test(e.message),
  );
  await assert.rejects(
    openVulnDb(url, { offline: true, cacheDir: await cacheDir() }),
    (e: unknown) => e instanceof EnvironmentError && /offline/.test(e.message),
  );
  await assert.rejects(openVulnDb(join(DB_DIR, 'ID')), /has no index\/db\.json/);
  const db = await openVulnDb(DB_DIR);
  await assert.rejects(db.entries(['../../etc/passwd']), /not a GO-YYYY-NNNN advisory ID/);
});
