import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  buildArgsIn,
  composeTargets,
  contextsIn,
  fromLineReads,
  imagesBuiltIn,
  multiPlatformBuildsIn,
  privilegedServices,
  pushedImages,
  readBuildFiles,
  targetedRef,
} from '../../../src/context/build-files.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

const names = (path: string, text: string) => [...buildArgsIn(path, text)].sort();

test('buildArgsIn: --build-arg in every spelling a Makefile, a script or a Go build file uses', () => {
  assert.deepEqual(
    names(
      'Makefile',
      [
        'docker-build:',
        '\tdocker buildx build --build-arg GO_VERSION=$(GO) \\',
        '\t\t--build-arg=ALPINE_VERSION=$(ALPINE) --build-arg "VERSION=$(VERSION)" \\',
        "\t\t--build-arg 'COMMIT' -t x .",
      ].join('\n'),
    ),
    ['ALPINE_VERSION', 'COMMIT', 'GO_VERSION', 'VERSION'],
  );
  assert.deepEqual(names('magefile.go', 'sh.Run("docker", "build", "--build-arg", "BASE="+base, ".")'), [
    'BASE',
  ]);
  assert.deepEqual(names('build.sh', 'docker build -t app .  # no build arguments'), []);
});

test('buildArgsIn: a workflow build-args block, a compose args block and a bake args map', () => {
  const workflow = [
    'jobs:',
    '  image:',
    '    steps:',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          context: .',
    '          build-args: |',
    '            GO_VERSION=${{ env.GO }}',
    '            # a comment',
    '            VERSION=${{ github.ref_name }}',
    '          push: true',
    '  call:',
    '    inputs:',
    '      build-args:',
    '        required: false',
    '        type: string',
  ].join('\n');
  assert.deepEqual(names('.github/workflows/release.yml', workflow), ['GO_VERSION', 'VERSION']);
  assert.deepEqual(names('ci.yml', '    build_args: GO=1.23,DEBIAN=bookworm'), ['DEBIAN', 'GO']);

  const compose = (args: string[]) =>
    [
      'services:',
      '  app:',
      '    build:',
      '      context: .',
      '      args:',
      ...args,
      '    command: ["serve"]',
    ].join('\n');
  assert.deepEqual(names('docker-compose.yml', compose(['        GO_VERSION: "1.23"', '        BASE: x'])), [
    'BASE',
    'GO_VERSION',
  ]);
  assert.deepEqual(names('compose.prod.yaml', compose(['        - COMMIT=abc'])), ['COMMIT']);
  // `args:` outside a compose file is not build arguments (a workflow step's or a pod's).
  assert.deepEqual(names('release.yml', '      args:\n        GO_VERSION: 1'), []);

  const bake =
    'target "default" {\n  args = {\n    GO_VERSION = "1.23"\n    "ALPINE" = "3.22"\n  }\n  tags = ["x"]\n}\ntarget "b" { args = { BASE = "x" } }';
  assert.deepEqual(names('docker-bake.hcl', bake), ['ALPINE', 'BASE', 'GO_VERSION']);
});

test("readBuildFiles: the root's build files, the usual build folders and the Dockerfile's folders up to the root", (t) => {
  const { root, put } = scratchTree(t, 'goimg-build-args-');
  put('Makefile', 'image:\n\tdocker build --build-arg FROM_MAKE=1 .');
  put('.github/workflows/ci.yaml', 'with:\n  build-args: |\n    FROM_WORKFLOW=1');
  put('hack/build.sh', 'docker build --build-arg FROM_HACK=1 .');
  put('deploy/docker/Makefile', 'docker build --build-arg FROM_BESIDE=1 .');
  put('docs/Makefile', 'docker build --build-arg FROM_ELSEWHERE=1 .');
  put('README.md', 'docker build --build-arg FROM_README=1 .');
  assert.deepEqual([...readBuildFiles(root, join(root, 'deploy', 'docker')).passedArgs].sort(), [
    'FROM_BESIDE',
    'FROM_HACK',
    'FROM_MAKE',
    'FROM_WORKFLOW',
  ]);
  assert.deepEqual([...readBuildFiles(join(root, 'missing'), join(root, 'missing')).passedArgs], []);
});

