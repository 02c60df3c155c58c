/** The npm package holds what users need and nothing else: no tests, sources, scripts or notes. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/cli.js';

const ALLOWED = ['bin/', 'dist/src/', 'dist/cli/', 'dist/data/', 'schemas/', 'data/', 'docs/'];
const ALLOWED_FILES = ['package.json', 'README.md', 'LICENSE'];

test('npm pack ships bin, dist, schemas, data, docs, README and LICENSE only', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  const stray = files.filter((p) => !ALLOWED_FILES.includes(p) && !ALLOWED.some((dir) => p.startsWith(dir)));
  assert.deepEqual(stray, []);
  for (const needed of [
    'bin/goimg.js',
    'dist/cli/main.js',
    'dist/src/index.js',
    'docs/rules.md',
    'schemas/explain.schema.json',
    'README.md',
    'LICENSE',
  ]) {
    assert.ok(files.includes(needed), `${needed} is shipped`);
  }
  assert.ok(!files.some((p) => p.startsWith('dist/test/') || (p.endsWith('.ts') && !p.endsWith('.d.ts'))));
});

test('LICENSE holds the licence package.json declares', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { license: string };
  const text = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');
  assert.equal(pkg.license, 'MIT');
  assert.match(text, /^MIT License\n/);
  assert.match(text, /Permission is hereby granted, free of charge/);
});
