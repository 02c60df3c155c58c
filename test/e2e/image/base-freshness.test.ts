/**
 * The base OS of the stand-in images, read from the engine: alpine 3.20 (past its end of life by
 * the bundled lifecycle data) and distroless on Debian 12 (supported).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runGoimg } from '../../helpers/cli.js';
import { hasEngine, hasImage, TEST_DOCKER_HOST } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

interface Report {
  base: { distro: string; distroless: boolean; release: string; endOfLife: boolean; ageDays: number | null };
  findings: { rule: string; path?: string }[];
}

function image(ref: string): Report {
  const r = runGoimg(['image', `docker-daemon:${ref}`, '--format', 'json', '--fail-on', 'never'], {
    env: { DOCKER_HOST: TEST_DOCKER_HOST },
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assertMatchesSchema('image.schema.json', report);
  return report;
}

test('alpine 3.20 stand-in: its release from os-release, end of life, a base-image-eol finding', (t) => {
  if (!need(t, hasEngine() && hasImage('alpine:3.20'), 'the alpine stand-in')) return;
  const r = image('alpine:3.20');
  assert.deepEqual(
    [r.base.distro, r.base.release, r.base.distroless, r.base.endOfLife],
    ['alpine', '3.20', false, true],
  );
  assert.equal(typeof r.base.ageDays, 'number');
  assert.ok(r.findings.some((f) => f.rule === 'base-image-eol' && f.path === '/etc/os-release'));
});

test('distroless static stand-in: recognised as distroless on Debian 12, supported', (t) => {
  const ref = 'gcr.io/distroless/static-debian12:latest';
  if (!need(t, hasEngine() && hasImage(ref), 'the distroless stand-in')) return;
  const r = image(ref);
  assert.deepEqual(
    [r.base.distro, r.base.release, r.base.distroless, r.base.endOfLife],
    ['debian', '12', true, false],
  );
  assert.ok(!r.findings.some((f) => f.rule === 'base-image-eol'));
});