test('composeTargets: the stages compose builds for its services, not port, volume or number targets', () => {
  const text = `services:
  dev:
    build:
      context: .
      target: dev
    ports:
      - target: 8080
        published: 8080
    volumes:
      - type: bind
        source: .
        target: /src
  release:
    build: { context: . }
    image: app
  web:
    build:
      context: web
      target: "Serve" # the runtime stage
`;
  assert.deepEqual([...composeTargets(text)].sort(), ['dev', 'serve']);
});

test('imagesBuiltIn: docker build -t names and compose services that build their image', () => {
  const make =
    'base:\n\tdocker build -t example/base:1.0 \\\n\t\t-f base.Dockerfile .\nimg:\n\tdocker buildx build --tag=app --push .\n\tdocker run -t alpine echo\n';
  assert.deepEqual([...imagesBuiltIn('Makefile', make)].sort(), ['app', 'example/base']);
  const compose = [
    'version: "3"',
    'services:',
    '  base:',
    '    build:',
    '      context: docker/',
    '    image: debian-base:latest',
    '  db:',
    '    image: postgres:16',
    '  api:',
    '    image: localhost:5000/api',
    '    build: ./api',
    'volumes:',
    '  data: {}',
  ].join('\n');
  assert.deepEqual([...imagesBuiltIn('docker-compose.yml', compose)].sort(), [
    'debian-base',
    'localhost:5000/api',
  ]);
});

test('pushedImages: the images a workflow pushes (metadata-action images, build-push-action tags)', () => {
  const workflow = [
    'on:',
    '  push:',
    "    tags: ['v*.*.*']",
    'jobs:',
    '  image:',
    '    steps:',
    '      - uses: docker/metadata-action@v5',
    '        with:',
    '          images: |',
    "            name=example/app,enable=${{ github.repository == 'example/app' }}",
    '            ghcr.io/example/app',
    '          tags: |',
    '            type=semver,pattern={{version}}',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          tags: example/worker:latest,${{ steps.meta.outputs.tags }}',
  ].join('\n');
  assert.deepEqual([...pushedImages(workflow)].sort(), [
    'example/app',
    'example/worker',
    'ghcr.io/example/app',
  ]);
  const viaEnv = [
    'env:',
    '  META_IMAGES: |',
    '    example/app',
    '    ghcr.io/example/app',
    'jobs:',
    '  build:',
    '    steps:',
    '      - uses: docker/metadata-action@v5',
    '        with:',
    '          images: ${{ env.META_IMAGES }}',
  ].join('\n');
  assert.deepEqual([...pushedImages(viaEnv)].sort(), ['example/app', 'ghcr.io/example/app']);
});

test('multiPlatformBuildsIn: the Dockerfiles built for several platforms, named or by default', () => {
  const make =
    'image:\n\tdocker buildx build --platform linux/amd64,linux/arm64 \\\n\t\t-f build/Dockerfile.release -t x .\none:\n\tdocker buildx build --platform linux/amd64 -f Dockerfile.dev .\n';
  assert.deepEqual(
    [...multiPlatformBuildsIn('Makefile', make)].map(([ref, p]) => [ref, [...p]]),
    [
      ['build/Dockerfile.release', ['linux/amd64', 'linux/arm64']],
      ['Dockerfile.dev', ['linux/amd64']],
    ],
  );
  const workflow = [
    'jobs:',
    '  push:',
    '    steps:',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          context: .',
    '          file: ./Dockerfile${{ matrix.suffix }}',
    '          platforms: linux/amd64,linux/arm64',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          platforms: |',
    '            linux/amd64',
    '            linux/arm/v7',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          file: tools.Dockerfile',
    '          platforms: linux/amd64',
  ].join('\n');
  assert.deepEqual(
    [...multiPlatformBuildsIn('release.yml', workflow)].map(([ref, p]) => [ref, [...p]]).sort(),
    [
      ['Dockerfile*', ['linux/amd64', 'linux/arm64']],
      ['Dockerfile', ['linux/amd64', 'linux/arm/v7']],
      ['tools.Dockerfile', ['linux/amd64']],
    ].sort(),
  );
  const goreleaser = [
    'dockers_v2:',
    '  - images: ["acme/app"]',
    '    dockerfile: Dockerfile.release  ',
    '    platforms:',
    '      - linux/amd64',
    '      - linux/arm64',
  ].join('\n');
  assert.deepEqual(
    [...multiPlatformBuildsIn('.goreleaser.yml', goreleaser)].map(([ref, p]) => [ref, [...p]]),
    [['Dockerfile.release', ['linux/amd64', 'linux/arm64']]],
  );
  const bake =
    'target "a" {\n  dockerfile = "cmd/a/Dockerfile"\n  platforms = ["linux/amd64", "linux/arm64"]\n}\ntarget "b" {\n  platforms = ["linux/amd64"]\n}\n';
  assert.deepEqual(
    [...multiPlatformBuildsIn('docker-bake.hcl', bake)].map(([ref, p]) => [ref, [...p]]),
    [
      ['cmd/a/Dockerfile', ['linux/amd64', 'linux/arm64']],
      ['Dockerfile', ['linux/amd64']],
    ],
  );
});

