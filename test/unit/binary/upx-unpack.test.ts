/**
 * Unpacking UPX in memory, on Go fixtures packed by the real upx with each NRV method and LZMA:
 * the rebuilt bytes equal the original and `upx -d`'s output, reports read the packed file as its
 * original, and broken or hostile packed files fail with "cannot be unpacked" or are reported as
 * packed when the packing is one goimg does not decode.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ElfFile } from '../../../src/binary/elf.js';
import { bufferSource, inspectBinary, renderReport } from '../../../src/binary/index.js';
import { NrvError, nrvDecompress } from '../../../src/binary/nrv.js';
import { openUnpacked, UpxCorrupt, unpackUpx } from '../../../src/binary/upx-unpack.js';
import { InputError } from '../../../src/core/errors.js';
import { readBinaryFacts } from '../../../src/vuln/binary.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { REAL_BINARIES, tool } from './tools.js';

const work = mkdtempSync(join(tmpdir(), 'goimg-upx-'));

/** The app fixture, a copy packed with `upx args`, and that copy unpacked by `upx -d`. */
async function packed(
  args: string[],
  variant: 'static' | 'arm64' = 'static',
): Promise<{ original: Buffer; packed: Buffer; upxD: Buffer; path: string }> {
  const original = (await buildFixture('app', variant)).path;
  const name = join(work, `${basename(original)}${args.join('')}`);
  copyFileSync(original, name);
  const p = tool('upx', ['-q', ...args, name]);
  assert.equal(p.status, 0, p.stderr);
  copyFileSync(name, `${name}.d`);
  const d = tool('upx', ['-q', '-d', `${name}.d`]);
  assert.equal(d.status, 0, d.stderr);
  return {
    original: readFileSync(original),
    packed: readFileSync(name),
    upxD: readFileSync(`${name}.d`),
    path: name,
  };
}

const unpack = async (buf: Buffer, limit?: number): Promise<Buffer> =>
  unpackUpx(await ElfFile.open(bufferSource(buf)), limit);

for (const [args, method] of [
  [[], 'NRV2E_LE32'],
  [['--nrv2b'], 'NRV2B_LE32'],
  [['--nrv2d'], 'NRV2D_LE32'],
  [['--lzma'], 'LZMA'],
] as const) {
  test(`${method}: the rebuilt file equals the original and upx -d's output, byte for byte`, async (t) => {
    if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
    const f = await packed([...args]);
    const rebuilt = await unpack(f.packed);
    assert.ok(rebuilt.equals(f.upxD), 'equals upx -d');
    assert.ok(rebuilt.equals(f.original), 'equals the original');
  });

  test(`${method}: goimg binary reads the packed file as its original and still says it is packed`, async (t) => {
    if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
    const f = await packed([...args]);
    const a = await inspectBinary(bufferSource(f.packed));
    const b = await inspectBinary(bufferSource(f.original));
    assert.deepEqual(a.upx, {
      packed: true,
      version: a.upx.version,
      method,
      unpackedSize: f.original.length,
    });
    assert.equal(a.size, f.packed.length);
    assert.equal(a.goVersion, b.goVersion);
    assert.ok(a.buildInfo && a.buildInfo.deps.length > 0);
    assert.deepEqual(a.buildInfo, b.buildInfo);
    assert.deepEqual(a.sizes, b.sizes);
    assert.ok((a.sizes?.packages.length ?? 0) > 0);
    assert.deepEqual([a.linkage, a.cgo, a.stripSavings], [b.linkage, b.cgo, b.stripSavings]);
    // Shares are of the unpacked program, as for the original, not of the smaller packed file.
    const sizeLine = (text: string) => text.split('\n').find((l) => /^\s*size\s/.test(l));
    assert.ok(sizeLine(renderReport(b)));
    assert.equal(sizeLine(renderReport(a)), sizeLine(renderReport(b)));
  });
}

for (const args of [[], ['--lzma']]) {
  test(`a packed Go program nobody here built unpacks to its original bytes (upx${args.map((a) => ` ${a}`).join('')})`, async (t) => {
    const real = REAL_BINARIES.filter((p) => !p.endsWith('docker') && !p.endsWith('dockerd')).at(-1);
    if (
      !need(t, real !== undefined && fixtureAvailable('upx') === null, 'a Debian-packaged Go program and upx')
    )
      return;
    const name = join(work, `real${args.join('')}`);
    copyFileSync(real as string, name);
    const p = tool('upx', ['-q', ...args, name]);
    assert.equal(p.status, 0, p.stderr);
    assert.ok((await unpack(readFileSync(name))).equals(readFileSync(real as string)), real);
  });
}

