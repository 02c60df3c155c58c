/**
 * Release data from loopback servers that answer as go.dev and endoflife.date do, or fail: the
 * cache and its time to live, the hour a failed fetch is not retried, offline mode, timeouts,
 * error statuses and garbage. Time is passed in (`now`), never waited for.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { bundledReleaseData } from '../../../src/releases/bundled.js';
import {
  DEFAULT_TTL_MS,
  loadBaseImageEol,
  loadGoReleases,
  loadReleaseData,
  RETRY_AFTER_MS,
  type ReleaseLoadOptions,
} from '../../../src/releases/load.js';
import { type ReleaseServer, releaseFixture, startReleaseServer } from '../../helpers/release-server.js';

const T0 = new Date('2026-12-05T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('release data', () => {
  let server: ReleaseServer;
  let cacheDir: string;
  const options = (extra: ReleaseLoadOptions = {}): ReleaseLoadOptions => ({
    cacheDir,
    now: T0,
    timeoutMs: 5_000,
    env: { GOIMG_GO_INDEX_URL: server.goIndexUrl, GOIMG_EOL_API_URL: server.eolApiUrl },
    ...extra,
  });

  before(async () => {
    server = await startReleaseServer();
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'goimg-releases-'));
    server.requests.length = 0;
    // Every test starts from the recorded responses.
    server.answer['/dl/'] = { status: 200, body: releaseFixture('go-dl.json') };
    for (const product of ['alpine-linux', 'debian', 'ubuntu']) {
      server.answer[`/eol/${product}/`] = { status: 200, body: releaseFixture(`eol-${product}.json`) };
    }
  });
  afterEach(() => {
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test('fetched from the network, then read from the cache for a day', async () => {
    const first = await loadGoReleases(options());
    assert.equal(first.status.source, 'network');
    assert.equal(first.status.url, server.goIndexUrl);
    assert.equal(first.table.date, '2026-12-05');
    assert.deepEqual(server.requests, ['/dl/?mode=json&include=all']);
    const again = await loadGoReleases(options({ now: at(DEFAULT_TTL_MS - 1) }));
    assert.equal(again.status.source, 'cache');
    assert.deepEqual(again.table, first.table);
    assert.equal(server.requests.length, 1, 'no second request within the time to live');
    const expired = await loadGoReleases(options({ now: at(DEFAULT_TTL_MS + 1) }));
    assert.equal(expired.status.source, 'network');
    assert.equal(server.requests.length, 2);
  });

  test('a shorter time to live fetches sooner', async () => {
    await loadGoReleases(options());
    const r = await loadGoReleases(options({ now: at(61_000), ttlMs: 60_000 }));
    assert.equal(r.status.source, 'network');
    assert.equal(server.requests.length, 2);
  });

  test('the base-image lifecycles come from the three products of the API', async () => {
    const r = await loadBaseImageEol(options());
    assert.equal(r.status.source, 'network');
    assert.deepEqual([...server.requests].sort(), ['/eol/alpine-linux/', '/eol/debian/', '/eol/ubuntu/']);
    assert.equal(r.table.distros.alpine[0]!.latest, '3.24.2');
    assert.equal(r.table.distros.debian[0]!.codename, 'trixie');
  });

  test('offline (option or GOIMG_OFFLINE=1): never fetched, the bundled snapshot or an old cached copy', async () => {
    const bundled = await loadReleaseData(options({ offline: true }));
    assert.deepEqual(bundled.data, bundledReleaseData());
    assert.deepEqual(
      bundled.tables.map((t) => t.source),
      ['bundled', 'bundled'],
    );
    await loadGoReleases(options());
    const env = { ...options().env, GOIMG_OFFLINE: '1' };
    const old = await loadGoReleases(options({ env, now: at(10 * DEFAULT_TTL_MS) }));
    assert.equal(old.status.source, 'cache');
    assert.equal(server.requests.length, 1);
  });

  test('a server error: the bundled snapshot, the reason, and no new attempt for an hour', async () => {
    server.answer['/dl/'] = { status: 500, body: 'oops' };
    const r = await loadGoReleases(options());
    assert.equal(r.status.source, 'bundled');
    assert.match(r.status.error ?? '', /answered HTTP 500/);
    assert.deepEqual(r.table, bundledReleaseData().go);
    const soon = await loadGoReleases(options({ now: at(RETRY_AFTER_MS - 1) }));
    assert.equal(soon.status.source, 'bundled');
    assert.match(soon.status.error ?? '', /answered HTTP 500/);
    assert.equal(server.requests.length, 1, 'the failure is remembered');
    server.answer['/dl/'] = { status: 200, body: releaseFixture('go-dl.json') };
    const later = await loadGoReleases(options({ now: at(RETRY_AFTER_MS + 1) }));
    assert.equal(later.status.source, 'network');
    assert.equal(server.requests.length, 2);
  });

  test('one product failing keeps the whole lifecycle table on its fallback', async () => {
    server.answer['/eol/ubuntu/'] = { status: 404, body: '{"error":"not found"}' };
    const r = await loadBaseImageEol(options());
    assert.equal(r.status.source, 'bundled');
    assert.match(r.status.error ?? '', /ubuntu\/ answered HTTP 404/);
  });

  test('garbage and foreign JSON are refused with a reason', async () => {
    server.answer['/dl/'] = { status: 200, body: '<html>rate limited</html>' };
    const garbage = await loadGoReleases(options());
    assert.match(garbage.status.error ?? '', /did not send JSON/);
    rmSync(join(cacheDir, 'go-releases.failed'));
    server.answer['/dl/'] = { status: 200, body: '{"releases":[]}' };
    const foreign = await loadGoReleases(options());
    assert.match(foreign.status.error ?? '', /not a Go download index/);
    assert.equal(foreign.status.source, 'bundled');
  });

  test('a server that never answers is given up within the time limit', async () => {
    server.answer['/dl/'] = 'hang';
    const r = await loadGoReleases(options({ timeoutMs: 300 }));
    assert.equal(r.status.source, 'bundled');
    assert.match(r.status.error ?? '', /did not answer within 0\.3 s/);
  });

  test('a refused connection falls back at once', async () => {
    const env = { GOIMG_GO_INDEX_URL: 'http://127.0.0.1:1/dl/', GOIMG_EOL_API_URL: server.eolApiUrl };
    const r = await loadGoReleases(options({ env }));
    assert.equal(r.status.source, 'bundled');
    assert.match(r.status.error ?? '', /ECONNREFUSED/);
  });

  test('a cached copy older than the bundled snapshot gives way to it; an unreadable cache is ignored', async () => {
    const old = { date: '2020-01-01', releases: [{ version: '1.13', released: '2019-09-03' }] };
    writeFileSync(
      join(cacheDir, 'go-releases.json'),
      JSON.stringify({ fetchedAt: T0.getTime(), url: server.goIndexUrl, table: old }),
    );
    const r = await loadGoReleases(options());
    assert.equal(r.status.source, 'bundled');
    writeFileSync(join(cacheDir, 'go-releases.json'), '{not json');
    const again = await loadGoReleases(options());
    assert.equal(again.status.source, 'network');
  });

  test('a cache that cannot be written costs nothing but the cache', async () => {
    const file = join(cacheDir, 'file');
    writeFileSync(file, '');
    const r = await loadGoReleases(options({ cacheDir: join(file, 'releases') }));
    assert.equal(r.status.source, 'network');
  });
});
