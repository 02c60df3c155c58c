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

test('the script an ENTRYPOINT starts is read from the COPY that puts it there, among files of the same name', async (t) => {
  const audit = async (script: string): Promise<string[]> => {
    const { root, put } = scratchTree(t, 'goimg-started-copy-');
    put('go.mod', 'module example.com/tool\n\ngo 1.25\n');
    put('main.go', 'package main\n\nfunc main() {}\n');
    put('hack/build.sh', '#!/bin/sh\nmake all\n');
    put('ci/compiler/build.sh', script);
    put(
      'Dockerfile',
      'FROM golang:1.25\nWORKDIR /src\nCOPY ci/compiler/build.sh /build.sh\nENTRYPOINT ["/build.sh"]\n',
    );
    return (await auditDirectory(root)).findings.map((f) => f.rule);
  };
  // An image whose entry point compiles what it is given needs the toolchain it ships.
  const compiler = await audit(
    '#!/bin/bash\nset -e\nCGO_ENABLED=1 go build -buildmode=plugin -o "$1.so" .\n',
  );
  assert.ok(!compiler.includes('single-stage'), compiler.join(', '));
  const server = await audit('#!/bin/sh\nexec /usr/local/bin/server\n');
  assert.ok(server.includes('single-stage'), server.join(', '));
});
