import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { goreleaserConfig, koConfig, unevaluatedNote } from '../../../src/project/goreleaser.js';
import { fromReleaseLdflags, fromScriptText } from '../../../src/project/version-injection.js';
import { parseYaml } from '../../../src/project/yaml-text.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

test('goreleaser v1 and v2: main (a dir or a file), binary, flags, ldflags, tags, env, linux platforms, dockers', () => {
  const v2 = goreleaserConfig(
    parseYaml(`version: 2
builds:
  - id: api
    main: ./cmd/api/main.go
    binary: api
    flags: [-trimpath, -buildvcs=false]
    ldflags:
      - -s -w -X main.version={{ .Version }}
    tags: [netgo, osusergo]
    env: [CGO_ENABLED=0, GOEXPERIMENT=loopvar]
    goos: [linux, darwin]
    goarch: [amd64, arm64]
  - id: win
    goos: [windows]
dockers:
  - dockerfile: build/Dockerfile
dockers_v2:
  - dockerfile: ./build/Dockerfile
`),
    '.goreleaser.yaml',
  );
  const api = v2.builds[0]!;
  assert.equal(api.main, 'cmd/api');
  assert.deepEqual(api.flags, ['-trimpath', '-buildvcs=false']);
  assert.deepEqual(api.ldflags, ['-s', '-w', '-X', 'main.version={{ .Version }}']);
  assert.deepEqual(api.tags, ['netgo', 'osusergo']);
  assert.deepEqual(api.env, { CGO_ENABLED: '0', GOEXPERIMENT: 'loopvar' });
  assert.deepEqual(api.platforms, ['linux/amd64', 'linux/arm64']);
  assert.deepEqual(v2.builds[1]!.platforms, [], 'a windows-only build has no linux platform');
  assert.deepEqual(v2.dockerfiles, [{ path: 'build/Dockerfile' }]);
  // v1 with no builds at all: goreleaser's defaults (main ., its -X version/commit/date ldflags).
  const v1 = goreleaserConfig(parseYaml('project_name: tool\n'), '.goreleaser.yml');
  assert.equal(v1.builds[0]!.main, '.');
  assert.ok(v1.builds[0]!.ldflags.includes('main.version={{.Version}}'));
});

test('templates outside ldflags (flags, tags, env) are left out and named in one note', () => {
  const cfg = goreleaserConfig(
    parseYaml(`builds:
  - id: app
    flags: [-trimpath, "-tags={{ .Env.TAGS }}"]
    tags: [netgo, "{{ .Env.EXTRA }}"]
    env: [CGO_ENABLED=0, "GOAMD64={{ .Env.LEVEL }}"]
`),
    '.goreleaser.yaml',
  );
  const b = cfg.builds[0]!;
  assert.deepEqual(b.flags, ['-trimpath']);
  assert.deepEqual(b.tags, ['netgo']);
  assert.deepEqual(b.env, { CGO_ENABLED: '0' });
  assert.deepEqual(b.unevaluated, [
    'flags "-tags={{ .Env.TAGS }}"',
    'tags "{{ .Env.EXTRA }}"',
    'env "GOAMD64={{ .Env.LEVEL }}"',
  ]);
  assert.match(
    unevaluatedNote(cfg.file, b),
    /^\.goreleaser\.yaml build app: left out flags .*only in ldflags$/,
  );
  const ko = koConfig(parseYaml('builds:\n  - id: k\n    env: ["X={{ .Env.X }}"]\n'), '.ko.yaml');
  assert.deepEqual(ko.builds[0]!.unevaluated, ['env "X={{ .Env.X }}"']);
  assert.deepEqual(goreleaserConfig(parseYaml('project_name: t\n'), 'g').builds[0]!.unevaluated, []);
});

