import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { constants, deflateRawSync, gunzipSync } from 'node:zlib';
import { fixedBlocks, GZIP_BLOCK, GZIP_MEM_LEVEL, gzipBlocks } from '../../../src/build/gzip-blocks.js';

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const b of gen) out.push(b);
  return Buffer.concat(out);
}

async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Chunks that are all views of one buffer, overwritten for each next chunk (lent chunks). */
async function* lending(data: Buffer, size: number): AsyncGenerator<Buffer> {
  const buffer = Buffer.alloc(size);
  for (let i = 0; i < data.length; i += size) {
    const n = data.copy(buffer, 0, i, i + size);
    yield buffer.subarray(0, n);
    buffer.fill(0xee); // what a reused buffer holds once the next read starts
  }
}

/** Half random (incompressible), half repetitive: spans several blocks, ends mid-block. */
function sample(): Buffer {
  const text = Buffer.from('goimg '.repeat(400_000));
  return Buffer.concat([randomBytes(GZIP_BLOCK + 12345), text]);
}

test('fixedBlocks cuts at fixed offsets whatever the input chunking', async () => {
  const data = sample();
  for (const size of [1, 7777, GZIP_BLOCK, 3 * GZIP_BLOCK]) {
    const blocks: Buffer[] = [];
    for await (const b of fixedBlocks(chunked(data, size === 1 ? 65536 : size), GZIP_BLOCK)) blocks.push(b);
    assert.ok(blocks.slice(0, -1).every((b) => b.length === GZIP_BLOCK));
    assert.ok(Buffer.concat(blocks).equals(data));
  }
});

test('gzipBlocks: one gzip member that gunzip reads back; bytes independent of chunking and width', async () => {
  const data = sample();
  const one = await collect(gzipBlocks(chunked(data, 65536), 1));
  const two = await collect(gzipBlocks(chunked(data, 999_999), 1, { width: 1 }));
  const three = await collect(gzipBlocks(chunked(data, data.length), 1, { width: 8 }));
  assert.ok(one.equals(two) && one.equals(three), 'same bytes for any chunking and parallelism');
  assert.ok(gunzipSync(one).equals(data), 'Node gunzip (crc and size checked)');
  const gz = spawnSync('gzip', ['-t'], { input: one });
  if (!gz.error) assert.equal(gz.status, 0, `gzip -t: ${gz.stderr}`);
  const cat = spawnSync('gzip', ['-dc'], { input: one, maxBuffer: 1 << 26 });
  if (!cat.error)
    assert.equal(
      createHash('sha256').update(cat.stdout).digest('hex'),
      createHash('sha256').update(data).digest('hex'),
    );
});

test('gzipBlocks over lent chunks (one buffer, overwritten) gives the bytes owned chunks give', async () => {
  const data = sample();
  const owned = await collect(gzipBlocks(chunked(data, 65536), 1));
  // Chunk sizes that leave a partial block held across chunks, and one smaller than a block.
  for (const size of [1000, 100_000, 3 * GZIP_BLOCK + 17]) {
    const lent = await collect(gzipBlocks(lending(data, size), 1, { width: 4 }));
    assert.ok(lent.equals(owned), `chunks of ${size} bytes`);
  }
});

test('gzipBlocks: empty input is a valid empty gzip', async () => {
  const empty = await collect(gzipBlocks(chunked(Buffer.alloc(0), 1), 1));
  assert.equal(gunzipSync(empty).length, 0);
});

test('gzipBlocks: reusing earlier compressed blocks gives the same bytes as compressing them', async () => {
  const before = sample();
  const after = Buffer.from(before);
  after.write('a one-line change', GZIP_BLOCK + 100); // touches the second block only
  const seen: { hash: string; length: number }[] = [];
  const compressed = await collect(gzipBlocks(chunked(before, 65536), 1, { onBlock: (b) => seen.push(b) }));
  // The blocks of `before`, by hash, cut out of its gzip stream (10-byte header first).
  const known = new Map<string, Buffer>();
  let offset = 10;
  for (const b of seen) {
    known.set(b.hash, compressed.subarray(offset, offset + b.length));
    offset += b.length;
  }
  let reused = 0;
  const fresh = await collect(gzipBlocks(chunked(after, 65536), 1));
  const again = await collect(
    gzipBlocks(chunked(after, 65536), 1, {
      reuse: (hash) => {
        const hit = known.get(hash);
        if (hit) reused++;
        return hit;
      },
    }),
  );
  assert.ok(again.equals(fresh), 'byte-identical to a build without reuse');
  assert.ok(gunzipSync(again).equals(after));
  const blocks = Math.ceil(after.length / GZIP_BLOCK);
  // Only the second block changed: every other one is found again.
  assert.equal(reused, blocks - 1);
});

test('gzipBlocks: deflate streams reused across blocks and layers give what a fresh stream per block gives', async () => {
  // Lanes are reset, never re-created: a reset must leave nothing of the previous block behind.
  const data = sample();
  const expected: Buffer[] = [Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x04, 0x03])];
  for (let at = 0; at < data.length; at += GZIP_BLOCK)
    expected.push(
      deflateRawSync(data.subarray(at, at + GZIP_BLOCK), {
        level: 1,
        memLevel: GZIP_MEM_LEVEL,
        finishFlush: constants.Z_SYNC_FLUSH,
      }),
    );
  const body = Buffer.concat(expected);
  for (let round = 0; round < 3; round++) {
    const out = await collect(gzipBlocks(chunked(data, 65536), 1));
    assert.ok(out.subarray(0, body.length).equals(body), `round ${round}: blocks as fresh streams give them`);
    assert.ok(gunzipSync(out).equals(data));
  }
});
