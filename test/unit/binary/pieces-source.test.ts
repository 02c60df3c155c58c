import assert from 'node:assert/strict';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { piecesSource, spanFile } from '../../../src/binary/source.js';
import { InputError } from '../../../src/core/errors.js';

test('a file held as pieces reads every range as the whole file would', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }),
      fc.nat({ max: 400 }),
      fc.nat({ max: 400 }),
      async (parts, a, b) => {
        const pieces = parts.map((p) => Buffer.from(p));
        const whole = Buffer.concat(pieces);
        const source = piecesSource(pieces);
        assert.equal(source.size, whole.length);
        const offset = Math.min(a, whole.length);
        const length = Math.min(b, whole.length - offset);
        assert.deepEqual(await source.read(offset, length), whole.subarray(offset, offset + length));
      },
    ),
    { numRuns: 400 },
  );
});

test('a range inside one piece is a view of it; a range past the end is refused', async () => {
  const first = Buffer.from('abcdef');
  const source = piecesSource([first, Buffer.from('ghij')]);
  const view = await source.read(1, 3);
  assert.equal(view.buffer, first.buffer, 'no copy');
  assert.equal(view.toString(), 'bcd');
  assert.equal((await source.read(4, 4)).toString(), 'efgh');
  await assert.rejects(source.read(8, 3), InputError);
  await assert.rejects(source.read(-1, 1), InputError);
});

test('a span of an open file reads its own stretch; after close every read is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-span-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'archive');
  writeFileSync(path, 'headerFILE-BYTEStrailer');
  const file = spanFile(openSync(path, 'r'), path);
  const span = file.span(6, 10, 'archive member');
  assert.equal(span.size, 10);
  assert.equal((await span.read(0, 10)).toString(), 'FILE-BYTES');
  assert.equal((await span.read(5, 5)).toString(), 'BYTES');
  await assert.rejects(span.read(8, 3), InputError, 'not past its own end into the trailer');
  // A stretch the file no longer holds (truncated meanwhile).
  await assert.rejects(file.span(20, 10, 'member').read(0, 10), /member shrank/);
  file.close();
  await assert.rejects(span.read(0, 4), /read after it was closed/);
  file.close(); // twice is harmless
});
