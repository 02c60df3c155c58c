/**
 * Independent clients accept what `goimg build` writes: skopeo and umoci read the OCI layout,
 * the engine loads the docker-archive (and --load) and runs the service, which answers HTTP.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BUILDKIT_DOCKER, dockerEnv, hasEngine, hasTool } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import {
  buildJson,
  copyFixture,
  freePort,
  httpGetWhenListening,
  readJson,
  run,
  startContainer,
  tempDir,
} from './helpers.js';

const work = await tempDir();
const fixture = await copyFixture('web', work);
const oci = join(work, 'oci');
const archive = join(work, 'web.tar');
const sbom = join(work, 'web.spdx.json');
const report = buildJson([
  fixture,
  '--oci',
  oci,
  '--docker-archive',
  archive,
  '--sbom',
  sbom,
  '--tag',
  'goimg-e2e/web:outputs',
]);
const stops: (() => void)[] = [];

after(async () => {
  for (const stop of stops) stop();
  await rm(work, { recursive: true, force: true });
});

test('the JSON report names the image, its files and the outputs', () => {
  assert.equal(report.images.length, 1);
  assert.match(report.reference, /^goimg-e2e\/web@sha256:[0-9a-f]{64}$/);
  const img = report.images[0]!;
  assert.equal(img.binary.path, '/app/web');
  assert.deepEqual(
    img.files.map((f) => f.path),
    ['/etc/passwd', '/etc/group', '/app/data/greeting.txt', '/app/web'],
  );
  assert.equal(report.outputs.oci, oci);
  assert.equal(report.outputs.dockerArchive, archive);
  assert.ok(existsSync(sbom) && statSync(sbom).size > 100);
});

test('skopeo inspect reads the OCI layout and sees the same digest and config', (t) => {
  if (!need(t, hasTool('skopeo'), 'skopeo')) return;
  const r = run('skopeo', ['inspect', `oci:${oci}:outputs`]);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout) as {
    Digest: string;
    Architecture: string;
    Env: string[];
    Layers: string[];
  };
  assert.equal(info.Digest, report.digest);
  assert.equal(info.Architecture, 'amd64');
  assert.equal(info.Layers.length, 3, 'base, assets, binary');
  const cfg = JSON.parse(run('skopeo', ['inspect', '--config', `oci:${oci}:outputs`]).stdout) as {
    config: { User: string; Entrypoint: string[]; ExposedPorts?: Record<string, object> };
    history: { created_by: string }[];
  };
  assert.equal(cfg.config.User, '65532:65532');
  assert.deepEqual(cfg.config.Entrypoint, ['/app/web']);
  assert.ok(cfg.history.every((h) => h.created_by.startsWith('goimg build')));
});

test('umoci unpacks the layout into the expected root filesystem', async (t) => {
  if (!need(t, hasTool('umoci'), 'umoci')) return;
  const bundle = join(work, 'bundle');
  const r = run('umoci', ['unpack', '--rootless', '--image', `${oci}:outputs`, bundle]);
  assert.equal(r.status, 0, r.stderr);
  const rootfs = join(bundle, 'rootfs');
  assert.equal(statSync(join(rootfs, 'app/web')).mode & 0o777, 0o755);
  assert.equal(statSync(join(rootfs, 'tmp')).mode & 0o7777, 0o1777);
  assert.ok(existsSync(join(rootfs, 'etc/passwd')));
  assert.ok(!existsSync(join(rootfs, 'etc/ssl')), 'no CA bundle for a program that makes no TLS calls');
  assert.ok(!existsSync(join(rootfs, 'usr/share/zoneinfo')));
});

test('docker load accepts the archive and the container answers HTTP as user 65532', async (t) => {
  if (!need(t, hasEngine(), 'the test Docker engine')) return;
  const load = run(BUILDKIT_DOCKER, ['load', '-i', archive], dockerEnv());
  assert.equal(load.status, 0, load.stderr);
  assert.match(load.stdout, /Loaded image: goimg-e2e\/web:outputs/);
  const port = await freePort();
  const container = startContainer('goimg-e2e/web:outputs', port);
  stops.push(container.stop);
  const base = `http://127.0.0.1:${port}`;
  assert.equal((await httpGetWhenListening(`${base}/`, container.alive)).trim(), 'web: ok');
  assert.equal((await httpGetWhenListening(`${base}/data`, container.alive)).trim(), 'hello from goimg-data');
  const user = run(BUILDKIT_DOCKER, ['inspect', '--format', '{{.Config.User}}', container.name], dockerEnv());
  assert.equal(user.stdout.trim(), '65532:65532');
});

test('--load streams the image into the engine API without the docker CLI', (t) => {
  if (!need(t, hasEngine(), 'the test Docker engine')) return;
  const loaded = buildJson([fixture, '--load', '--tag', 'goimg-e2e/web:loaded'], {
    DOCKER_HOST: dockerEnv().DOCKER_HOST,
  });
  assert.deepEqual(loaded.outputs.loaded, ['Loaded image: goimg-e2e/web:loaded']);
  const id = run(
    BUILDKIT_DOCKER,
    ['image', 'inspect', '--format', '{{.Id}}', 'goimg-e2e/web:loaded'],
    dockerEnv(),
  );
  assert.equal(id.stdout.trim(), loaded.images[0]!.config, 'the engine image id is our config digest');
});

test('the layout index names the tag; a second build into the same layout keeps other tags', () => {
  const second = buildJson([fixture, '--oci', oci, '--tag', 'goimg-e2e/web:other']);
  const index = readJson<{ manifests: { digest: string; annotations: Record<string, string> }[] }>(
    join(oci, 'index.json'),
  );
  const tags = index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort();
  assert.deepEqual(tags, ['other', 'outputs']);
  assert.equal(second.digest, report.digest, 'the tag is not part of the image');
});
