/** The scripts a Dockerfile starts are read from the context: by name, or at the relative path a CMD gives. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

const FILES = {
  'go.mod': 'module example.com/tool\n\ngo 1.25\n',
  'main.go': 'package main\n\nfunc main() {}\n',
  Dockerfile: 'FROM golang:1.25\nCOPY . /src\nWORKDIR /src\nCMD ["script/test", "-short"]\n',
};

async function rules(t: Parameters<typeof scratchTree>[0], script: string): Promise<string[]> {
  const { root, put } = scratchTree(t, 'goimg-started-');
  for (const [path, text] of Object.entries(FILES)) put(path, text);
  put('script/test', script);
  return (await auditDirectory(root)).findings.map((f) => f.rule);
}

test('a CMD script at a relative path that runs go test makes the image a test runner, not a runtime', async (t) => {
  const runner = await rules(t, '#!/bin/bash\nset -e\ngo test "$@" ./...\n');
  assert.ok(!runner.includes('single-stage'), runner.join(', '));
  assert.ok(!runner.includes('runs-as-root'), runner.join(', '));
  // The same image whose script starts a server is a runtime left unsplit.
  const server = await rules(t, '#!/bin/sh\nexec ./server\n');
  assert.ok(server.includes('single-stage'), server.join(', '));
});
