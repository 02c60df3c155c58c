/**
 * The registry transport against real HTTP servers on loopback: each request keeps its own
 * Retry-After (concurrent requests never share a wait), Retry-After in seconds or as a date,
 * and DOCKER_CONFIG honoured for credentials and named in the hints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EnvironmentError } from '../../../src/core/errors.js';
import { dockerConfigPath, findCredentials } from '../../../src/registry/credentials.js';
import { RegistryTransport, retryAfterMs } from '../../../src/registry/transport.js';

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('each request waits what its own answer asked: concurrent requests never share a Retry-After', async () => {
  const answered = new Map<string, number>();
  let bothFailed: () => void;
  const failedOnce = new Promise<void>((resolve) => {
    bothFailed = resolve;
  });
  const registry = await serve((req, res) => {
    const n = (answered.get(req.url!) ?? 0) + 1;
    answered.set(req.url!, n);
    if (n === 1) {
      // Both first answers go out before either request retries.
      if ([...answered.values()].filter((v) => v >= 1).length === 2) bothFailed();
      if (req.url!.includes('/slow/')) res.writeHead(429, { 'retry-after': '3' }).end();
      else res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  const waits: string[] = [];
  const t = new RegistryTransport({
    registry,
    insecure: true,
    credentials: null,
    backoffMs: 7,
    wait: async (ms, request) => {
      await failedOnce;
      waits.push(`${request} ${ms}`);
    },
  });
  const [slow, quick] = await Promise.all([
    t.request({ method: 'GET', path: '/v2/slow/manifests/v1', scope: 'repository:slow:pull' }),
    t.request({ method: 'GET', path: '/v2/quick/manifests/v1', scope: 'repository:quick:pull' }),
  ]);
  assert.equal(await slow.text(), 'ok');
  assert.equal(await quick.text(), 'ok');
  assert.deepEqual(waits.sort(), ['GET /v2/quick/manifests/v1 7', 'GET /v2/slow/manifests/v1 3000']);
});

test('Retry-After: seconds or an HTTP date, capped, never negative', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs('2', now), 2000);
  assert.equal(retryAfterMs(' 0 ', now), 0);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:04 GMT', now), 4000);
  assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
  assert.equal(retryAfterMs('86400', now), 10_000);
  assert.equal(retryAfterMs('soon', now), 0);
  assert.equal(retryAfterMs('-5', now), 0);
  assert.equal(retryAfterMs(null, now), 0);
});

/** Runs `fn` with DOCKER_CONFIG set to `dir`, then restores it. */
async function withDockerConfig<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.DOCKER_CONFIG;
  process.env.DOCKER_CONFIG = dir;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
  }
}

test('DOCKER_CONFIG: credentials come from its config.json, and the hints name that file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-docker-config-'));
  assert.equal(dockerConfigPath({ DOCKER_CONFIG: dir }), join(dir, 'config.json'));
  assert.match(dockerConfigPath({}), /\.docker[/\\]config\.json$/);
  const seen: (string | undefined)[] = [];
  const registry = await serve((req, res) => {
    seen.push(req.headers.authorization);
    if (!req.headers.authorization) res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    else res.writeHead(403).end();
  });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ auths: { [registry]: { auth: Buffer.from('ci-user:s3cret').toString('base64') } } }),
  );
  await withDockerConfig(dir, async () => {
    assert.deepEqual(await findCredentials(registry), {
      kind: 'basic',
      username: 'ci-user',
      password: 's3cret',
    });
    const t = new RegistryTransport({ registry, insecure: true, retries: 0 });
    await assert.rejects(
      t.request({ method: 'GET', path: '/v2/app/manifests/v1', scope: 'repository:app:pull' }),
      (err: unknown) =>
        err instanceof EnvironmentError &&
        err.message.includes('access denied (403)') &&
        (err.hint ?? '').includes(join(dir, 'config.json')) &&
        !`${err.message} ${err.hint}`.includes('s3cret'),
    );
  });
  assert.deepEqual(seen, [undefined, `Basic ${Buffer.from('ci-user:s3cret').toString('base64')}`]);
});
