/** A program that runs the go command needs the toolchain image it ships on, as root's caches are: no single-stage or runs-as-root advice. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

async function rules(t: Parameters<typeof scratchTree>[0], main: string): Promise<string[]> {
  const { root, put } = scratchTree(t, 'goimg-go-tool-');
  put('go.mod', 'module example.com/lint\n\ngo 1.25\n');
  put('cmd/lint/main.go', main);
  // A release tool built the program; the image puts it beside the toolchain.
  put('Dockerfile', 'FROM golang:1.25\nCOPY lint /usr/bin/\nCMD ["lint"]\n');
  put('lint', 'ELF');
  return (await auditDirectory(root)).findings.map((f) => f.rule);
}

test('a program that runs go (exec of go, go/packages) keeps the toolchain image; one that does not is told to split', async (t) => {
  const exec = await rules(
    t,
    'package main\n\nimport (\n\t"context"\n\t"os/exec"\n)\n\nfunc main() {\n\t_ = exec.CommandContext(context.Background(), "go", "list", "./...").Run()\n}\n',
  );
  assert.ok(!exec.includes('single-stage'), exec.join(', '));
  assert.ok(!exec.includes('runs-as-root'), exec.join(', '));
  const packages = await rules(
    t,
    'package main\n\nimport "golang.org/x/tools/go/packages"\n\nfunc main() {\n\t_, _ = packages.Load(nil, "./...")\n}\n',
  );
  assert.ok(!packages.includes('single-stage'), packages.join(', '));
  const server = await rules(
    t,
    'package main\n\nimport "os/exec"\n\nfunc main() {\n\t_ = exec.Command("git", "status").Run()\n}\n',
  );
  assert.ok(server.includes('single-stage'), server.join(', '));
  assert.ok(server.includes('runs-as-root'), server.join(', '));
});
