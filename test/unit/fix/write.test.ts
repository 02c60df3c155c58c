/** writeFileAtomic: replace through a rename, keep the mode, follow symlinks, leave no temp files. */
import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeFileAtomic } from '../../../src/fix/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-write-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('writeFileAtomic replaces the content, keeps the mode and leaves no temporary file', async () => {
  const file = join(scratch, 'Dockerfile');
  writeFileSync(file, 'old\n');
  chmodSync(file, 0o640);
  const inode = statSync(file).ino;
  await writeFileAtomic(file, 'new\n');
  assert.equal(readFileSync(file, 'utf8'), 'new\n');
  assert.equal(statSync(file).mode & 0o777, 0o640);
  assert.notEqual(statSync(file).ino, inode, 'replaced by rename, not rewritten in place');
  assert.deepEqual(readdirSync(scratch), ['Dockerfile']);
});

test('writeFileAtomic creates a new file with the default mode', async () => {
  const file = join(scratch, 'created');
  await writeFileAtomic(file, 'x');
  assert.equal(readFileSync(file, 'utf8'), 'x');
  assert.equal(statSync(file).mode & 0o600, 0o600);
});

test('writeFileAtomic writes through a symlink to its target and keeps the link', async () => {
  const target = join(scratch, 'real.Dockerfile');
  const link = join(scratch, 'link.Dockerfile');
  writeFileSync(target, 'a');
  symlinkSync('real.Dockerfile', link);
  await writeFileAtomic(link, 'b');
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readFileSync(target, 'utf8'), 'b');
});

test('writeFileAtomic fails cleanly when the directory does not exist', async () => {
  await assert.rejects(writeFileAtomic(join(scratch, 'missing', 'f'), 'x'), /ENOENT/);
});