test('readBuildFiles: the Makefiles a Makefile includes are read wherever they live, globs too, each once', (t) => {
  const { root, put } = scratchTree(t, 'goimg-build-args-');
  put(
    'Makefile',
    'include app/*/Makefile\n-include ops/docker/Makefile # images\ninclude $(EXTRA)/x.mk\ninclude Makefile\n',
  );
  put('app/web/Makefile', 'web:\n\tdocker build --build-arg FROM_APP=1 .');
  put('ops/docker/Makefile', 'include ../common.mk\nimage:\n\tdocker build --build-arg base_image=$(B) .');
  put('ops/common.mk', 'X := $(shell docker build --build-arg FROM_NESTED=1 .)');
  put('unrelated/Makefile', 'docker build --build-arg FROM_ELSEWHERE=1 .');
  assert.deepEqual([...readBuildFiles(root, root).passedArgs].sort(), [
    'FROM_APP',
    'FROM_NESTED',
    'base_image',
  ]);
});

test('multiPlatformBuildsIn: a build of one stage (--target) keys its platforms by that stage', () => {
  const workflow = [
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          file: build/Dockerfile',
    '          target: release',
    '          platforms: linux/amd64,linux/arm64',
  ].join('\n');
  const make =
    'image:\n\tdocker buildx build --platform linux/amd64,linux/arm64 --target=dev -f Dockerfile .\n';
  assert.deepEqual(
    [...multiPlatformBuildsIn('ci.yml', workflow)].map(([ref, p]) => [ref, [...p]]),
    [[targetedRef('build/Dockerfile', 'release'), ['linux/amd64', 'linux/arm64']]],
  );
  assert.deepEqual(
    [...multiPlatformBuildsIn('Makefile', make)].map(([ref, p]) => [ref, [...p]]),
    [[targetedRef('Dockerfile', 'dev'), ['linux/amd64', 'linux/arm64']]],
  );
  // goreleaser passes the stage in its flags (dockers_v2) or build_flag_templates (dockers);
  // the flags list is not read as platforms.
  const goreleaser = (key: string) =>
    [
      'dockers_v2:',
      '  - dockerfile: Dockerfile.server',
      '    platforms:',
      '      - linux/amd64',
      '      - linux/arm64',
      `    ${key}:`,
      '      - "--target=prebuilt"',
      '      - "--platform=linux/s390x"',
      '    labels:',
      '      "org.opencontainers.image.title": "server"',
    ].join('\n');
  for (const key of ['flags', 'build_flag_templates'])
    assert.deepEqual(
      [...multiPlatformBuildsIn('.goreleaser.yml', goreleaser(key))].map(([ref, p]) => [ref, [...p]]),
      [[targetedRef('Dockerfile.server', 'prebuilt'), ['linux/amd64', 'linux/arm64']]],
    );
});

test("multiPlatformBuildsIn: a workflow's platforms from its env (${{ env.PLATFORMS }})", () => {
  const workflow = [
    'env:',
    '  PLATFORMS: linux/amd64,linux/arm64 # all we ship',
    'jobs:',
    '  push:',
    '    steps:',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          file: ./build/Dockerfile.demo',
    '          platforms: ${{ env.PLATFORMS }}',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          file: ./build/Dockerfile.other',
    '          platforms: ${{ env.UNKNOWN }}',
  ].join('\n');
  assert.deepEqual(
    [...multiPlatformBuildsIn('.github/workflows/docker.yml', workflow)].map(([ref, p]) => [ref, [...p]]),
    [['build/Dockerfile.demo', ['linux/amd64', 'linux/arm64']]],
  );
  // A value chosen by an expression: a release builds every platform it names.
  const byEvent = [
    'jobs:',
    '  publish:',
    '    env:',
    `      PLATFORMS: "\${{ github.event_name == 'release' && 'linux/amd64,linux/arm64,linux/arm/v7' || 'linux/amd64' }}"`,
    '    steps:',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          platforms: ${{ env.PLATFORMS }}',
  ].join('\n');
  assert.deepEqual(
    [...multiPlatformBuildsIn('.github/workflows/image.yml', byEvent)].map(([ref, p]) => [ref, [...p]]),
    [['Dockerfile', ['linux/amd64', 'linux/arm64', 'linux/arm/v7']]],
  );
});

