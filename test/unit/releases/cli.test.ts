/**
 * goimg fetches release data when it is not told to stay offline: doctor shows where each table
 * came from, audit judges by the fetched data, and HTTP_PROXY carries the requests.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runGoimgAsync } from '../../helpers/cli.js';
import { type ReleaseServer, releaseFixture, startReleaseServer } from '../../helpers/release-server.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { hasTinyproxy, startTinyproxy } from '../../helpers/tinyproxy.js';

interface DoctorData {
  data: { name: string; date: string; source: string; url: string; stale: boolean; error?: string }[];
}

describe('release data through the CLI', () => {
  let server: ReleaseServer;
  let root: string;
  let n = 0;
  /** A fresh cache for each run, so each one fetches. */
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    GOIMG_OFFLINE: '',
    GOIMG_CACHE_DIR: join(root, `cache-${n++}`),
    GOIMG_GO_INDEX_URL: server.goIndexUrl,
    GOIMG_EOL_API_URL: server.eolApiUrl,
    HTTP_PROXY: '',
    http_proxy: '',
    ...extra,
  });

  before(async () => {
    server = await startReleaseServer();
    root = mkdtempSync(join(tmpdir(), 'goimg-releases-cli-'));
  });
  after(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('doctor shows each table with its date, source and URL', async () => {
    const r = await runGoimgAsync(['doctor', '--format', 'json'], { env: env() });
    const report = JSON.parse(r.stdout) as DoctorData;
    assertMatchesSchema('doctor.schema.json', report);
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(
      report.data.map((t) => [t.name, t.source, t.url, t.date]),
      [
        ['go-releases', 'network', server.goIndexUrl, today],
        ['base-image-eol', 'network', server.eolApiUrl, today],
      ],
    );
    const text = await runGoimgAsync(['doctor', '--no-color'], { env: env() });
    assert.match(
      text.stdout,
      new RegExp(
        `release data go-releases of ${today} \\(network, ${server.goIndexUrl.replace(/[?.]/g, '\\$&')}\\)`,
      ),
    );
  });

  test('doctor --offline fetches nothing and names the bundled data', async () => {
    const before = server.requests.length;
    const r = await runGoimgAsync(['doctor', '--offline', '--format', 'json'], { env: env() });
    const report = JSON.parse(r.stdout) as DoctorData;
    assert.deepEqual(
      report.data.map((t) => t.source),
      ['bundled', 'bundled'],
    );
    assert.equal(server.requests.length, before);
  });

  test('a failed fetch is shown by doctor, and audit goes on with the bundled data', async () => {
    server.answer['/dl/'] = { status: 503, body: 'down' };
    try {
      const r = await runGoimgAsync(['doctor', '--format', 'json'], { env: env() });
      const go = (JSON.parse(r.stdout) as DoctorData).data[0]!;
      assert.equal(go.source, 'bundled');
      assert.match(go.error ?? '', /answered HTTP 503/);
    } finally {
      server.answer['/dl/'] = { status: 200, body: releaseFixture('go-dl.json') };
    }
  });

  test('audit pins and judges by the fetched data', async () => {
    // An index that already lists a Go the bundled data cannot know.
    const index = [
      { version: 'go1.99.0', stable: true, files: [] },
      ...JSON.parse(releaseFixture('go-dl.json')),
    ];
    server.answer['/dl/'] = { status: 200, body: JSON.stringify(index) };
    try {
      const dir = join(root, 'project');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'Dockerfile'), 'FROM golang:latest\nRUN go build -o /app .\n');
      const r = await runGoimgAsync(['audit', dir, '--format', 'json', '--fail-on', 'never'], { env: env() });
      const findings = (JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] }).findings;
      const unpinned = findings.find((f) => f.rule === 'unpinned-base-image');
      assert.match(unpinned?.message ?? '', /e\.g\. golang:1\.99\)/);
      const offline = await runGoimgAsync(
        ['audit', dir, '--offline', '--format', 'json', '--fail-on', 'never'],
        {
          env: env(),
        },
      );
      const pinned = (
        JSON.parse(offline.stdout) as { findings: { rule: string; message: string }[] }
      ).findings.find((f) => f.rule === 'unpinned-base-image');
      assert.doesNotMatch(pinned?.message ?? '', /1\.99/);
    } finally {
      server.answer['/dl/'] = { status: 200, body: releaseFixture('go-dl.json') };
    }
  });

  test("audit fetches at most once a day, or as often as the config's audit.releaseTtl says", async () => {
    const dir = join(root, 'ttl');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.24\n');
    const shared = env();
    const fetches = () => server.requests.filter((p) => p.startsWith('/dl/')).length;
    const start = fetches();
    await runGoimgAsync(['audit', dir, '--fail-on', 'never'], { env: shared });
    await runGoimgAsync(['audit', dir, '--fail-on', 'never'], { env: shared });
    assert.equal(fetches() - start, 1, 'the second run reads the cache');
    writeFileSync(join(dir, '.goimg.yaml'), 'audit:\n  releaseTtl: 0\n');
    await runGoimgAsync(['audit', dir, '--fail-on', 'never'], { env: shared });
    assert.equal(fetches() - start, 2, 'with a time to live of 0 every run fetches');
  });

  test('HTTP_PROXY carries the requests (a real proxy forwards them)', async (t) => {
    if (!need(t, hasTinyproxy(), 'tinyproxy (Debian package tinyproxy)')) return;
    const proxy = await startTinyproxy();
    try {
      const r = await runGoimgAsync(['doctor', '--format', 'json'], {
        env: env({ HTTP_PROXY: proxy.url, NO_PROXY: '', no_proxy: '' }),
      });
      const report = JSON.parse(r.stdout) as DoctorData;
      assert.deepEqual(
        report.data.map((t) => t.source),
        ['network', 'network'],
      );
      const forwarded = proxy.forwarded();
      assert.ok(forwarded.includes(`GET ${server.goIndexUrl}`), forwarded.join('\n'));
      assert.ok(forwarded.includes(`GET ${server.eolApiUrl}debian/`), forwarded.join('\n'));
    } finally {
      await proxy.stop();
    }
  });
});
