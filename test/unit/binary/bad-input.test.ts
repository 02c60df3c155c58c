/**
 * Bad input: zero-length, truncated, non-ELF, corrupt headers and tables. Each must end in an
 * InputError naming the problem (or a valid report), never a crash, hang or huge allocation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bufferSource, inspectBinary } from '../../../src/binary/index.js';
import { InputError } from '../../../src/core/errors.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';

async function rejects(buf: Buffer, message: RegExp): Promise<void> {
  await assert.rejects(inspectBinary(bufferSource(buf)), (err: unknown) => {
    assert.ok(err instanceof InputError, `not an InputError: ${err}`);
    assert.match((err as Error).message, message);
    return true;
  });
}

test('zero-length, tiny and non-ELF inputs are refused by name', async () => {
  await rejects(Buffer.alloc(0), /not an ELF file: only 0 bytes/);
  await rejects(Buffer.from('#!/bin/sh\necho hi\n'), /script/);
  await rejects(Buffer.from('MZ\x90\x00' + '\x00'.repeat(60), 'latin1'), /PE \(Windows\).*not support yet/);
  await rejects(Buffer.from('\xcf\xfa\xed\xfe' + '\x00'.repeat(60), 'latin1'), /Mach-O.*not support yet/);
});

test('a real binary held in memory gives the same report as from its path', async (t) => {
  if (!need(t, fixtureAvailable('cgo') === null, 'Go 1.23 and gcc')) return;
  const file = (await buildFixture('netuser', 'cgo')).path;
  const fromPath = await inspectBinary(file);
  const fromMemory = await inspectBinary(bufferSource(readFileSync(file)), { name: file });
  assert.deepEqual(fromMemory, fromPath);
});

test('truncations and corrupt tables end in InputError', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const good = readFileSync((await buildFixture('app', 'static')).path);
  await rejects(good.subarray(0, 40), /ELF header.*past the end|truncated/);
  await rejects(good.subarray(0, 4096), /past the end of the file/);
  await rejects(good.subarray(0, good.length - 100), /lies past the end of the file/);

  const badShoff = Buffer.from(good);
  badShoff.writeBigUInt64LE(BigInt(good.length + 1000), 40);
  await rejects(badShoff, /section header table lies past the end/);

  const hugeCount = Buffer.from(good);
  hugeCount.writeUInt16LE(0xfff0, 60);
  await rejects(hugeCount, /section header table lies past the end/);

  const badClass = Buffer.from(good);
  badClass[4] = 9;
  await rejects(badClass, /unknown class 9/);
});

test('a section pointing past EOF is named', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const good = readFileSync((await buildFixture('app', 'static')).path);
  // Section headers: find .gopclntab's entry and move its offset past the end.
  const shoff = Number(good.readBigUInt64LE(40));
  const shnum = good.readUInt16LE(60);
  const shstrndx = good.readUInt16LE(62);
  const strOff = Number(good.readBigUInt64LE(shoff + shstrndx * 64 + 24));
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 64;
    const name = good.toString('latin1', strOff + good.readUInt32LE(o), strOff + good.readUInt32LE(o) + 10);
    if (name.startsWith('.gopclntab')) {
      const bad = Buffer.from(good);
      bad.writeBigUInt64LE(BigInt(good.length * 2), o + 24);
      await rejects(bad, /section \.gopclntab lies past the end of the file/);
      return;
    }
  }
  assert.fail('no .gopclntab section found');
});
