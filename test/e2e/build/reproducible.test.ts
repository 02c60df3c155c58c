/**
 * Reproducibility: two builds of the same sources, from different directories and clean Go build
 * caches, give byte-identical layouts; a different SOURCE_DATE_EPOCH changes only timestamps.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { need } from '../../helpers/requirements.js';
import { buildJson, copyFixture, ociBlob, readJson, tempDir } from './helpers.js';

const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));

function blobs(dir: string): Map<string, Buffer> {
  const root = join(dir, 'blobs', 'sha256');
  return new Map(readdirSync(root).map((n) => [n, readFileSync(join(root, n))]));
}

test('two builds from clean caches in different directories are byte-identical', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    // plain keeps the clean-cache builds short (no net/http to compile twice).
    const a = await copyFixture('plain', join(work, 'a'));
    const b = await copyFixture('plain', join(work, 'b'));
    const ra = buildJson([a, '--oci', join(work, 'oci-a')], {
      GOCACHE: join(work, 'cache-a'),
      GOIMG_CACHE_DIR: join(work, 'goimg-cache-a'),
    });
    const rb = buildJson([b, '--oci', join(work, 'oci-b')], {
      GOCACHE: join(work, 'cache-b'),
      GOIMG_CACHE_DIR: join(work, 'goimg-cache-b'),
    });
    assert.equal(ra.digest, rb.digest);
    assert.equal(ra.images[0]!.binary.sha256, rb.images[0]!.binary.sha256);
    assert.deepEqual(
      readFileSync(join(work, 'oci-a', 'index.json')),
      readFileSync(join(work, 'oci-b', 'index.json')),
    );
    const ba = blobs(join(work, 'oci-a'));
    const bb = blobs(join(work, 'oci-b'));
    assert.deepEqual([...ba.keys()].sort(), [...bb.keys()].sort());
    for (const [name, bytes] of ba) assert.ok(bytes.equals(bb.get(name)!), `blob ${name} differs`);
  })();
});

test('a different SOURCE_DATE_EPOCH changes timestamps only: same binary, same files, new layer and config digests', async (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  const src = await copyFixture('tls', join(work, 'c'));
  const r0 = buildJson([src, '--oci', join(work, 'oci-0')]);
  const r1 = buildJson([src, '--oci', join(work, 'oci-1')], { SOURCE_DATE_EPOCH: '1700000000' });
  const [i0, i1] = [r0.images[0]!, r1.images[0]!];
  assert.equal(i0.binary.sha256, i1.binary.sha256, 'the binary does not depend on the date');
  assert.deepEqual(i0.files, i1.files);
  assert.equal(i0.layers.length, i1.layers.length);
  assert.equal(i0.uncompressedSize, i1.uncompressedSize, 'same tar sizes: only header fields moved');
  for (let i = 0; i < i0.layers.length; i++)
    assert.notEqual(i0.layers[i]!.digest, i1.layers[i]!.digest, 'mtimes are in every layer');
  assert.equal(r0.created, '1970-01-01T00:00:00Z');
  assert.equal(r1.created, '2023-11-14T22:13:20Z');
  type Cfg = {
    created: string;
    config: Record<string, unknown>;
    history: { created: string; created_by: string }[];
  };
  const c0 = readJson<Cfg>(ociBlob(join(work, 'oci-0'), i0.config));
  const c1 = readJson<Cfg>(ociBlob(join(work, 'oci-1'), i1.config));
  const labels = (c: Cfg) => ({
    ...(c.config.Labels as Record<string, string>),
    'org.opencontainers.image.created': '',
  });
  assert.deepEqual(
    { ...c0.config, Labels: labels(c0) },
    { ...c1.config, Labels: labels(c1) },
    'runtime config unchanged',
  );
  assert.deepEqual(
    c0.history.map((h) => h.created_by),
    c1.history.map((h) => h.created_by),
  );
  assert.ok(c1.history.every((h) => h.created === '2023-11-14T22:13:20Z'));
});