test('hostile NRV streams stop at the recorded size or the end of the input', () => {
  for (const variant of ['NRV2B', 'NRV2D', 'NRV2E'] as const) {
    // All ones: literals until the output is full. All zeros: an offset code that only grows.
    assert.throws(() => nrvDecompress(variant, Buffer.alloc(4096, 0xff), Buffer.alloc(64)), /output larger/);
    assert.throws(() => nrvDecompress(variant, Buffer.alloc(1 << 20), Buffer.alloc(64)), NrvError);
    assert.throws(() => nrvDecompress(variant, Buffer.alloc(3), Buffer.alloc(64)), /ends early/);
  }
});

for (const args of [[], ['--lzma']]) {
  test(`goimg vuln reads a packed binary as its original (upx${args.map((a) => ` ${a}`).join('')})`, async (t) => {
    if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
    const f = await packed(args);
    const packages = async () => ['runtime', 'example.com/greet'];
    const a = await readBinaryFacts(bufferSource(f.packed), packages, 'x');
    const b = await readBinaryFacts(bufferSource(f.original), packages, 'x');
    assert.equal(a.status, 'go');
    assert.deepEqual(a, b);
  });
}

test('LZMA with other literal and position bits than the default unpacks too', async (t) => {
  if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
  // upx's compression-parameter options; each block starts with the two header bytes they set.
  const f = await packed(['--lzma', '--crp-lzma-lc=0', '--crp-lzma-lp=4', '--crp-lzma-pb=0']);
  assert.ok(f.packed.includes(Buffer.from([0x20, 0x40, 0x00])), 'a block with lc=0 lp=4 pb=0');
  const rebuilt = await unpack(f.packed);
  assert.ok(rebuilt.equals(f.upxD), 'equals upx -d');
  assert.ok(rebuilt.equals(f.original), 'equals the original');
});

test('a packing goimg does not decode (arm64) is reported as packed, not unpacked', async (t) => {
  if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
  const f = await packed([], 'arm64');
  const r = await inspectBinary(bufferSource(f.packed));
  assert.equal(r.upx.method, 'NRV2E_LE32');
  assert.equal(r.buildInfo, null);
  assert.ok(r.verdicts.includes('cannot be unpacked: packed (arm64 ELF64)'), r.verdicts.join('\n'));
  const facts = await readBinaryFacts(bufferSource(f.packed), async () => [], 'x');
  assert.deepEqual(facts, { status: 'packed', file: 'x', reason: 'cannot be checked: packed (arm64 ELF64)' });
});

test('a recorded original size above the cap is refused before anything is allocated', async (t) => {
  if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
  const f = await packed([]);
  await assert.rejects(unpack(f.packed, f.original.length - 1), /recorded original size \d+ is out of range/);
  const huge = Buffer.from(f.packed);
  const at = huge.indexOf('UPX!') + 12; // p_info's original size
  assert.equal(huge.readUInt32LE(at), f.original.length);
  huge.writeUInt32LE(0xffffffff, at);
  await assert.rejects(unpack(huge), UpxCorrupt);
});

for (const [args, method] of [
  [[], 'NRV2E'],
  [['--lzma'], 'LZMA'],
] as const) {
  test(`${method}: truncated packed files fail with a clear "cannot be unpacked" error`, async (t) => {
    if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
    const f = await packed([...args]);
    for (const cut of [0x110, 0x4000, Math.floor(f.packed.length / 2), f.packed.length - 600]) {
      await assert.rejects(
        inspectBinary(bufferSource(f.packed.subarray(0, cut)), { name: 'cut' }),
        (e: Error) => e instanceof InputError && /^cut: cannot be unpacked: /.test(e.message),
        `cut at ${cut}`,
      );
    }
  });

  test(`${method}: fuzz: mutated packed files unpack or fail cleanly`, async (t) => {
    if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
    const f = await packed([...args]);
    // Mutations land in the headers, the compressed segments and the trailing blocks alike.
    const spots = fc.oneof(
      fc.integer({ min: 0, max: 0x400 }),
      fc.integer({ min: 0, max: f.packed.length - 1 }),
    );
    let unpacked = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(spots, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (edits) => {
          const buf = Buffer.from(f.packed);
          for (const [at, v] of edits) buf[at] = v;
          let elf: ElfFile;
          try {
            elf = await ElfFile.open(bufferSource(buf));
          } catch (e) {
            assert.ok(e instanceof InputError, String(e));
            return;
          }
          try {
            const r = await openUnpacked(elf);
            if ('elf' in r) {
              assert.equal(r.elf.source.size, f.original.length);
              unpacked++;
            } else refused++;
          } catch (e) {
            assert.ok(e instanceof InputError && e.message.startsWith('cannot be unpacked: '), String(e));
            refused++;
          }
        },
      ),
      { numRuns: 150, seed: 11 },
    );
    assert.ok(unpacked > 0 && refused > 0, `unpacked ${unpacked}, refused ${refused}`);
  });
}
