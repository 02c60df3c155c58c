/** Reading the new binary into memory prepared while go ran: same bytes whatever the buffer. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareRead, readWhole } from '../../../src/build/binary-read.js';

test('prepareRead sizes a buffer from the last binary; readWhole fills it or falls back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-binary-read-'));
  try {
    const path = join(dir, 'app');
    assert.equal(prepareRead(path), undefined, 'no last binary: nothing to prepare');
    const first = randomBytes(300_000);
    writeFileSync(path, first);
    const prepared = prepareRead(path);
    assert.ok(prepared && prepared.length >= first.length + (1 << 20), 'room to grow');

    const grown = randomBytes(first.length + 1000);
    writeFileSync(path, grown);
    const read = readWhole(path, prepared);
    assert.ok(read.bytes.equals(grown));
    assert.equal(read.bytes.buffer, prepared?.buffer, 'read into the prepared memory');
    assert.equal(read.stat.size, grown.length);

    const huge = randomBytes((prepared?.length ?? 0) + 1);
    writeFileSync(path, huge);
    const fallback = readWhole(path, prepared);
    assert.ok(fallback.bytes.equals(huge), 'too big for the buffer: read on its own');
    assert.notEqual(fallback.bytes.buffer, prepared?.buffer);
    assert.ok(readWhole(path).bytes.equals(huge), 'nothing prepared');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
