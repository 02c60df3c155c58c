/** The stable output slots: one build at a time holds one; a dead holder's lock is taken over. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { claimSlot, pruneSlots } from '../../../src/build/output-slot.js';

async function withDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'goimg-slot-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const what = { dir: '/src', mainPackage: '.', platform: { os: 'linux', arch: 'amd64' } };

test('a slot is held by one build at a time, and free again once released', () =>
  withDir((dir) => {
    const first = claimSlot(dir, what, 'app');
    assert.ok(first);
    assert.equal(first.output, join(first.dir, 'app'));
    assert.equal(dirname(first.tmpDir), first.dir, "go's work directory beside the output");
    assert.equal(claimSlot(dir, what, 'app'), undefined, 'held');
    const other = claimSlot(dir, { ...what, mainPackage: './cmd/x' }, 'x');
    assert.ok(other && other.dir !== first.dir, 'another configuration, another slot');
    other.release();
    first.release();
    assert.ok(!existsSync(first.tmpDir));
    const again = claimSlot(dir, what, 'app');
    assert.equal(again?.dir, first.dir, 'the same directory again');
    again?.release();
  }));

test('the lock of a build that is gone is taken over', () =>
  withDir((dir) => {
    const held = claimSlot(dir, what, 'app');
    assert.ok(held);
    held.release();
    // A process that has exited: its pid is free (the kernel does not reuse it at once).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    writeFileSync(join(held.dir, '.lock'), `${gone}\n`);
    const taken = claimSlot(dir, what, 'app');
    assert.ok(taken, 'taken over');
    taken.release();
  }));

test('pruning removes the least recently used slots, never a held one', () =>
  withDir(async (dir) => {
    const slots = [0, 1, 2, 3].map((i) => claimSlot(dir, { ...what, mainPackage: `./cmd/${i}` }, 'app')!);
    for (const [i, s] of slots.entries()) {
      if (i !== 0) s.release();
      utimesSync(s.dir, i + 1, i + 1); // slot 0 is the oldest, and still held
    }
    await pruneSlots(dir, 1);
    const left = readdirSync(join(dir, 'bin')).map((n) => join(dir, 'bin', n));
    assert.deepEqual(left.sort(), [slots[0]!.dir, slots[3]!.dir].sort());
    slots[0]!.release();
  }));