test('contextsIn: the Dockerfile and context of docker build commands, workflow steps and compose services', () => {
  assert.deepEqual(
    contextsIn(
      'Makefile',
      'img:\n\tdocker build --no-cache -t x:$(V) --build-arg A=1 -f ./cmd/api/Dockerfile .\n\tdocker buildx build --platform=linux/amd64 deploy\n\tdocker build -f $(DF) .\n',
    ),
    [
      ['cmd/api/Dockerfile', '.'],
      ['Dockerfile', 'deploy'],
    ],
  );
  const workflow = [
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          context: .',
    '          file: ./cmd/mini/Dockerfile',
  ].join('\n');
  assert.deepEqual(contextsIn('docker.yml', workflow), [['cmd/mini/Dockerfile', '.']]);
  const compose = [
    'services:',
    '  tests:',
    '    build:',
    '      context: .',
    '      dockerfile: Dockerfile.test',
  ].join('\n');
  assert.deepEqual(contextsIn('docker-compose.yml', compose), [['Dockerfile.test', '.']]);
});

test('readBuildFiles: a build commented out in a script or a workflow is not one the project runs', (t) => {
  const { root, put } = scratchTree(t, 'goimg-build-args-');
  put(
    'multiarch.sh',
    '#!/bin/sh\n# docker buildx build --platform linux/arm64,linux/amd64 --build-arg OLD=1 -t x .\n  # docker buildx build --platform linux/arm/v7,linux/amd64 .\ndocker buildx build --platform linux/amd64 --build-arg LIVE=1 -t x .\n',
  );
  put(
    '.github/workflows/image.yml',
    'steps:\n  - uses: docker/build-push-action@v6\n    with:\n      # platforms: linux/amd64,linux/arm64\n      push: true\n',
  );
  const facts = readBuildFiles(root, root);
  // Only the live build counts: one platform.
  assert.deepEqual(
    [...facts.multiPlatform].map(([ref, p]) => [ref, [...p]]),
    [['Dockerfile', ['linux/amd64']]],
  );
  assert.deepEqual([...facts.passedArgs], ['LIVE']);
});

test('fromLineReads: the images whose FROM line a version script or a Renovate regex reads', () => {
  assert.deepEqual(fromLineReads('v=$(grep -E \'^FROM[[:space:]]+golang:\' "$f" | head -1)'), ['golang']);
  assert.deepEqual(
    fromLineReads(
      '"matchStrings": ["FROM golang:(?<currentValue>\\\\d+)@(?<currentDigest>sha256:[0-9a-f]+)"]',
    ),
    ['golang'],
  );
  assert.deepEqual(fromLineReads("sed -E 's/FROM\\s+alpine:[0-9.]+/x/'"), ['alpine']);
  // A build that names its base by an argument, or a stage: no FROM line read.
  assert.deepEqual(fromLineReads('docker build --build-arg FROM_IMAGE=golang:1.25 .'), []);
});

test('privilegedServices: the images compose runs with root privileges, by name; `.` for one it builds', () => {
  const compose = [
    'services:',
    '  vpn:',
    '    image: quay.io/acme/vpn:latest',
    '    devices:',
    '      - /dev/net/tun:/dev/net/tun',
    '    cap_add:',
    '      - NET_ADMIN',
    '  web:',
    '    image: nginx:1.27',
    '    cap_add: [CHOWN]',
    '  agent:',
    '    build: .',
    '    privileged: true',
    '  db:',
    '    image: postgres:17',
    'volumes:',
    '  data:',
    '    privileged: true',
  ].join('\n');
  assert.deepEqual([...privilegedServices(compose)].sort(), ['.', 'quay.io/acme/vpn']);
  assert.deepEqual([...privilegedServices('services:\n  app:\n    build: .\n')], []);
});
