import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import tar from 'tar-stream';
import { TarFormatError, type TarHeader, TarParser } from '../../../src/image/tar-parser.js';
import { need } from '../../helpers/requirements.js';

type Parsed = TarHeader & { data: string | null };

/** Parses `archive` fed in pieces cut at `cuts`, capturing every entry's data. */
function parse(archive: Buffer, cuts: number[] = []): Parsed[] {
  const out: Parsed[] = [];
  let parts: Buffer[] = [];
  const parser = new TarParser({
    header(h: TarHeader) {
      out.push({ ...h, data: null });
      parts = [];
      return true;
    },
    data(slice) {
      parts.push(Buffer.from(slice));
    },
    done() {
      out[out.length - 1]!.data = Buffer.concat(parts).toString('latin1');
    },
  });
  const bounds = [
    0,
    ...cuts.filter((c) => c > 0 && c < archive.length).sort((a, b) => a - b),
    archive.length,
  ];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const chunk = archive.subarray(bounds[i], bounds[i + 1]);
    for (let at = 0; at < chunk.length; ) at = parser.write(chunk, at);
  }
  parser.end();
  return out;
}

/** What tar-stream, the library the parser replaces for layer scans, reads from `archive`. */
async function viaTarStream(archive: Buffer): Promise<Parsed[]> {
  const extract = tar.extract();
  const out: Parsed[] = [];
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const h = entry.header;
      const flag = { file: '0', directory: '5', symlink: '2', link: '1' }[h.type as string] ?? '?';
      out.push({
        name: h.name,
        flag,
        size: h.size ?? 0,
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        linkname: h.linkname ?? '',
        data: flag === '0' ? Buffer.concat(chunks).toString('latin1') : '',
      });
    }
  })();
  extract.end(archive);
  await reading;
  return out;
}

async function packed(
  entries: { name: string; type: string; data: string; linkname?: string }[],
): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    const data = e.type === 'file' ? Buffer.from(e.data, 'latin1') : Buffer.alloc(0);
    pack.entry(
      {
        name: e.name,
        type: e.type as 'file',
        size: data.length,
        mode: 0o640,
        uid: 7,
        gid: 9,
        mtime: new Date(0),
        ...(e.linkname ? { linkname: e.linkname } : {}),
      },
      data,
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const entryArb = fc.record({
  name: fc.stringMatching(/^[a-z0-9._-]{1,40}(\/[a-z0-9._-]{1,40}){0,4}$/),
  type: fc.constantFrom('file', 'file', 'directory', 'symlink'),
  data: fc.string({ maxLength: 3000 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
  linkname: fc.stringMatching(/^[a-z/.]{1,60}$/),
});

test('reads what tar-stream reads, however the stream is cut into chunks', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(entryArb, { maxLength: 12 }),
      fc.array(fc.nat({ max: 60_000 }), { maxLength: 20 }),
      async (entries, cuts) => {
        const archive = await packed(entries.map((e) => (e.type === 'symlink' ? e : { ...e, linkname: '' })));
        const ours = parse(archive, cuts).map((e) => ({ ...e, data: e.flag === '0' ? e.data : '' }));
        assert.deepEqual(ours, await viaTarStream(archive));
      },
    ),
    { numRuns: 150 },
  );
});

