import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { importClosure } from '../../../src/project/imports.js';
import { scanProject } from '../../../src/project/scan.js';

const temps: string[] = [];
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-imports-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const pkg = (name: string, ...imports: string[]) =>
  `package ${name}\n\nimport (\n${imports.map((i) => `\t_ "${i}"\n`).join('')})\n`;

test('the closure follows local imports transitively, not tests, not unimported packages', async () => {
  const root = tree({
    'go.mod': 'module example.com/m\n\ngo 1.22\n',
    'cmd/app/main.go': pkg('main', 'example.com/m/a', 'fmt'),
    'a/a.go': pkg('a', 'example.com/m/b'),
    'a/a_test.go': pkg('a', 'example.com/m/c'),
    'b/b.go': 'package b\n',
    'c/c.go': 'package c\n',
    'unused/u.go': pkg('unused', 'example.com/m/c'),
  });
  const closure = importClosure(await scanProject(root), 'cmd/app');
  assert.deepEqual(closure, { dirs: ['a', 'b', 'cmd/app'], moduleDirs: ['.'] });
});

test('a nested module is not part of the closure unless a local replace points at it', async () => {
  const files = {
    'cmd/app/main.go': pkg('main', 'example.com/m/tools/gen', 'example.com/m/lib'),
    'tools/go.mod': 'module example.com/m/tools\n\ngo 1.22\n',
    'tools/gen/gen.go': 'package gen\n',
    'lib/go.mod': 'module example.com/m/lib\n\ngo 1.22\n',
    'lib/lib.go': pkg('lib', 'example.com/m/lib/inner'),
    'lib/inner/inner.go': 'package inner\n',
  };
  const plain = tree({ ...files, 'go.mod': 'module example.com/m\n\ngo 1.22\n' });
  assert.deepEqual(importClosure(await scanProject(plain), 'cmd/app'), {
    dirs: ['cmd/app'],
    moduleDirs: ['.'],
  });
  const replaced = tree({
    ...files,
    'go.mod': 'module example.com/m\n\ngo 1.22\n\nreplace example.com/m/lib => ./lib\n',
  });
  assert.deepEqual(importClosure(await scanProject(replaced), 'cmd/app'), {
    dirs: ['cmd/app', 'lib', 'lib/inner'],
    moduleDirs: ['.', 'lib'],
  });
});

test('an empty nested go.mod fences its directory off, and the scan still succeeds', async () => {
  const root = tree({
    'go.mod': 'module example.com/m\n\ngo 1.22\n',
    'main.go': pkg('main', 'example.com/m/site'),
    'site/go.mod': '',
    'site/site.go': 'package site\n',
  });
  assert.deepEqual(importClosure(await scanProject(root), '.'), { dirs: ['.'], moduleDirs: ['.'] });
});

test('no package in the directory: undefined', async () => {
  const root = tree({ 'go.mod': 'module example.com/m\n\ngo 1.22\n', 'main.go': 'package main\n' });
  assert.equal(importClosure(await scanProject(root), 'nothing'), undefined);
});
