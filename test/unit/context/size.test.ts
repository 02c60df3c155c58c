/**
 * contextSize against figures BuildKit printed ("transferring context: N") for the same trees,
 * recorded on 2026-11-24 with Docker 20.10.24 (BuildKit), `FROM scratch` + `COPY . /ctx`,
 * files owned by root. The end-to-end test (test/e2e/context) re-measures on the live engine.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  contextSize,
  goFileMode,
  makeFilter,
  parseDockerignore,
  varintLen,
} from '../../../src/context/index.js';

const roots: string[] = [];
after(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function make(build: (root: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'goimg-size-'));
  roots.push(root);
  build(root);
  return root;
}

const zeros = (n: number) => Buffer.alloc(n);

const RECORDED: { name: string; build: (r: string) => void; ignore?: string; buildkit: number }[] = [
  { name: 'one empty dir', build: (r) => mkdirSync(join(r, 'a')), buildkit: 23 },
  {
    name: 'two empty files',
    build: (r) => {
      for (const f of ['a', 'b']) writeFileSync(join(r, f), '');
    },
    buildkit: 44,
  },
  { name: 'nested dirs a/b/c', build: (r) => mkdirSync(join(r, 'a/b/c'), { recursive: true }), buildkit: 71 },
  { name: 'symlink l -> target', build: (r) => symlinkSync('target', join(r, 'l')), buildkit: 32 },
  { name: '1-byte file', build: (r) => writeFileSync(join(r, 'a'), zeros(1)), buildkit: 29 },
  { name: '100-byte file', build: (r) => writeFileSync(join(r, 'a'), zeros(100)), buildkit: 128 },
  {
    name: 'dir + 5-byte file',
    build: (r) => {
      mkdirSync(join(r, 'a'));
      writeFileSync(join(r, 'a/k'), 'keep\n');
    },
    buildkit: 60,
  },
  {
    name: '100 empty files f1..f100',
    build: (r) => {
      for (let i = 1; i <= 100; i++) writeFileSync(join(r, `f${i}`), '');
    },
    buildkit: 2392,
  },
  {
    name: '300 one-byte files (ids past 127)',
    build: (r) => {
      for (let i = 0; i < 300; i++) writeFileSync(join(r, `${String(i).padStart(5, '0')}a`), 'x');
    },
    buildkit: 11142,
  },
  {
    name: '.dockerignore with an exception in an excluded dir',
    build: (r) => {
      mkdirSync(join(r, 'docs/sub'), { recursive: true });
      writeFileSync(join(r, 'docs/a.md'), '1\n');
      writeFileSync(join(r, 'docs/keep.md'), '22\n');
      writeFileSync(join(r, 'docs/sub/keep.md'), '3\n');
      writeFileSync(join(r, '.dockerignore'), 'docs\n!docs/keep.md\n');
      writeFileSync(join(r, 'top'), 'x\n');
    },
    ignore: 'docs\n!docs/keep.md\n',
    buildkit: 161,
  },
  {
    name: '**/*.log excluded at every depth',
    build: (r) => {
      mkdirSync(join(r, 'a/b'), { recursive: true });
      for (const f of ['a/x.log', 'a/b/y.log', 'z.log']) writeFileSync(join(r, f), '1\n');
      writeFileSync(join(r, 'a/b/k.txt'), 'keep\n');
      writeFileSync(join(r, '.dockerignore'), '**/*.log\n');
    },
    ignore: '**/*.log\n',
    buildkit: 136,
  },
  {
    name: 'the Dockerfile and .dockerignore excluded are not in the context',
    build: (r) => {
      writeFileSync(join(r, 'Dockerfile'), 'FROM scratch\nCOPY . /ctx\n');
      writeFileSync(join(r, '.dockerignore'), 'Dockerfile\n.dockerignore\n');
      writeFileSync(join(r, 'a.txt'), 'hi\n');
    },
    ignore: 'Dockerfile\n.dockerignore\n',
    buildkit: 35,
  },
];

for (const c of RECORDED) {
  test(`contextSize equals BuildKit's count: ${c.name}`, () => {
    const root = make(c.build);
    const size = contextSize(root, makeFilter(parseDockerignore(c.ignore ?? '')));
    assert.equal(size.transferBytes, c.buildkit);
  });
}

test('large files go out in 32 KiB packets: a 200,000-byte file (BuildKit printed 200.07kB)', () => {
  const root = make((r) => writeFileSync(join(r, 'a'), zeros(200_000)));
  const size = contextSize(root, makeFilter([]));
  assert.equal(size.transferBytes, 200_067);
  assert.equal(size.contentBytes, 200_000);
  assert.equal(size.files, 1);
});

test('varints and Go file modes', () => {
  assert.deepEqual([0, 127, 128, 16383, 16384].map(varintLen), [1, 1, 2, 2, 3]);
  assert.equal(goFileMode(0o100644), 0o644);
  assert.equal(goFileMode(0o040755), 2 ** 31 + 0o755);
  assert.equal(goFileMode(0o120777), 2 ** 27 + 0o777);
  assert.equal(goFileMode(0o104755), 2 ** 23 + 0o755);
});
