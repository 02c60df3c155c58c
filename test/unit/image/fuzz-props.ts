/**
 * Properties of the layer reader and merge under random (often hostile) layers: every input
 * either analyses with sane numbers or fails with InputError; nothing else escapes, nothing
 * hangs. Shared by the unit test (a short run) and scripts/fuzz-image.mjs (long runs).
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors.js';
import { decompress } from '../../../src/image/decompress.js';
import { scanLayer } from '../../../src/image/layer-reader.js';
import { MergedFs } from '../../../src/image/merge.js';
import { type TestEntry, tarOf } from './layout.js';

const plain = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('a', 'b', 'dir', '.', 'x y', 'ü') },
  { weight: 1, arbitrary: fc.constantFrom('..', '.wh.a') },
);
const last = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('a', 'b', 'dir', 'x y', 'ü') },
  { weight: 8, arbitrary: fc.constantFrom('.wh.a', '.wh.dir', '.wh..wh..opq', '.wh.b') },
  { weight: 1, arbitrary: fc.constantFrom('..', '.wh..', '.wh.') },
);
const name = fc
  .tuple(
    fc.nat(39).map((n) => n === 0),
    fc.array(plain, { maxLength: 3 }),
    last,
    fc.boolean(),
  )
  .map(([abs, parts, end, slash]) => `${abs ? '/' : ''}${[...parts, end].join('/')}${slash ? '/' : ''}`);

const entry: fc.Arbitrary<TestEntry> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ name, data: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) }),
  },
  { weight: 3, arbitrary: fc.record({ name, type: fc.constant('directory' as const) }) },
  { weight: 2, arbitrary: fc.record({ name, type: fc.constant('symlink' as const), linkname: name }) },
  { weight: 1, arbitrary: fc.record({ name, type: fc.constant('link' as const), linkname: name }) },
);

const layer = fc.array(entry, { maxLength: 12 });

export interface FuzzResult {
  runs: number;
  accepted: number;
  refused: number;
}

async function analyse(layers: Buffer[], mutate: ((b: Buffer) => Buffer) | null): Promise<'ok' | 'refused'> {
  const fs = new MergedFs();
  try {
    for (const [i, tar] of layers.entries()) {
      const blob = mutate ? mutate(gzipSync(tar)) : gzipSync(tar);
      const inflated = await decompress(Readable.from([blob]), `layer ${i}`);
      const scan = await scanLayer(inflated.stream, `layer ${i}`, null);
      fs.apply(i, scan.entries);
    }
  } catch (err) {
    if (err instanceof InputError) {
      if (process.env.GOIMG_FUZZ_DEBUG) console.error(err.message);
      return 'refused';
    }
    throw err;
  }
  if (fs.wasteBytes < 0 || fs.wasteBytes > fs.totalFileBytes)
    throw new Error(`waste ${fs.wasteBytes} > total ${fs.totalFileBytes}`);
  if (fs.efficiency < 0 || fs.efficiency > 1) throw new Error(`efficiency ${fs.efficiency}`);
  for (const { path } of fs.walk()) {
    if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '.' || p === '')) {
      throw new Error(`unclean path in merged view: ${path}`);
    }
    if (path.split('/').some((p) => p.startsWith('.wh.')))
      throw new Error(`whiteout leaked into merged view: ${path}`);
  }
  return 'ok';
}

export async function runFuzz(numRuns: number, seed?: number): Promise<FuzzResult> {
  const result: FuzzResult = { runs: 0, accepted: 0, refused: 0 };
  const mutation = fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % Math.max(1, b.length))),
        fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, x]) => (b: Buffer) => {
          const c = Buffer.from(b);
          c[n % c.length]! ^= x;
          return c;
        }),
      ),
    },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(layer, { minLength: 1, maxLength: 4 }), mutation, async (layers, mutate) => {
      const tars = await Promise.all(layers.map((l) => tarOf(l)));
      const outcome = await analyse(tars, mutate);
      result.runs++;
      if (outcome === 'ok') result.accepted++;
      else result.refused++;
    }),
    { numRuns, seed, interruptAfterTimeLimit: 10 * 60_000 },
  );
  return result;
}
