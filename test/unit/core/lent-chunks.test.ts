import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileDigest, LENT_CHUNK, lentFileChunks } from '../../../src/core/lent-chunks.js';

test('lentFileChunks: the file in order, every piece a view of one buffer; fileDigest hashes it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-lent-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = randomBytes(2 * LENT_CHUNK + 1234);
  const file = join(dir, 'data');
  writeFileSync(file, data);
  const copies: Buffer[] = [];
  const memory = new Set<ArrayBuffer>();
  for await (const piece of lentFileChunks(file)) {
    copies.push(Buffer.from(piece));
    memory.add(piece.buffer as ArrayBuffer);
  }
  assert.deepEqual(
    copies.map((c) => c.length),
    [LENT_CHUNK, LENT_CHUNK, 1234],
  );
  assert.ok(Buffer.concat(copies).equals(data));
  assert.equal(memory.size, 1, 'one buffer lent again and again');
  assert.equal(await fileDigest(file), `sha256:${createHash('sha256').update(data).digest('hex')}`);

  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  const pieces: Buffer[] = [];
  for await (const piece of lentFileChunks(empty)) pieces.push(piece);
  assert.equal(pieces.length, 0);
  await assert.rejects(fileDigest(join(dir, 'missing')), { code: 'ENOENT' });
});
