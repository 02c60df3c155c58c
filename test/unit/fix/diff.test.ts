/**
 * unifiedDiff is checked by the real consumers of diffs: `git apply --check` accepts it and
 * `git apply` turns `before` into exactly `after`, including files without a final newline,
 * CRLF files and created files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from '../../../src/fix/index.js';
import { need } from '../../helpers/requirements.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-diff-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const hasGit = spawnSync('git', ['--version']).status === 0;
let n = 0;

/** Applies `patch` with git in a fresh directory holding `file` = `before`; returns the result. */
function gitApply(file: string, before: string | null, patch: string): string {
  const dir = join(scratch, `r${n++}`);
  mkdirSync(dir);
  if (before !== null) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), before);
  }
  writeFileSync(join(dir, 'fix.patch'), patch);
  for (const args of [
    ['apply', '--check', 'fix.patch'],
    ['apply', 'fix.patch'],
  ]) {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `git ${args.join(' ')} failed: ${r.stderr}\n--- patch ---\n${patch}`);
  }
  return readFileSync(join(dir, file), 'utf8');
}

test('unifiedDiff prints standard headers and hunks with three lines of context', () => {
  const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', ''].join('\n');
  const after = before.replace('e\n', 'E\n');
  assert.equal(
    unifiedDiff('Dockerfile', before, after),
    '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n',
  );
  assert.equal(unifiedDiff('Dockerfile', before, before), '');
});

test('unifiedDiff marks a last line without a newline', () => {
  assert.equal(
    unifiedDiff('f', 'a\nb', 'a\nB'),
    '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file\n',
  );
  // Adding the final newline changes only the last line.
  assert.equal(
    unifiedDiff('f', 'a\nb', 'a\nb\n'),
    '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
  );
});

test('unifiedDiff of a created file starts from /dev/null', () => {
  assert.equal(
    unifiedDiff('.dockerignore', '', '.git\nbin/\n', { created: true }),
    '--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1,2 @@\n+.git\n+bin/\n',
  );
});

test('git apply accepts unifiedDiff output and reproduces the new text', (t) => {
  if (!need(t, hasGit, 'git')) return;
  const cases: [string, string][] = [
    [
      'FROM golang\nRUN go build .\n',
      '# syntax=docker/dockerfile:1\nFROM golang:1.22\nRUN CGO_ENABLED=0 go build -trimpath .\n',
    ],
    ['a\nb', 'a\nb\n'],
    ['a\nb\n', 'a\nb'],
    ['one\r\ntwo\r\nthree\r\n', 'one\r\n2\r\nthree\r\n'],
    ['x\n'.repeat(30), `${'x\n'.repeat(10)}y\n${'x\n'.repeat(19)}z\n`],
    ['only\n', ''],
    ['', 'new\n'],
  ];
  for (const [before, afterText] of cases) {
    assert.equal(
      gitApply('sub dir/Dockerfile', before, unifiedDiff('sub dir/Dockerfile', before, afterText)),
      afterText,
    );
  }
  assert.equal(
    gitApply('.dockerignore', null, unifiedDiff('.dockerignore', '', '.git\n', { created: true })),
    '.git\n',
  );
});

test('patch -p1 accepts unifiedDiff output too', (t) => {
  const hasPatch = spawnSync('patch', ['--version']).status === 0;
  if (!need(t, hasPatch, 'GNU patch')) return;
  const dir = join(scratch, `patch${n++}`);
  mkdirSync(dir);
  const before = 'FROM golang\r\nRUN go build .\r\n# end';
  const afterText = 'FROM golang:1.22\r\nRUN go build .\r\n# end\n';
  writeFileSync(join(dir, 'Dockerfile'), before);
  const r = spawnSync('patch', ['-p1', '--binary', '--batch'], {
    cwd: dir,
    input: unifiedDiff('Dockerfile', before, afterText),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), afterText);
});

test('git apply reproduces random edits of random line files', (t) => {
  if (!need(t, hasGit, 'git')) return;
  const line = fc.constantFrom('FROM a', 'RUN b', '', '# c', 'COPY . .', 'x', 'y\r');
  const file = fc.tuple(fc.array(line, { maxLength: 25 }), fc.boolean()).map(([lines, nl]) => {
    const text = lines.join('\n');
    return nl && text !== '' ? `${text}\n` : text;
  });
  fc.assert(
    fc.property(file, file, (before, afterText) => {
      if (before === afterText) return;
      assert.equal(gitApply('Dockerfile', before, unifiedDiff('Dockerfile', before, afterText)), afterText);
    }),
    { numRuns: 60 },
  );
});
