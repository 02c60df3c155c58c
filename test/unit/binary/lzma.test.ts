/**
 * The raw LZMA decoder on hostile input: whatever the bytes, it fills exactly the output it was
 * given or throws LzmaError, and never writes past it. Real streams (blocks of `upx --lzma`) are
 * decoded in upx-unpack.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LzmaError, lzmaDecompress } from '../../../src/binary/lzma.js';

const DEFAULT = { lc: 3, lp: 0, pb: 2 };

test('hostile LZMA streams stop at the end of the input or the recorded size', () => {
  const out = Buffer.alloc(64);
  assert.throws(() => lzmaDecompress(Buffer.alloc(4), DEFAULT, out), /ends early/);
  assert.throws(() => lzmaDecompress(Buffer.alloc(1 << 16), DEFAULT, Buffer.alloc(1 << 20)), LzmaError);
  assert.throws(() => lzmaDecompress(Buffer.alloc(4096, 0xff), DEFAULT, out), /start with a zero byte/);
  const ones = Buffer.alloc(4096, 0xff);
  ones[0] = 0;
  assert.throws(() => lzmaDecompress(ones, DEFAULT, out), /impossible code/);
  assert.throws(() => lzmaDecompress(Buffer.alloc(64), { lc: 9, lp: 0, pb: 2 }, out), /out of range/);
  assert.throws(() => lzmaDecompress(Buffer.alloc(64), { lc: 3, lp: 5, pb: 2 }, out), /out of range/);
});

test('fuzz: random LZMA streams fill the output exactly or throw LzmaError', () => {
  // A guard byte after the output shows nothing is written past it.
  const props = fc.record({
    lc: fc.integer({ min: 0, max: 8 }),
    lp: fc.integer({ min: 0, max: 4 }),
    pb: fc.integer({ min: 0, max: 4 }),
  });
  let decoded = 0;
  fc.assert(
    fc.property(
      props,
      fc.uint8Array({ minLength: 5, maxLength: 512 }),
      fc.integer({ min: 1, max: 4096 }),
      (p, bytes, size) => {
        bytes[0] = 0; // past the first check, into the decoder proper
        const mem = Buffer.alloc(size + 1, 0xa5);
        try {
          lzmaDecompress(bytes, p, mem.subarray(0, size));
          decoded++;
        } catch (e) {
          assert.ok(e instanceof LzmaError, String(e));
        }
        assert.equal(mem[size], 0xa5);
      },
    ),
    { numRuns: 2000, seed: 5 },
  );
  assert.ok(decoded < 2000, 'random bytes are not all valid streams');
});
