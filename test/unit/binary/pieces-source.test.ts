import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { piecesSource } from '../../../src/binary/source.js';
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
