import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSourceRef } from '../../../src/image/ref.js';
import { parseWasteLimit } from '../../../src/rules/image/thresholds.js';
import { runGoimg } from '../../helpers/cli.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { writeLayout } from './layout.js';

async function wastefulLayout() {
  return writeLayout({
    config: { Entrypoint: ['/bin/tool'], User: '65532' },
    layers: [
      {
        entries: [
          { name: 'bin/tool', data: '#!/bin/sh\necho\n', mode: 0o755 },
          { name: 'bin/sh', data: 'a shell', mode: 0o755 },
          { name: 'tmp/cache', data: Buffer.alloc(3000, 1) },
        ],
      },
      { entries: [{ name: 'tmp/.wh.cache', data: '' }] },
    ],
  });
}

test('goimg image --format json matches the schema and the waste known by construction', async () => {
  const layout = await wastefulLayout();
  const r = runGoimg(['image', `oci:${layout.dir}`, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertMatchesSchema('image.schema.json', report);
  assert.equal(report.version, 1);
  assert.equal(report.waste.bytes, 3000);
  assert.equal(report.digest, layout.manifestDigest);
  assert.equal(report.entrypoint.resolved, '/bin/tool');
  assert.deepEqual(report.findings, []);
});

test('thresholds fail with exit 1 and one line each', async () => {
  const layout = await wastefulLayout();
  const r = runGoimg(['image', `oci:${layout.dir}`, '--max-waste', '1kB', '--min-efficiency', '0.9']);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /threshold: wasted 3000 bytes exceeds --max-waste 1000 bytes/);
  assert.match(r.stdout, /threshold: efficiency 0\.\d+ is below --min-efficiency 0\.9/);
  const ok = runGoimg(['image', `oci:${layout.dir}`, '--max-waste', '100%', '--format', 'json']);
  assert.equal(ok.status, 0);
  assertMatchesSchema('image.schema.json', JSON.parse(ok.stdout));
});

test('bad input exits 2, bad flags exit 2, a clear message and no stack trace', async () => {
  for (const args of [
    ['image', 'oci:/nonexistent/dir'],
    ['image', 'nonsense'],
    ['image', 'oci:/tmp', '--max-waste', 'lots'],
    ['image', 'docker-archive:/etc/passwd'],
  ]) {
    const r = runGoimg(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^error: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('references parse in skopeo transport syntax', () => {
  assert.deepEqual(parseSourceRef('docker://127.0.0.1:5055/a/b:v1'), {
    kind: 'docker',
    ref: {
      registry: '127.0.0.1:5055',
      repository: 'a/b',
      tag: 'v1',
      identifier: 'v1',
      original: '127.0.0.1:5055/a/b:v1',
    },
  });
  assert.deepEqual(parseSourceRef('docker://alpine'), {
    kind: 'docker',
    ref: {
      registry: 'index.docker.io',
      repository: 'library/alpine',
      tag: 'latest',
      identifier: 'latest',
      original: 'alpine',
    },
  });
  const pinned = parseSourceRef(`docker://ghcr.io/x/y@sha256:${'a'.repeat(64)}`);
  assert.equal(pinned.kind === 'docker' && pinned.ref.identifier, `sha256:${'a'.repeat(64)}`);
  assert.deepEqual(parseSourceRef('oci:/tmp/lay:v2'), { kind: 'oci', path: '/tmp/lay', tag: 'v2' });
  assert.deepEqual(parseSourceRef('oci:/tmp/lay'), { kind: 'oci', path: '/tmp/lay', tag: null });
  assert.deepEqual(parseSourceRef('docker-daemon:web:latest'), { kind: 'docker-daemon', name: 'web:latest' });
  assert.deepEqual(parseWasteLimit('10%'), { kind: 'percent', percent: 10 });
  assert.deepEqual(parseWasteLimit('20MB'), { kind: 'bytes', bytes: 20_000_000 });
  assert.deepEqual(parseWasteLimit('1MiB'), { kind: 'bytes', bytes: 1048576 });
});

test('.goimg.yaml sets thresholds and rule levels; flags win; sarif and github formats', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const layout = await writeLayout({
    config: { Entrypoint: ['/bin/tool'] },
    layers: [
      {
        entries: [
          { name: 'bin/tool', data: '#!/bin/sh\n', mode: 0o755 },
          { name: 'bin/sh', data: 'a shell', mode: 0o755 },
          { name: 'x', data: Buffer.alloc(3000) },
        ],
      },
      { entries: [{ name: '.wh.x', data: '' }] },
    ],
  });
  const cwd = mkdtempSync(join(tmpdir(), 'goimg-cfg-'));
  writeFileSync(join(cwd, '.git'), '');
  writeFileSync(
    join(cwd, '.goimg.yaml'),
    'failOn: warning\nrules:\n  runs-as-root: "off"\nimage:\n  maxWaste: 1kB\n',
  );
  const r = runGoimg(['image', `oci:${layout.dir}`, '--format', 'json'], { cwd });
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.findings, []);
  assert.equal(report.thresholds[0].passed, false);
  assert.match(r.stderr, /threshold: wasted 3000 bytes exceeds --max-waste 1000 bytes/);
  const flagWins = runGoimg(['image', `oci:${layout.dir}`, '--max-waste', '100%'], { cwd });
  assert.equal(flagWins.status, 0, flagWins.stdout);

  const sarif = runGoimg(['image', `oci:${layout.dir}`, '--format', 'sarif']);
  assert.equal(sarif.status, 0);
  const log = JSON.parse(sarif.stdout);
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(
    log.runs[0].results.map((x: { ruleId: string }) => x.ruleId),
    ['runs-as-root'],
  );
  const gh = runGoimg(['image', `oci:${layout.dir}`, '--format', 'github', '--fail-on', 'warning']);
  assert.equal(gh.status, 1);
  assert.match(gh.stdout, /^::warning title=runs-as-root::/m);
});
