import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadDockerignore, makeFilter, parseDockerignore, walkContext } from '../../../src/context/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Makes a tree from { "a/b.txt": "content", "d/": null (empty dir), "l@": "target" (symlink) }. */
function tree(files: Record<string, string | null>): string {
  const root = mkdtempSync(join(tmpdir(), 'goimg-ctx-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) {
      mkdirSync(join(root, path), { recursive: true });
    } else if (path.endsWith('@')) {
      const p = join(root, path.slice(0, -1));
      mkdirSync(join(p, '..'), { recursive: true });
      symlinkSync(content ?? '', p);
    } else {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content ?? '');
    }
  }
  return root;
}

test('parseDockerignore reads like moby ignorefile.ReadAll', () => {
  const p = parseDockerignore(
    '\uFEFF# comment\n  spaced  \n\n!  keep.md \n/abs/path\n./a/../b/\n #not-a-comment\r\n!\n',
  );
  assert.deepEqual(p, [
    { pattern: 'spaced', exception: false, line: 2 },
    { pattern: 'keep.md', exception: true, line: 4 },
    { pattern: 'abs/path', exception: false, line: 5 },
    { pattern: 'b', exception: false, line: 6 },
    { pattern: '#not-a-comment', exception: false, line: 7 },
  ]);
});

test("Docker's matching: anchored patterns, * within a segment, **, parents match children, last match wins", () => {
  const cases: [string, Record<string, boolean>][] = [
    ['*.log', { 'a.log': true, 'sub/a.log': false }],
    ['**/*.log', { 'a.log': true, 'sub/a.log': true, 'x/y/z.log': true }],
    ['/build', { build: true, 'build/x': true, 'sub/build': false }],
    ['build/', { build: true, 'build/x': true }],
    ['docs\n!docs/keep.md', { docs: true, 'docs/a.md': true, 'docs/keep.md': false }],
    ['*\n!src', { a: true, src: false, 'src/x.go': false, Dockerfile: true }],
    ['a/**', { a: false, 'a/b': true, 'a/b/c': true }],
    ['a?c', { abc: true, 'a/c': false }],
    ['[a-c]x', { bx: true, dx: false }],
    ['vendor\n!vendor/modules.txt', { 'vendor/modules.txt': false, 'vendor/x/y.go': true }],
    ['.git', { '.git': true, '.git/HEAD': true, 'sub/.git': false }],
    // Case-sensitive, as on Linux (the package defaults to ignoring case).
    ['README.md', { 'README.md': true, 'readme.md': false }],
    // Regex characters are literal, as in current Docker (moby/patternmatcher).
    [
      'foo(1).txt\nc++\n{a,b}',
      { 'foo(1).txt': true, 'foo1.txt': false, 'c++': true, c: false, '{a,b}': true, a: false },
    ],
  ];
  for (const [text, expect] of cases) {
    const f = makeFilter(parseDockerignore(text), '.dockerignore');
    for (const [path, ignored] of Object.entries(expect)) {
      assert.equal(f.ignores(path), ignored, `${JSON.stringify(text)} on ${path}`);
    }
  }
});

test('an invalid pattern is an InputError naming the line', () => {
  assert.throws(
    () => makeFilter(parseDockerignore('ok\n[z-a]\n'), '.dockerignore'),
    /^InputError: \.dockerignore:2: invalid pattern "\[z-a\]"/,
  );
});

test('loadDockerignore prefers <Dockerfile>.dockerignore and reports a missing file', () => {
  const root = tree({
    '.dockerignore': 'a\n',
    'build/app.Dockerfile': 'FROM scratch\n',
    'build/app.Dockerfile.dockerignore': 'b\n',
  });
  const plain = loadDockerignore(root);
  assert.equal(plain.file, '.dockerignore');
  assert.equal(plain.ignores('a'), true);
  const specific = loadDockerignore(root, { dockerfile: 'build/app.Dockerfile' });
  assert.equal(specific.file, 'build/app.Dockerfile.dockerignore');
  assert.equal(specific.ignores('a'), false);
  assert.equal(specific.ignores('b'), true);
  const none = loadDockerignore(tree({ x: '' }));
  assert.equal(none.exists, false);
  assert.equal(none.ignores('x'), false);
});

test('walkContext: byte order, depth first, excluded trees skipped, symlinks not followed', () => {
  const root = tree({
    'b.txt': 'bb',
    'a/z.go': 'package a',
    'a/B.go': 'package a',
    '.git/HEAD': 'ref',
    'link@': 'a',
    'empty/': null,
    'node_modules/x/y.js': '1',
  });
  const filter = makeFilter(parseDockerignore('.git\nnode_modules\n'));
  const got = [...walkContext(root, filter)].map((e) => `${e.type}:${e.path}:${e.size}`);
  assert.deepEqual(got, [
    'dir:a:0',
    'file:a/B.go:9',
    'file:a/z.go:9',
    'file:b.txt:2',
    'dir:empty:0',
    `symlink:link:1`,
  ]);
});

test('walkContext: an exception inside an excluded directory sends its parents, only before it', () => {
  const root = tree({ 'docs/a.md': '1', 'docs/keep.md': '22', 'docs/sub/keep.md': '3', top: 'x' });
  const filter = makeFilter(parseDockerignore('docs\n!docs/keep.md\n'));
  assert.deepEqual(
    [...walkContext(root, filter)].map((e) => e.path),
    ['docs', 'docs/keep.md', 'top'],
  );
});

test('walkContext: followPaths sends only the named paths and their parents', () => {
  const root = tree({
    'go.mod': 'module m',
    'go.sum': '',
    'libs/money/go.mod': 'module money',
    'libs/other/x': 'y',
    'main.go': '',
  });
  const got = [
    ...walkContext(root, makeFilter([]), { followPaths: ['go.mod', 'go.sum', './libs/money/'] }),
  ].map((e) => e.path);
  assert.deepEqual(got, ['go.mod', 'go.sum', 'libs', 'libs/money', 'libs/money/go.mod']);
  // A glob stands for one name, as in a COPY source.
  const globbed = tree({
    'dist/app_linux_amd64_v1/app': 'a',
    'dist/app_linux_arm64/app': 'b',
    'dist/app_linux_arm64/extra': 'c',
    'dist/other/app': 'd',
    'big.bin': 'e',
  });
  assert.deepEqual(
    [...walkContext(globbed, makeFilter([]), { followPaths: ['dist/app_linux_*/app'] })].map((e) => e.path),
    [
      'dist',
      'dist/app_linux_amd64_v1',
      'dist/app_linux_amd64_v1/app',
      'dist/app_linux_arm64',
      'dist/app_linux_arm64/app',
    ],
  );
});
