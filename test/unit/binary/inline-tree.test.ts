/**
 * Inline trees on real binaries (test/fixtures/go/inlineapp, whose module's functions are all
 * inlined into main): the inlined names are read for Go 1.19 (20-byte records) and Go 1.21 and
 * 1.23 (16-byte records), stripped or not, and `go build -gcflags=-m` confirms the inlining the
 * fixture relies on. Then the trees are garbled, truncated and made to claim huge lengths: the
 * read never throws and falls back to the function table's names.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ElfFile } from '../../../src/binary/elf.js';
import { readFunctionNames } from '../../../src/binary/function-names.js';
import { funcdataBase } from '../../../src/binary/moduledata.js';
import { openPclntab } from '../../../src/binary/pclntab.js';
import { bufferSource } from '../../../src/binary/source.js';
import { symbolValue } from '../../../src/binary/symbols.js';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { buildFixture, FIXTURES_DIR, type FixtureSpec, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';

const run = promisify(execFile);
const spec = (go: string, ldflags?: string): FixtureSpec => ({ go, goarch: 'amd64', cgo: false, ldflags });
const PREFIXES = ['example.com/', 'main.'];
const INLINED = ['example.com/inlinemod/clean.(*Counter).Add', 'example.com/inlinemod/clean.Trim'];

async function names(buf: Buffer): Promise<string[] | null> {
  return (await readFunctionNames(await ElfFile.open(bufferSource(buf)), PREFIXES))?.sort() ?? null;
}

test('the fixture relies on inlining: go build -gcflags=-m inlines both calls', async (t) => {
  const go = findGoToolchain('1.23');
  if (!need(t, go !== undefined, 'Go 1.23') || !go) return;
  const env = { ...process.env, GOROOT: go.goroot, GOPROXY: 'off', GOFLAGS: '', GOTOOLCHAIN: 'local' };
  const { stderr } = await run(go.go, ['build', '-buildvcs=false', '-gcflags=-m', '-o', '/dev/null', '.'], {
    cwd: join(FIXTURES_DIR, 'inlineapp'),
    env,
  });
  assert.match(stderr, /inlining call to clean\.Trim/);
  assert.match(stderr, /inlining call to clean\.\(\*Counter\)\.Add/);
});

for (const go of ['1.19', '1.21', '1.23']) {
  test(`Go ${go}: inlined functions are read from the trees, stripped or not`, async (t) => {
    if (!need(t, fixtureAvailable(spec(go)) === null, `Go ${go}`)) return;
    const plain = readFileSync((await buildFixture('inlineapp', spec(go))).path);
    const stripped = readFileSync((await buildFixture('inlineapp', spec(go, '-s -w'))).path);
    assert.deepEqual(await names(plain), [...INLINED, 'main.main']);
    assert.deepEqual(await names(stripped), await names(plain));
    // The moduledata of the stripped binary gives the address the symbol table gives.
    const elf = await ElfFile.open(bufferSource(plain));
    const symbol = await symbolValue(elf, [go === '1.19' ? 'go.func.*' : 'go:func.*']);
    assert.ok(symbol !== null && symbol > 0);
    const strippedElf = await ElfFile.open(bufferSource(stripped));
    assert.equal(await symbolValue(strippedElf, ['go:func.*', 'go.func.*']), null);
    const table = await openPclntab(strippedElf);
    assert.ok(table);
    assert.equal(await funcdataBase(strippedElf, table), symbol);
  });
}

/** Each function record's file offset, and where its inline tree's funcdata offset is. */
async function trees(buf: Buffer): Promise<{ treeFields: number[]; indexFields: number[]; span: number }> {
  const elf = await ElfFile.open(bufferSource(buf));
  const table = await openPclntab(elf);
  const section = elf.section('.gopclntab');
  assert.ok(table && section && table.header.layout === '1.20');
  const base = await funcdataBase(elf, table);
  assert.ok(base !== null);
  const at = elf.mapAddress(base);
  assert.ok(at);
  const { tabBase, nfunc } = table.header;
  const treeFields: number[] = [];
  const indexFields: number[] = [];
  for (let i = 0; i < nfunc; i++) {
    // Go 1.20+ records: 44 bytes, npcdata at 28, nfuncdata last; then pcdata, then funcdata.
    const fo = tabBase + table.data.readUInt32LE(tabBase + i * 8 + 4);
    const npcdata = table.data.readUInt32LE(fo + 28);
    if ((table.data[fo + 43] as number) <= 3 || npcdata <= 2) continue;
    const field = fo + 44 + npcdata * 4 + 12;
    if (table.data.readUInt32LE(field) === 0xffffffff) continue;
    treeFields.push(section.offset + field);
    indexFields.push(section.offset + fo + 44 + 8);
  }
  assert.ok(treeFields.length > 0, 'main.main has a tree');
  return { treeFields, indexFields, span: at.available };
}

test('garbled, truncated and oversized inline trees never throw: the table names remain', async (t) => {
  if (!need(t, fixtureAvailable(spec('1.23')) === null, 'Go 1.23')) return;
  const good = readFileSync((await buildFixture('inlineapp', spec('1.23'))).path);
  const { treeFields, indexFields, span } = await trees(good);
  const tableOnly = ['main.main'];

  // Trees outside the binary, or running past the end of their segment, are skipped.
  const outside = Buffer.from(good);
  for (const f of treeFields) outside.writeUInt32LE(0xfffffff0, f);
  assert.deepEqual(await names(outside), tableOnly);
  const truncated = Buffer.from(good);
  for (const f of treeFields) truncated.writeUInt32LE(span - 8, f);
  assert.deepEqual(await names(truncated), tableOnly);

  // A pc-value table claiming a tree of 2^29 entries: nothing that large is read or allocated.
  const huge = Buffer.from(good);
  const elf = await ElfFile.open(bufferSource(good));
  const table = await openPclntab(elf);
  assert.ok(table);
  const pctab = (elf.section('.gopclntab')?.offset as number) + table.header.pcBase;
  Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x01, 0x00]).copy(huge, pctab + 1);
  for (const f of indexFields) huge.writeUInt32LE(1, f);
  assert.deepEqual(await names(huge), tableOnly);

  // Tree bytes garbled (a fixed pseudo-random fill): whatever names they yield, no throw.
  const garbled = Buffer.from(good);
  for (const f of treeFields) garbled.writeUInt32LE(garbled.readUInt32LE(f) + 4, f);
  const offset = elf.mapAddress((await funcdataBase(elf, table)) as number)?.offset as number;
  let seed = 12345;
  for (let i = 0; i < Math.min(span, 1 << 16); i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    garbled[offset + i] = seed >>> 24;
  }
  const read = await names(garbled);
  assert.ok(read?.includes('main.main'));
});
