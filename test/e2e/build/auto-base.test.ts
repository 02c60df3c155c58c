/**
 * `--base auto` ships only what each program needs: nothing for a plain program, a CA bundle for
 * a TLS client, Go's tzdata linked in for a program that loads zones. Projects that need cgo are
 * refused with the reason and where to go instead.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runGoimg } from '../../helpers/cli.js';
import { BUILDKIT_DOCKER, dockerEnv, hasEngine } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import {
  buildJson,
  copyFixture,
  FIXTURES,
  freePort,
  httpGetStatusWhenListening,
  run,
  startContainer,
  tempDir,
} from './helpers.js';

const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));

const dataFiles = (r: ReturnType<typeof buildJson>) =>
  r.images[0]!.files.filter((f) => f.kind !== 'binary').map((f) => f.path);

test('plain, TLS and time-zone programs get different file sets', async () => {
  const plain = buildJson([await copyFixture('plain', work)]);
  const tls = buildJson([await copyFixture('tls', work)]);
  const tz = buildJson([await copyFixture('tz', work)]);
  assert.deepEqual(dataFiles(plain), ['/etc/passwd', '/etc/group']);
  assert.deepEqual(dataFiles(tls), ['/etc/passwd', '/etc/group', '/etc/ssl/certs/ca-certificates.crt']);
  assert.deepEqual(
    dataFiles(tz),
    ['/etc/passwd', '/etc/group'],
    'zones go into the binary, not the filesystem',
  );
  assert.equal(plain.base.tz, 'none');
  assert.equal(tls.base.caBundle !== null, true);
  assert.equal(tz.base.tz, 'timetzdata');
  assert.deepEqual(tz.base.tags, ['timetzdata']);
  assert.equal(plain.images[0]!.layers.length, 2, 'base + binary');
});

test('the image is at most 20 KB larger than its binary plus the data files goimg chose', async () => {
  for (const name of ['web', 'tls']) {
    const r = buildJson([await copyFixture(name, work)]);
    const img = r.images[0]!;
    const payload = img.files.reduce((s, f) => s + f.size, 0);
    assert.ok(
      img.uncompressedSize - payload <= 20 * 1024,
      `${name}: ${img.uncompressedSize} - ${payload} > 20 KB`,
    );
  }
});

test('the time-zone image converts to Europe/Paris with no zoneinfo on disk', async (t) => {
  if (!need(t, hasEngine(), 'the test Docker engine')) return;
  const r = buildJson([join(work, 'tz'), '--load', '--tag', 'goimg-e2e/tz:auto'], {
    DOCKER_HOST: dockerEnv().DOCKER_HOST,
  });
  assert.equal(r.outputs.loaded?.length, 1);
  const out = run(BUILDKIT_DOCKER, ['run', '--rm', '--network=host', 'goimg-e2e/tz:auto'], dockerEnv());
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.trim(), '2024-07-01T14:00:00+02:00');
});

test('a cgo project is refused with the evidence and a pointer to goimg init', () => {
  const r = runGoimg(['build', join(FIXTURES, 'cgo')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /needs cgo \(import "C" in main\.go:\d+\)/);
  assert.match(r.stderr, /goimg init/);
  assert.match(r.stderr, /--cgo on --base IMAGE-REF/);
  const onAuto = runGoimg(['build', join(FIXTURES, 'cgo'), '--cgo', 'on']);
  assert.equal(onAuto.status, 2);
  assert.match(onAuto.stderr, /needs a glibc base image/);
});

test('several main packages need --main; with it the named one is built', () => {
  const r = runGoimg(['build', join(FIXTURES, 'multi')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\.\/cmd\/api, \.\/cmd\/worker/);
  const ok = buildJson([join(FIXTURES, 'multi'), '--main', './cmd/worker']);
  assert.equal(ok.images[0]!.binary.path, '/app/worker');
  assert.equal(ok.name, 'worker');
});

test('a compile error is an environment failure (exit 3) with the compiler output', async () => {
  const src = await copyFixture('plain', join(work, 'broken'));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(src, 'main.go'), 'package main\n\nfunc main() { undefinedThing() }\n');
  const r = runGoimg(['build', src]);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /go build failed/);
  assert.match(r.stderr, /undefined: undefinedThing/);
});

test('examples/seed-article: within 20 KB of binary + chosen files, serves HTTP on $PORT, and goimg image finds nothing', async (t) => {
  const { REPO_ROOT } = await import('../../helpers/cli.js');
  const { existsSync } = await import('node:fs');
  const src = join(REPO_ROOT, 'examples/seed-article');
  if (!need(t, existsSync(src), 'examples/seed-article')) return;
  const archive = join(work, 'seed.tar');
  const r = buildJson([src, '--docker-archive', archive, '--tag', 'goimg-e2e/seed-article:auto']);
  const img = r.images[0]!;
  const payload = img.files.reduce((s, f) => s + f.size, 0);
  assert.ok(img.uncompressedSize - payload <= 20 * 1024, `${img.uncompressedSize} - ${payload} > 20 KB`);
  // goimg image agrees with the choice: a server-only net/http program needs no CA bundle and
  // no zoneinfo, so the image passes with no finding at all.
  const image = runGoimg(['image', `docker-archive:${archive}`, '--format', 'json']);
  assert.equal(image.status, 0, image.stderr);
  assert.deepEqual((JSON.parse(image.stdout) as { findings: { rule: string }[] }).findings, []);
  if (!need(t, hasEngine(), 'the test Docker engine')) return;
  assert.equal(run(BUILDKIT_DOCKER, ['load', '-i', archive], dockerEnv()).status, 0);
  const port = await freePort();
  const container = startContainer('goimg-e2e/seed-article:auto', port);
  try {
    // The server answers at all (any status below 500): it runs as nonroot on the auto base.
    const res = await httpGetStatusWhenListening(`http://127.0.0.1:${port}/`, container.alive);
    assert.ok(res < 500, `status ${res}`);
  } finally {
    container.stop();
  }
});
