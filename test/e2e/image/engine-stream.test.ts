/**
 * `goimg image docker-daemon:IMAGE` reads one export and analyses it as it streams; it must see
 * exactly what `docker save IMAGE` read from a file shows (findings, file lists, digests,
 * binaries), and so must `docker save IMAGE | goimg image docker-archive:-`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeRef } from '../../../src/image/analyze-ref.js';
import { buildImageReport, type ImageReport } from '../../../src/rules/image/report.js';
import { GOIMG_BIN, goimgEnv } from '../../helpers/cli.js';
import { dockerOk } from '../../helpers/docker.js';
import { BUILDKIT_DOCKER, hasEngine, hasImage, TEST_DOCKER_HOST } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';

interface Seen {
  report: Omit<ImageReport, 'ref'>;
  files: string[];
}

async function see(ref: string): Promise<Seen> {
  const analysis = await analyzeRef(ref, { dockerHost: TEST_DOCKER_HOST });
  const { ref: _ref, ...report } = buildImageReport(analysis);
  const files = [...analysis.fs.walk()].map(
    (f) => `${f.path} ${f.node.type} ${f.node.size} ${f.node.layer} ${f.node.linkname ?? ''}`,
  );
  return { report, files };
}

for (const image of ['debian:bookworm-slim', 'golang:1.21']) {
  test(`docker-daemon:${image} sees what its docker save archive shows`, async (t) => {
    if (!need(t, hasEngine() && hasImage(image), `the ${image} stand-in`)) return;
    const archive = join(mkdtempSync(join(tmpdir(), 'goimg-engine-stream-')), 'saved.tar');
    dockerOk(['save', '-o', archive, image], { timeoutMs: 300_000 });
    const daemon = await see(`docker-daemon:${image}`);
    const saved = await see(`docker-archive:${archive}`);
    assert.ok(daemon.files.length > 1000, `${daemon.files.length} files`);
    assert.deepEqual(daemon.files, saved.files);
    assert.deepEqual(daemon.report, saved.report);
    if (image.startsWith('golang')) {
      assert.ok(daemon.report.goBinaries.some((g) => g.path === '/usr/local/go/bin/go'));
      assert.ok(daemon.report.findings.some((f) => f.rule === 'toolchain-in-image'));
    }
  });
}

test('docker save IMAGE | goimg image docker-archive:- gives the daemon report', async (t) => {
  const image = 'debian:bookworm-slim';
  if (!need(t, hasEngine() && hasImage(image), `the ${image} stand-in`)) return;
  const piped = spawnSync(
    'sh',
    ['-c', `"${BUILDKIT_DOCKER}" save ${image} | "${GOIMG_BIN}" image docker-archive:- --format json`],
    { env: goimgEnv({ DOCKER_HOST: TEST_DOCKER_HOST }), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  assert.equal(piped.status, 0, piped.stderr);
  const { ref, thresholds: _t, ...report } = JSON.parse(piped.stdout);
  assert.equal(ref, 'docker-archive:-');
  assert.deepEqual(report, JSON.parse(JSON.stringify((await see(`docker-daemon:${image}`)).report)));
});
