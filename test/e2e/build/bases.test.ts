/**
 * Bases read as images (goimg image's sources): distroless from the engine, and cgo on a glibc
 * base, verified (loader and libraries present) and run; a musl base is refused before running.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runGoimg } from '../../helpers/cli.js';
import { BUILDKIT_DOCKER, dockerEnv, hasEngine, hasImage } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { buildJson, FIXTURES, run, tempDir } from './helpers.js';

const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));
const env = { DOCKER_HOST: dockerEnv().DOCKER_HOST };

test('--base distroless puts the binary on the distroless layers', (t) => {
  if (
    !need(
      t,
      hasEngine() && hasImage('gcr.io/distroless/static-debian12:nonroot'),
      'the engine with the distroless stand-in',
    )
  )
    return;
  const r = buildJson([join(FIXTURES, 'plain'), '--base', 'distroless', '--oci', join(work, 'dl')], env);
  assert.equal(r.base.kind, 'distroless');
  assert.ok(r.images[0]!.layers.length >= 2);
  const cfg = JSON.parse(run('skopeo', ['inspect', '--config', `oci:${join(work, 'dl')}`]).stdout) as {
    config: { Labels: Record<string, string> };
  };
  assert.equal(
    cfg.config.Labels['org.opencontainers.image.base.name'],
    'gcr.io/distroless/static-debian12:nonroot',
  );
});

test('--cgo on with a glibc base builds, verifies the loader and runs', (t) => {
  if (!need(t, hasEngine() && hasImage('debian:bookworm-slim'), 'the engine with debian:bookworm-slim'))
    return;
  buildJson(
    [
      join(FIXTURES, 'cgo'),
      '--cgo',
      'on',
      '--base',
      'debian:bookworm-slim',
      '--load',
      '--tag',
      'goimg-e2e/cgo:glibc',
    ],
    env,
  );
  const out = run(BUILDKIT_DOCKER, ['run', '--rm', '--network=host', 'goimg-e2e/cgo:glibc'], dockerEnv());
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.trim(), 'cgo: 42');
});

test('--cgo on with a musl base is refused: the glibc loader is missing', (t) => {
  if (!need(t, hasEngine() && hasImage('alpine:3.20'), 'the engine with alpine:3.20')) return;
  const r = runGoimg(['build', join(FIXTURES, 'cgo'), '--cgo', 'on', '--base', 'alpine:3.20'], { env });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /lacks what the cgo binary needs: loader \/lib64\/ld-linux-x86-64\.so\.2/);
});