test('GNU and PAX archives from GNU tar: long names, long link targets, ids and sizes', (t) => {
  if (!need(t, spawnSync('tar', ['--version']).status === 0, 'GNU tar')) return;
  const dir = mkdtempSync(join(tmpdir(), 'goimg-tarparser-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const deep = `${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(120)}`;
  mkdirSync(join(dir, 'src', deep), { recursive: true });
  writeFileSync(join(dir, 'src', deep, 'file.txt'), 'long-named data\n');
  writeFileSync(join(dir, 'src', 'short'), 'x'.repeat(1500));
  symlinkSync(`/${'t'.repeat(150)}/target`, join(dir, 'src', 'link'));
  // (ustar cannot hold names past 255 bytes.)
  for (const format of ['gnu', 'pax']) {
    const archive = execFileSync('tar', [
      `--format=${format}`,
      '--owner=1234567',
      '--group=42',
      '--sort=name',
      '-C',
      join(dir, 'src'),
      '-cf',
      '-',
      '.',
    ]);
    const entries = parse(archive, [100, 513, 1030, 4096]);
    const byName = new Map(entries.map((e) => [e.name.replace(/^\.\//, ''), e]));
    const file = byName.get(`${deep}/file.txt`);
    assert.ok(file, `${format}: the long-named file is read with its whole name`);
    assert.equal(file.data, 'long-named data\n');
    assert.equal(file.flag, '0');
    assert.equal(file.uid, 1234567, `${format}: an id past the octal field's range`);
    assert.equal(file.gid, 42);
    assert.equal(byName.get('short')?.data, 'x'.repeat(1500));
    assert.equal(byName.get('link')?.flag, '2');
    assert.equal(byName.get('link')?.linkname, `/${'t'.repeat(150)}/target`);
    assert.equal(byName.get(`${deep}/`)?.flag ?? byName.get(deep)?.flag, '5');
  }
});

/** A one-block header with a correct checksum. */
function header(fields: { name: string; flag: string; size?: number; magic?: string }): Buffer {
  const h = Buffer.alloc(512);
  h.write(fields.name, 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${(fields.size ?? 0).toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h[156] = fields.flag === '\0' ? 0 : fields.flag.charCodeAt(0);
  if (fields.magic !== undefined) h.write(fields.magic, 257, 'latin1');
  h.write('        ', 148);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

test('an old archive: a NUL-type entry named with a slash is a directory; links carry no data', () => {
  const archive = Buffer.concat([
    header({ name: 'olddir/', flag: '\0' }),
    // A size field on a symlink: the data is not there (as Go's reader has it).
    header({ name: 'ln', flag: '2', size: 700 }),
    header({ name: 'f', flag: '0', size: 3 }),
    Buffer.concat([Buffer.from('abc'), Buffer.alloc(509)]),
    Buffer.alloc(1024),
  ]);
  const entries = parse(archive);
  assert.deepEqual(
    entries.map((e) => [e.name, e.flag, e.data]),
    [
      ['olddir/', '5', ''],
      ['ln', '2', ''],
      ['f', '0', 'abc'],
    ],
  );
});

test('what follows the end-of-archive blocks is not read', () => {
  const archive = Buffer.concat([
    header({ name: 'f', flag: '0' }),
    Buffer.alloc(1024),
    Buffer.from('garbage'.repeat(100)),
  ]);
  assert.deepEqual(
    parse(archive).map((e) => e.name),
    ['f'],
  );
});

test('malformed archives are refused with a reason', () => {
  // A long name whose entry never comes, the archive ending inside the name's padding.
  const longName = Buffer.from('some/long/name');
  assert.throws(
    () =>
      parse(Buffer.concat([header({ name: '././@LongLink', flag: 'L', size: longName.length }), longName])),
    /extended header, before its entry/,
  );
  const good = header({ name: 'f', flag: '0', size: 600 });
  const corrupt = Buffer.from(good);
  corrupt[0] = 0x67;
  assert.throws(() => parse(Buffer.concat([corrupt, Buffer.alloc(1024)])), /checksum/);
  assert.throws(() => parse(Buffer.concat([good, Buffer.alloc(100)])), /truncated/);
  assert.throws(() => parse(good.subarray(0, 300)), /truncated/);
  assert.throws(
    () => parse(header({ name: '././@LongLink', flag: 'L', size: 2 * 1024 * 1024 })),
    /too large/,
  );
  const pax = Buffer.from('99999 path=x\n');
  assert.throws(
    () =>
      parse(
        Buffer.concat([
          header({ name: 'p', flag: 'x', size: pax.length }),
          pax,
          Buffer.alloc(512 - pax.length),
        ]),
      ),
    /PAX/,
  );
  const badSize = Buffer.from(good);
  badSize.write('0000009', 124);
  assert.throws(() => parse(badSize), /checksum|octal/);
});

test('a captured entry stops the parser just after its last byte', () => {
  const archive = Buffer.concat([
    header({ name: 'a', flag: '0', size: 2 }),
    Buffer.concat([Buffer.from('hi'), Buffer.alloc(510)]),
    header({ name: 'b', flag: '0', size: 0 }),
    header({ name: 'c', flag: '0', size: 1 }),
    Buffer.concat([Buffer.from('!'), Buffer.alloc(511)]),
    Buffer.alloc(1024),
  ]);
  const stops: number[] = [];
  const parser = new TarParser({ header: () => true, data: () => undefined, done: () => undefined });
  for (let at = 0; at < archive.length; ) {
    at = parser.write(archive, at);
    stops.push(at);
  }
  parser.end();
  // After a's data, after b's header (empty), after c's data, then the end.
  assert.deepEqual(stops, [514, 1536, 2049, archive.length]);
});

test('any bytes, and any archive with bytes flipped: entries or a TarFormatError, never anything else', async () => {
  const base = await packed([
    { name: 'a/b', type: 'file', data: 'x'.repeat(700) },
    { name: 'a/l', type: 'symlink', data: '', linkname: '../b' },
    { name: `${'n'.repeat(120)}/long`, type: 'file', data: 'y' },
  ]);
  const outcome = (bytes: Buffer) => {
    try {
      parse(bytes, [7, 511, 1500]);
    } catch (err) {
      assert.ok(err instanceof TarFormatError, `unexpected ${String(err)}`);
    }
  };
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => outcome(Buffer.from(bytes))),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      }),
      (flips) => {
        const bytes = Buffer.from(base);
        for (const [at, x] of flips) bytes[at]! ^= x;
        outcome(bytes);
      },
    ),
    { numRuns: 500 },
  );
});
