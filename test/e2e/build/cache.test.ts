/**
 * The layer cache through the CLI: warm, cold and --no-cache builds write byte-identical layouts; an
 * unchanged rebuild neither relinks the binary nor compresses it again (the layout's blob is a hard
 * link to the cached one).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { need } from '../../helpers/requirements.js';
import { buildJson, copyFixture, ociBlob, tempDir } from './helpers.js';

const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));

function blobs(dir: string): Map<string, Buffer> {
  const root = join(dir, 'blobs', 'sha256');
  return new Map(readdirSync(root).map((n) => [n, readFileSync(join(root, n))]));
}

test('cold, warm and --no-cache builds are byte-identical; a warm rebuild reuses the binary and its layer', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('tls', work);
    const cacheDir = join(work, 'goimg-cache');
    const env = { GOIMG_CACHE_DIR: cacheDir };
    const cold = buildJson([src, '--oci', join(work, 'cold')], env);
    const name = basename(cold.images[0]!.binary.path);
    const bin = readdirSync(join(cacheDir, 'bin')).map((d) => join(cacheDir, 'bin', d, name))[0]!;
    // A relink renames a new file into place; an up-to-date output is only touched.
    const linked = statSync(bin).ino;
    const warm = buildJson([src, '--oci', join(work, 'warm')], env);
    const none = buildJson([src, '--oci', join(work, 'none'), '--no-cache'], env);
    assert.equal(warm.digest, cold.digest);
    assert.equal(none.digest, cold.digest);
    const [c, w, n] = [blobs(join(work, 'cold')), blobs(join(work, 'warm')), blobs(join(work, 'none'))];
    assert.deepEqual([...w.keys()].sort(), [...c.keys()].sort());
    for (const [name, bytes] of c) {
      assert.ok(bytes.equals(w.get(name)!), `warm blob ${name} differs`);
      assert.ok(bytes.equals(n.get(name)!), `--no-cache blob ${name} differs`);
    }
    assert.equal(statSync(bin).ino, linked, 'go build found its output up to date: no relink');
    const binLayer = warm.images[0]!.layers.at(-1)!.digest;
    assert.equal(
      statSync(ociBlob(join(work, 'warm'), binLayer)).ino,
      statSync(join(cacheDir, 'blobs', 'sha256', binLayer.slice(7))).ino,
      'the layout holds the cached blob itself (hard link), not a new compression',
    );
  })();
});
