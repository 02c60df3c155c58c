/** The persistent layer cache: a hit is the blob a miss writes; keys follow every input; damage is rebuilt. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256 } from '../../../src/build/blobs.js';
import { GZIP_BLOCK } from '../../../src/build/gzip-blocks.js';
import { cachedLayer, diffIdOf, keyOf, LayerCache } from '../../../src/build/layer-cache.js';
import { completeEntries, type LayerEntry, writeLayer } from '../../../src/build/tar.js';
import { defaultCacheDir, once, usableCacheDir } from '../../../src/env/cache-dir.js';

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'goimg-layer-cache-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function binaryEntry(dir: string, bytes: Buffer, mode = 0o755): Promise<LayerEntry> {
  const path = join(dir, 'server');
  await writeFile(path, bytes);
  return {
    type: 'file',
    path: 'app/server',
    mode,
    uid: 0,
    gid: 0,
    content: { kind: 'file', path, size: bytes.length },
  };
}

const strip = (l: { digest: string; diffId: string; size: number; uncompressedSize: number }) => ({
  digest: l.digest,
  diffId: l.diffId,
  size: l.size,
  uncompressedSize: l.uncompressedSize,
});

test('a cache hit gives the same blob as a miss and as no cache at all, and hard-links it', async () => {
  await withDir(async (dir) => {
    const entry = await binaryEntry(dir, Buffer.alloc(2 * 1024 * 1024 + 5, 'go binary bytes '));
    const cache = new LayerCache(join(dir, 'cache'));
    const plain = await writeLayer([entry], { mtime: 0, blobDir: join(dir, 'plain') });
    const miss = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'one'), cache });
    const hit = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'two'), cache });
    assert.equal(miss.cached, false);
    assert.equal(hit.cached, true);
    assert.deepEqual(strip(miss), strip(plain));
    assert.deepEqual(strip(hit), strip(plain));
    assert.deepEqual(await readFile(hit.path), await readFile(plain.path));
    assert.equal(statSync(hit.path).ino, statSync(miss.path).ino, 'one copy on disk: hard links');
  });
});

test('the key follows content, mode, path and mtime, through the diffID the layer will have', async () => {
  await withDir(async (dir) => {
    const key = async (e: LayerEntry, mtime = 0) => keyOf(await diffIdOf(completeEntries([e]), mtime));
    const written = await writeLayer([await binaryEntry(dir, Buffer.from('one'))], {
      mtime: 0,
      blobDir: join(dir, 'w'),
    });
    assert.equal(
      await diffIdOf(completeEntries([await binaryEntry(dir, Buffer.from('one'))]), 0),
      written.diffId,
    );
    const a = await binaryEntry(dir, Buffer.from('one'));
    const k = await key(a);
    assert.equal(await key(a), k, 'stable');
    assert.notEqual(await key(a, 1), k, 'mtime');
    assert.notEqual(await key({ ...a, mode: 0o700 } as LayerEntry), k, 'mode');
    assert.notEqual(await key({ ...a, path: 'app/other' } as LayerEntry), k, 'path');
    const b = await binaryEntry(dir, Buffer.from('two'));
    assert.notEqual(await key(b), k, 'same size, other bytes');
  });
});

test('a damaged cached blob is not served: the layer is rebuilt and correct', async () => {
  await withDir(async (dir) => {
    const entry = await binaryEntry(dir, Buffer.alloc(300_000, 'x'));
    const cacheDir = join(dir, 'cache');
    const cache = new LayerCache(cacheDir);
    const first = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'a'), cache });
    const blob = join(cacheDir, 'blobs', 'sha256', first.digest.slice(7));
    const bytes = await readFile(blob);
    bytes[bytes.length - 10] ^= 0xff;
    await rm(blob);
    await writeFile(blob, bytes);
    const again = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'b'), cache });
    assert.equal(again.cached, false);
    assert.equal(again.digest, first.digest);
    assert.equal(sha256(await readFile(again.path)), first.digest);
  });
});

test('a slot lends the unchanged gzip blocks of its last layer: same bytes as no cache at all', async () => {
  await withDir(async (dir) => {
    const cacheDir = join(dir, 'cache');
    const cache = new LayerCache(cacheDir);
    const slot = join(dir, 'slot');
    await mkdir(slot);
    const v1 = randomBytes(20 * GZIP_BLOCK + 77);
    const v2 = Buffer.from(v1);
    v2.write('one line changed', 7 * GZIP_BLOCK + 3);
    const entry = (data: Buffer): LayerEntry => ({
      type: 'file',
      path: 'app/server',
      mode: 0o755,
      uid: 0,
      gid: 0,
      content: { kind: 'bytes', data },
    });
    await cachedLayer([entry(v1)], { mtime: 0, blobDir: join(dir, 'a'), cache, slot });
    const lent = await cache.reusableBlocks(slot);
    assert.equal(lent?.blocks.size, 21, 'every block of the first layer, by hash');
    const rebuilt = await cachedLayer([entry(v2)], { mtime: 0, blobDir: join(dir, 'b'), cache, slot });
    const plain = await writeLayer([entry(v2)], { mtime: 0, blobDir: join(dir, 'plain') });
    assert.equal(rebuilt.cached, false);
    assert.deepEqual(strip(rebuilt), strip(plain));
    assert.deepEqual(await readFile(rebuilt.path), await readFile(plain.path));

    // A damaged blob lends nothing (its digest no longer matches), and the build stays correct.
    const blob = join(cacheDir, 'blobs', 'sha256', rebuilt.digest.slice(7));
    const bytes = await readFile(blob);
    bytes[100] ^= 0xff;
    await rm(blob);
    await writeFile(blob, bytes);
    assert.equal(await cache.reusableBlocks(slot), undefined);
    const v3 = Buffer.from(v2);
    v3.write('another change', 3);
    const third = await cachedLayer([entry(v3)], { mtime: 0, blobDir: join(dir, 'c'), cache, slot });
    const plain3 = await writeLayer([entry(v3)], { mtime: 0, blobDir: join(dir, 'plain3') });
    assert.deepEqual(await readFile(third.path), await readFile(plain3.path));

    // Blocks compressed another way (an older goimg's gzip format) are not lent.
    assert.ok(await cache.reusableBlocks(slot), 'the third layer lends its blocks');
    const slotFile = join(slot, '.goimg-last-layer.json');
    const last = JSON.parse(await readFile(slotFile, 'utf8')) as Record<string, unknown>;
    await writeFile(slotFile, JSON.stringify({ ...last, gzip: 'gzip-1-blocks-65536' }));
    assert.equal(await cache.reusableBlocks(slot), undefined);
  });
});

test("a slot's hint only picks the order: lookup first when it matches, straight to writing when not", async () => {
  await withDir(async (dir) => {
    const cache = new LayerCache(join(dir, 'cache'));
    const slot = join(dir, 'slot');
    await mkdir(slot);
    const entry: LayerEntry = {
      type: 'file',
      path: 'app/server',
      mode: 0o755,
      uid: 0,
      gid: 0,
      content: { kind: 'bytes', data: randomBytes(5 * GZIP_BLOCK) },
    };
    const build = (name: string, hint: string) =>
      cachedLayer([entry], { mtime: 0, blobDir: join(dir, name), cache, slot, hint });
    const first = await build('a', 'inode-1');
    const sameHint = await build('b', 'inode-1');
    assert.equal(sameHint.cached, true, 'looked up and found');
    const otherHint = await build('c', 'inode-2');
    assert.equal(otherHint.cached, false, 'written again, every block lent');
    assert.deepEqual(strip(otherHint), strip(first), 'the same layer either way');
    assert.deepEqual(await readFile(otherHint.path), await readFile(first.path));
  });
});

test('prune keeps the most recently used records and the blobs they name', async () => {
  await withDir(async (dir) => {
    const cacheDir = join(dir, 'cache');
    const cache = new LayerCache(cacheDir);
    for (let i = 0; i < 5; i++) {
      const e: LayerEntry = {
        type: 'file',
        path: `f${i}`,
        mode: 0o644,
        uid: 0,
        gid: 0,
        content: { kind: 'bytes', data: Buffer.from(`n${i}`) },
      };
      const layer = await cachedLayer([e], { mtime: 0, blobDir: join(dir, 'store'), cache });
      // Used at second i: the order pruning goes by, set rather than waited for.
      const record = join(cacheDir, 'layers', `${keyOf(layer.diffId)}.json`);
      await utimes(record, i, i);
    }
    await cache.prune(2, 3);
    assert.equal(readdirSync(join(cacheDir, 'layers')).length, 5, 'within the slack: nothing removed yet');
    await cache.prune(2, 0);
    const kept = readdirSync(join(cacheDir, 'layers'));
    assert.equal(kept.length, 2);
    assert.equal(readdirSync(join(cacheDir, 'blobs', 'sha256')).length, 2);
    // The two most recently used (f3, f4) are the ones kept.
    const last = await Promise.all(
      [3, 4].map(async (i) => {
        const data = Buffer.from(`n${i}`);
        const e: LayerEntry = {
          type: 'file',
          path: `f${i}`,
          mode: 0o644,
          uid: 0,
          gid: 0,
          content: { kind: 'bytes', data },
        };
        return `${keyOf(await diffIdOf(completeEntries([e]), 0))}.json`;
      }),
    );
    assert.deepEqual(kept.sort(), last.sort());
  });
});

test('the cache directory: GOIMG_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache; off disables it', () => {
  assert.equal(defaultCacheDir({ GOIMG_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' }), '/c');
  assert.equal(defaultCacheDir({ GOIMG_CACHE_DIR: 'off', HOME: '/h' }), undefined);
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/goimg');
  assert.equal(defaultCacheDir({ HOME: '/h' }), '/h/.cache/goimg');
});

test('a damaged record is a miss: the layer is built again, kept again, and the damage said once', async () => {
  await withDir(async (dir) => {
    const said: string[] = [];
    const cacheDir = join(dir, 'cache');
    const cache = new LayerCache(
      cacheDir,
      once((t) => said.push(t)),
    );
    const entry = await binaryEntry(dir, Buffer.alloc(100_000, 'y'));
    const first = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'a'), cache });
    const record = join(cacheDir, 'layers', `${keyOf(first.diffId)}.json`);
    await writeFile(record, 'garbage');
    const again = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'b'), cache });
    assert.equal(again.cached, false);
    assert.equal(again.digest, first.digest);
    await writeFile(record, '{"digest": 1}');
    await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'c'), cache });
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(said[0]!, /damaged entry .*\.json\): ignored, the layer is built again/);
    const healed = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'd'), cache });
    assert.equal(healed.cached, true, 'the rebuilt layer was kept again');
  });
});

test('a cache that cannot be written: not used, said once; a layer is still written', async () => {
  await withDir(async (dir) => {
    const said: string[] = [];
    const warn = once((t) => said.push(t));
    const file = join(dir, 'file');
    await writeFile(file, 'not a directory');
    assert.equal(usableCacheDir(join(file, 'goimg'), warn), undefined);
    assert.match(said[0] ?? '', /cache at .*file\/goimg cannot be used \(ENOTDIR/);
    // A cache that becomes unwritable during a build (its layers directory is a file).
    const cacheDir = join(dir, 'cache');
    await mkdir(cacheDir);
    await writeFile(join(cacheDir, 'layers'), 'in the way');
    const heard: string[] = [];
    const cache = new LayerCache(
      cacheDir,
      once((t) => heard.push(t)),
    );
    const entry = await binaryEntry(dir, Buffer.from('bytes'));
    const layer = await cachedLayer([entry], { mtime: 0, blobDir: join(dir, 'out'), cache });
    const plain = await writeLayer([entry], { mtime: 0, blobDir: join(dir, 'plain') });
    assert.deepEqual(strip(layer), strip(plain));
    assert.equal(heard.length, 1);
    assert.match(heard[0]!, /cannot be written \(E[A-Z]+ .*\): the layer is not kept/);
  });
});
