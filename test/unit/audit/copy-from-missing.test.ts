/** copy-from-missing: a COPY --from of a path nothing in the source stage writes fails the build. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

const MAIN = 'package main\n\nfunc main() {}\n';

async function findings(t: Parameters<typeof scratchTree>[0], files: Record<string, string>) {
  const { root, put } = scratchTree(t, 'goimg-copyfrom-');
  for (const [path, text] of Object.entries(files)) put(path, text);
  return (await auditDirectory(root)).findings.filter((f) => f.rule === 'copy-from-missing');
}

const naive = (build: string, copied: string) =>
  `FROM golang:1.25-alpine AS builder\nCOPY . /app\nWORKDIR /app\nRUN apk add --no-cache git && go mod tidy && ${build}\nFROM alpine:3.22\nWORKDIR /app\nCOPY --from=builder ${copied} .\nCMD ["./app"]\n`;

test('go build without -o names the program after the module: copying /app/app is an error naming what it writes', async (t) => {
  const found = await findings(t, {
    'go.mod': 'module example.com/shop\n\ngo 1.25\n',
    'main.go': MAIN,
    Dockerfile: naive('go build', '/app/app'),
  });
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'error');
  assert.equal(found[0]!.line, 7);
  assert.equal(
    found[0]!.message,
    'nothing in stage builder writes /app/app (its go build writes /app/shop): this COPY fails with "not found"',
  );
});

test('what the build really writes, a major-version module, a main package in cmd/ and -o are found', async (t) => {
  const cases: [Record<string, string>, string, string][] = [
    [{ 'go.mod': 'module example.com/shop\n\ngo 1.25\n', 'main.go': MAIN }, 'go build', '/app/shop'],
    [{ 'go.mod': 'module example.com/shop/v2\n\ngo 1.25\n', 'main.go': MAIN }, 'go build', '/app/shop'],
    [
      { 'go.mod': 'module example.com/shop\n\ngo 1.25\n', 'cmd/api/main.go': MAIN },
      'go build ./cmd/api',
      '/app/api',
    ],
    [{ 'go.mod': 'module example.com/shop\n\ngo 1.25\n', 'main.go': MAIN }, 'go build -o app .', '/app/app'],
    [{ 'go.mod': 'module example.com/shop\n\ngo 1.25\n', 'main.go': MAIN }, 'go build main.go', '/app/main'],
  ];
  for (const [files, build, copied] of cases)
    assert.deepEqual(
      await findings(t, { ...files, Dockerfile: naive(build, copied) }),
      [],
      `${build} → ${copied}`,
    );
});

test('a path the context brings, or a command goimg cannot follow, may write it: no finding', async (t) => {
  const files = { 'go.mod': 'module example.com/shop\n\ngo 1.25\n', 'main.go': MAIN };
  // A prebuilt file of that name in the context.
  assert.deepEqual(
    await findings(t, { ...files, app: 'binary', Dockerfile: naive('go build', '/app/app') }),
    [],
  );
  // make, a script or a redirect may write anything.
  for (const build of ['make build', './build.sh', 'go build && cp shop app', 'go build > log'])
    assert.deepEqual(await findings(t, { ...files, Dockerfile: naive(build, '/app/app') }), [], build);
  // A base goimg does not know may hold the path.
  const custom = naive('go build', '/app/app').replace('golang:1.25-alpine', 'example.com/builder:1');
  assert.deepEqual(await findings(t, { ...files, Dockerfile: custom }), []);
});