test('ko: builds with flags and ldflags, defaultBaseImage, defaultPlatforms', () => {
  const ko = koConfig(
    parseYaml(`defaultBaseImage: gcr.io/distroless/static-debian12:nonroot
defaultPlatforms: [linux/arm64, linux/amd64]
builds:
  - id: srv
    main: ./cmd/srv
    ldflags: ["-X main.version={{.Env.VERSION}}"]
`),
    '.ko.yaml',
  );
  assert.equal(ko.baseImage, 'gcr.io/distroless/static-debian12:nonroot');
  assert.deepEqual(ko.builds[0]!.platforms, ['linux/arm64', 'linux/amd64']);
  const inj = fromReleaseLdflags(ko.builds[0]!.ldflags, '.ko.yaml build srv', 'srv');
  assert.deepEqual(inj.flags, [{ symbol: 'main.version', value: '${VERSION}' }]);
});

test('templates become build arguments; ProjectName is filled in; others are named and left out', () => {
  const inj = fromReleaseLdflags(
    [
      '-s',
      '-w',
      '-X',
      'main.v={{.Version}}-{{ .ShortCommit }}',
      '-X',
      'main.n={{.ProjectName}}',
      '-X',
      'main.url={{ .GitURL }}',
    ],
    'cfg',
    'tool',
  );
  assert.deepEqual(inj.flags, [
    { symbol: 'main.v', value: '${VERSION}-${SHORT_COMMIT}' },
    { symbol: 'main.n', value: 'tool' },
  ]);
  assert.deepEqual(
    inj.args.map((a) => `${a.name}:${a.role}`),
    ['VERSION:version', 'SHORT_COMMIT:short-commit'],
  );
  assert.match(inj.notes[0]!, /\{\{ \.GitURL \}\}, which goimg cannot evaluate/);
});

test('the per-target fields {{.Os}} {{.Arch}} {{.Arm}} {{.Target}} (any spacing) are the platform, not build arguments', () => {
  const inj = fromReleaseLdflags(
    [
      '-X',
      'main.os={{.Os}}',
      '-X',
      'main.arch={{ .Arch }}',
      '-X',
      'main.arm={{- .Arm -}}',
      '-X',
      'main.target={{ .Target }}',
      '-X',
      'main.v={{.Version}}_{{.Os}}',
    ],
    'cfg',
    'tool',
  );
  assert.deepEqual(inj.flags, [
    { symbol: 'main.os', value: '${TARGETOS}' },
    { symbol: 'main.arch', value: '${TARGETARCH}' },
    { symbol: 'main.arm', value: '${GORELEASER_ARM}' },
    { symbol: 'main.target', value: '${GORELEASER_TARGET}' },
    { symbol: 'main.v', value: '${VERSION}_${TARGETOS}' },
  ]);
  assert.deepEqual(inj.platformFields, ['TARGETOS', 'TARGETARCH', 'GORELEASER_ARM', 'GORELEASER_TARGET']);
  assert.deepEqual(
    inj.args.map((a) => a.name),
    ['VERSION'],
  );
  assert.deepEqual(inj.notes, []);
});

test('a Makefile and a Dockerfile: -X values become arguments, their role from $(shell ...) or the name', () => {
  const make = fromScriptText(
    [
      'PKG := example.com/tool/internal/version',
      'VERSION ?= $(shell git describe --tags --always --dirty)',
      'REV := $(shell git rev-parse HEAD)',
      'CHANNEL = stable',
      'LDFLAGS := -X $(PKG).Version=$(VERSION) -X $(PKG).Revision=$(REV) -X $(PKG).Channel=$(CHANNEL)',
      'build:',
      '\tgo build -ldflags "$(LDFLAGS)" ./cmd/tool',
    ].join('\n'),
    'Makefile',
  );
  assert.deepEqual(make.flags, [
    { symbol: 'example.com/tool/internal/version.Version', value: '${VERSION}' },
    { symbol: 'example.com/tool/internal/version.Revision', value: '${REV}' },
    { symbol: 'example.com/tool/internal/version.Channel', value: '${CHANNEL}' },
  ]);
  assert.deepEqual(
    make.args.map((a) => `${a.name}:${a.role}:${a.default ?? ''}`),
    ['VERSION:tag:', 'REV:commit:', 'CHANNEL:other:stable'],
  );
  const df = fromScriptText(
    'go build -ldflags="-s -w -X main.buildDate=${BUILD_DATE} -X main.gitCommit=$GIT_COMMIT" .',
    'Dockerfile',
    new Map([['BUILD_DATE', 'unknown']]),
  );
  assert.deepEqual(
    df.args.map((a) => `${a.name}:${a.role}:${a.default ?? ''}`),
    ['BUILD_DATE:date:unknown', 'GIT_COMMIT:commit:'],
  );
});

