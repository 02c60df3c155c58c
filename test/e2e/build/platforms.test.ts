/** A linux/amd64 + linux/arm64 build: an index with one manifest per platform, each binary for its CPU. */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { hasTool } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import {
  buildJson,
  copyFixture,
  elfMachine,
  fileInLayer,
  ociBlob,
  readJson,
  run,
  tempDir,
} from './helpers.js';

const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));

test('two platforms give an OCI index whose arm64 image holds an AArch64 binary', async () => {
  const src = await copyFixture('plain', work);
  const oci = join(work, 'oci');
  const sbom = join(work, 'sbom.json');
  const report = buildJson([src, '--platform', 'linux/amd64,linux/arm64', '--oci', oci, '--sbom', sbom]);
  assert.equal(report.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.equal(report.index?.digest, report.digest);
  assert.deepEqual(
    report.images.map((i) => i.platform),
    ['linux/amd64', 'linux/arm64'],
  );
  const index = readJson<{ manifests: { digest: string; platform: { architecture: string; os: string } }[] }>(
    ociBlob(oci, report.digest),
  );
  assert.deepEqual(
    index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
    ['linux/amd64', 'linux/arm64'],
  );
  const machines: Record<string, number> = {};
  for (const img of report.images) {
    const manifest = readJson<{ layers: { digest: string }[] }>(ociBlob(oci, img.digest));
    const binLayer = manifest.layers[manifest.layers.length - 1]!;
    const bin = await fileInLayer(ociBlob(oci, binLayer.digest), 'app/plain');
    assert.ok(bin, `app/plain in ${img.platform}`);
    machines[img.platform] = elfMachine(bin);
    const cfg = readJson<{ architecture: string }>(ociBlob(oci, img.config));
    assert.equal(`linux/${cfg.architecture}`, img.platform);
  }
  assert.deepEqual(machines, { 'linux/amd64': 62, 'linux/arm64': 183 });
  // One SBOM covers both binaries: a main package per platform, each described.
  const doc = readJson<{
    packages: { SPDXID: string; comment?: string }[];
    relationships: { relationshipType: string; relatedSpdxElement: string }[];
  }>(sbom);
  const described = doc.relationships
    .filter((r) => r.relationshipType === 'DESCRIBES')
    .map((r) => r.relatedSpdxElement);
  assert.equal(described.length, 2);
  const comments = described.map((id) => doc.packages.find((p) => p.SPDXID === id)?.comment ?? '');
  assert.ok(
    comments.some((c) => c.endsWith('built for linux/amd64')),
    comments.join('; '),
  );
  assert.ok(
    comments.some((c) => c.endsWith('built for linux/arm64')),
    comments.join('; '),
  );
  // The base layer is the same bytes for both platforms: stored once.
  assert.equal(report.images[0]!.layers[0]!.digest, report.images[1]!.layers[0]!.digest);
});

test('skopeo picks each platform out of the index', (t) => {
  if (!need(t, hasTool('skopeo'), 'skopeo')) return;
  const oci = join(work, 'oci');
  for (const arch of ['amd64', 'arm64']) {
    const r = run('skopeo', ['--override-arch', arch, 'inspect', `oci:${oci}:latest`]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { Architecture: string }).Architecture, arch);
  }
});

test('--docker-archive refuses several platforms with a hint', async () => {
  const { runGoimg } = await import('../../helpers/cli.js');
  const r = runGoimg([
    'build',
    join(work, 'plain'),
    '--platform',
    'linux/amd64,linux/arm64',
    '--docker-archive',
    join(work, 'x.tar'),
  ]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /holds one platform/);
});

test('a platform named twice is a usage error (platforms build at once, each into its own path)', async () => {
  const { runGoimg } = await import('../../helpers/cli.js');
  const r = runGoimg(['build', join(work, 'plain'), '--platform', 'linux/amd64,linux/arm64,linux/amd64']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--platform names linux\/amd64 twice/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
