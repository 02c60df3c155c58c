/** The platforms a Dockerfile is built for, as the audit reads them from the project's build files. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

const DOCKERFILE =
  'FROM golang:1.25-alpine AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]\n';

test("a matrix entry's platforms win over the list its step gives any Dockerfile", async (t) => {
  const { root, put } = scratchTree(t, 'goimg-platforms-');
  put('go.mod', 'module example.com/app\n\ngo 1.25\n');
  put('main.go', 'package main\n\nfunc main() {}\n');
  put('docker/Dockerfile.full', DOCKERFILE);
  put('docker/Dockerfile.gpu', DOCKERFILE);
  put(
    '.github/workflows/images.yml',
    [
      'jobs:',
      '  build:',
      '    strategy:',
      '      matrix:',
      '        include:',
      '          - dockerfile: ./docker/Dockerfile.full',
      '          - dockerfile: ./docker/Dockerfile.gpu',
      '            platforms: linux/amd64',
      '    steps:',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          file: ${{ matrix.dockerfile }}',
      "          platforms: ${{ matrix.platforms || 'linux/amd64,linux/arm64' }}",
    ].join('\n'),
  );
  const emulated = async (file: string) =>
    (await auditDirectory(root, { dockerfile: `${root}/${file}`, context: root })).findings
      .filter((f) => f.rule === 'emulated-cross-build')
      .map((f) => f.message.match(/build it for ([^)]*)\)/)?.[1]);
  assert.deepEqual(await emulated('docker/Dockerfile.full'), ['linux/amd64, linux/arm64']);
  assert.deepEqual(await emulated('docker/Dockerfile.gpu'), []);
});

test("a build of one stage gives its platforms to that stage's audit, not to another stage's (TARGETARCH in the text then says nothing about the others)", async (t) => {
  const { root, put } = scratchTree(t, 'goimg-platforms-');
  put('go.mod', 'module example.com/app\n\ngo 1.25\n');
  put('main.go', 'package main\n\nfunc main() {}\n');
  put(
    'Dockerfile',
    'FROM golang:1.25-alpine AS b\nARG TARGETARCH\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .\nFROM scratch AS local\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]\nFROM scratch AS release\nCOPY app /app\nENTRYPOINT ["/app"]\n',
  );
  put(
    '.github/workflows/images.yml',
    [
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          target: release',
      '          platforms: linux/amd64,linux/arm64',
    ].join('\n'),
  );
  const platforms = async (target: string) =>
    (await auditDirectory(root, { target })).findings
      .filter((f) => f.rule === 'emulated-cross-build' || f.rule === 'single-arch-binary')
      .map((f) => f.rule);
  assert.deepEqual(await platforms('local'), []);
  assert.deepEqual(await platforms('release'), ['single-arch-binary']);
});
