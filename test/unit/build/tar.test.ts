import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { sha256 } from '../../../src/build/blobs.js';
import { completeEntries, type LayerEntry, writeLayer } from '../../../src/build/tar.js';

function file(path: string, text: string, mode = 0o644, uid = 0): LayerEntry {
  return { type: 'file', path, mode, uid, gid: uid, content: { kind: 'bytes', data: Buffer.from(text) } };
}

interface Seen {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  body: string;
  linkname?: string | null;
}

/** Reads a written layer back with an independent tar reader (tar-stream). */
async function readLayer(path: string): Promise<Seen[]> {
  const extract = tarStream.extract();
  const seen: Seen[] = [];
  extract.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      seen.push({
        name: h.name,
        type: h.type ?? 'file',
        mode: h.mode ?? 0,
        uid: h.uid ?? -1,
        gid: h.gid ?? -1,
        mtime: (h.mtime?.getTime() ?? -1) / 1000,
        body: Buffer.concat(chunks).toString(),
        linkname: h.linkname,
      });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    createReadStream(path).pipe(createGunzip()).pipe(extract);
  });
  return seen;
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'goimg-tar-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('entry order does not change the layer: sorted, parents added, same digests', async () => {
  await withDir(async (dir) => {
    const a = [
      file('etc/passwd', 'p'),
      file('app/x', 'bin', 0o755),
      { type: 'dir', path: 'tmp', mode: 0o1777, uid: 0, gid: 0 } as LayerEntry,
    ];
    const one = await writeLayer(a, { mtime: 0, blobDir: join(dir, 'one') });
    const two = await writeLayer([...a].reverse(), { mtime: 0, blobDir: join(dir, 'two') });
    assert.equal(one.digest, two.digest);
    assert.equal(one.diffId, two.diffId);
    assert.equal(sha256(await readFile(one.path)), one.digest, 'digest is the sha256 of the blob bytes');
    const names = (await readLayer(one.path)).map((e) => e.name);
    assert.deepEqual(names, ['app/', 'app/x', 'etc/', 'etc/passwd', 'tmp/']);
  });
});

test('owners, modes and mtime come from the entries, not the disk', async () => {
  await withDir(async (dir) => {
    const layer = await writeLayer(
      [
        file('app/srv', 'x', 0o755),
        { type: 'dir', path: 'home/nonroot', mode: 0o700, uid: 65532, gid: 65532 },
        { type: 'symlink', path: 'bin/srv', target: '/app/srv', uid: 0, gid: 0 },
      ],
      { mtime: 1700000000, blobDir: dir },
    );
    const seen = await readLayer(layer.path);
    const by = new Map(seen.map((s) => [s.name, s]));
    assert.equal(by.get('app/srv')?.mode, 0o755);
    assert.equal(by.get('home/nonroot/')?.uid, 65532);
    assert.equal(by.get('home/nonroot/')?.mode, 0o700);
    assert.equal(by.get('home/')?.uid, 0, 'added parents are root-owned');
    assert.equal(by.get('bin/srv')?.type, 'symlink');
    assert.equal(by.get('bin/srv')?.linkname, '/app/srv');
    for (const s of seen) assert.equal(s.mtime, 1700000000);
  });
});

test('a different mtime changes the diffID; the same inputs always give the same bytes', async () => {
  await withDir(async (dir) => {
    const entries = [file('a', 'same')];
    const t0 = await writeLayer(entries, { mtime: 0, blobDir: join(dir, 'a') });
    const t0again = await writeLayer(entries, { mtime: 0, blobDir: join(dir, 'b') });
    const t1 = await writeLayer(entries, { mtime: 1, blobDir: join(dir, 'c') });
    assert.deepEqual(await readFile(t0.path), await readFile(t0again.path));
    assert.notEqual(t0.diffId, t1.diffId);
  });
});

test('long names use the ustar prefix or a PAX header, and GNU tar reads them back', async () => {
  await withDir(async (dir) => {
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/file.txt`;
    const huge = `${'x'.repeat(120)}/${'y'.repeat(150)}.txt`;
    const layer = await writeLayer([file(deep, 'deep'), file(huge, 'huge')], { mtime: 0, blobDir: dir });
    const names = (await readLayer(layer.path)).filter((s) => s.type === 'file').map((s) => s.name);
    assert.ok(names.includes(deep));
    assert.ok(names.includes(huge));
    const gnu = spawnSync('tar', ['-tzf', layer.path], { encoding: 'utf8' });
    assert.equal(gnu.status, 0, gnu.stderr);
    assert.ok(gnu.stdout.split('\n').includes(huge), gnu.stdout);
  });
});

test('paths that leave the root or repeat are refused', () => {
  assert.throws(() => completeEntries([file('../etc/passwd', 'x')]), /leaves the root/);
  assert.throws(() => completeEntries([file('a', '1'), file('/a', '2')]), /appears twice/);
});

test('a file read from disk is streamed and sized', async () => {
  await withDir(async (dir) => {
    const src = join(dir, 'big.bin');
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    await (await import('node:fs/promises')).writeFile(src, data);
    const layer = await writeLayer(
      [
        {
          type: 'file',
          path: 'app/big',
          mode: 0o755,
          uid: 0,
          gid: 0,
          content: { kind: 'file', path: src, size: data.length },
        },
      ],
      { mtime: 0, blobDir: join(dir, 'blobs') },
    );
    const seen = await readLayer(layer.path);
    assert.equal(seen.find((s) => s.name === 'app/big')?.body.length, data.length);
    assert.equal(layer.uncompressedSize % 512, 0);
  });
});
