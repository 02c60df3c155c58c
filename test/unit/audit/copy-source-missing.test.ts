/** copy-source-missing: a context the build files or the command line name, inside the project, judged as what is sent. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

const PROJECT = {
  'go.mod': 'module example.com/short\n\ngo 1.25\n',
  'go.sum': '',
  'cmd/main.go': 'package main\n\nfunc main() {}\n',
  'pkg/store/store.go': 'package store\n',
  'deploy/Dockerfile':
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY pkg/ ./pkg/\nCOPY cmd/main.go ./cmd/\nRUN go build -o /app ./cmd\nFROM scratch\nCOPY --from=build /app /app\n',
};

async function missing(
  t: Parameters<typeof scratchTree>[0],
  files: Record<string, string>,
  context?: string,
) {
  const { root, put } = scratchTree(t, 'goimg-copysrc-');
  for (const [path, text] of Object.entries(files)) put(path, text);
  const options = {
    dockerfile: join(root, 'deploy/Dockerfile'),
    ...(context ? { context: join(root, context) } : {}),
  };
  const result = await auditDirectory(root, options);
  return result.findings.filter((f) => f.rule === 'copy-source-missing').map((f) => [f.line, f.severity]);
}

test("a compose file's context beside the Dockerfile lacks the project files it copies: one error per COPY", async (t) => {
  const found = await missing(
    t,
    { ...PROJECT, 'deploy/compose.yaml': 'services:\n  app:\n    build: .\n' },
    'deploy',
  );
  assert.deepEqual(found, [
    [3, 'error'],
    [4, 'error'],
    [5, 'error'],
  ]);
});

test('the project root as context, or a subdirectory nobody names as the context, is not judged', async (t) => {
  assert.deepEqual(await missing(t, PROJECT), []);
  assert.deepEqual(await missing(t, PROJECT, '.'), []);
});