test("audit judges goreleaser's dockers Dockerfile as one whose context goreleaser assembles", async () => {
  const r = await auditDirectory(`${REPO_ROOT}/test/fixtures/release/goreleaser-v1`);
  assert.deepEqual(
    r.findings.filter((f) => f.file === 'Dockerfile.release').map((f) => f.rule),
    [],
    'no missing-dockerignore: the checkout is not the context',
  );
});

test('audit reads the goreleaser variants in .goreleaser/: a prebuilt binary built with -tags timetzdata needs no zoneinfo', async (t) => {
  const { root, put } = scratchTree(t, 'goimg-goreleaser-');
  put('go.mod', 'module example.com/app\n\ngo 1.25\n');
  put(
    'cmd/app/main.go',
    'package main\n\nimport "time"\n\nfunc main() { _, _ = time.LoadLocation("Europe/Paris") }\n',
  );
  put('docker/Dockerfile', 'FROM busybox:1.37\nCOPY app /usr/bin/app\nENTRYPOINT ["/usr/bin/app"]\n');
  const rules = async () =>
    (await auditDirectory(root, { dockerfile: `${root}/docker/Dockerfile` })).findings.map((f) => f.rule);
  assert.ok((await rules()).includes('missing-tzdata'), 'without a release build the zones are missing');
  const config = (tags: string) =>
    `version: 2\nbuilds:\n  - main: ./cmd/app\n    binary: app\n${tags}dockers:\n  - dockerfile: docker/Dockerfile\n`;
  put('.goreleaser/app.yaml', config(''));
  assert.ok((await rules()).includes('missing-tzdata'), 'a release build without the tag embeds no zones');
  put('.goreleaser/app.yaml', config('    tags: [timetzdata]\n'));
  // A variant goimg cannot read is passed over.
  put('.goreleaser/broken.yaml', 'builds: [\n');
  const after = await rules();
  assert.ok(!after.includes('missing-tzdata'), after.join(', '));
  assert.ok(!after.includes('missing-dockerignore'), 'goreleaser assembles the context');
});

test('a goreleaser docker build of one stage (--target) assembles the context of that stage only', async (t) => {
  const { root, put } = scratchTree(t, 'goimg-release-target-');
  put('go.mod', 'module example.com/app\n\ngo 1.25\n');
  put('main.go', 'package main\n\nfunc main() {}\n');
  put(
    'Dockerfile',
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch AS source\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\nFROM scratch AS prebuilt\nCOPY app /app\nENTRYPOINT ["/app"]\n',
  );
  put(
    '.goreleaser.yaml',
    'version: 2\ndockers_v2:\n  - dockerfile: Dockerfile\n    platforms: [linux/amd64, linux/arm64]\n    flags:\n      - "--target=prebuilt"\n',
  );
  const rules = async (target?: string) =>
    (await auditDirectory(root, target ? { target } : {})).findings.map((f) => f.rule);
  assert.ok(!(await rules()).includes('missing-dockerignore'), 'the stage goreleaser builds');
  assert.ok(
    (await rules('source')).includes('missing-dockerignore'),
    'a source build of another stage sends the real context',
  );
  assert.deepEqual(
    goreleaserConfig(
      parseYaml('dockers:\n  - build_flag_templates: ["--target", "prebuilt"]\n'),
      '.goreleaser.yml',
    ).dockerfiles,
    [{ path: 'Dockerfile', target: 'prebuilt' }],
  );
});
