import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { platformFieldValues } from '../../../src/build/version-args.js';
import { UsageError } from '../../../src/core/errors.js';
import { generateDockerfile } from '../../../src/generate/dockerfile.js';
import { guardDockerignore, pathsTheBuildReads } from '../../../src/generate/dockerignore-guard.js';
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions } from '../../../src/generate/options.js';
import type { ProjectModel } from '../../../src/project/model.js';
import { fromReleaseLdflags } from '../../../src/project/version-injection.js';

function project(over: Partial<ProjectModel> = {}): ProjectModel {
  return {
    root: '/p',
    goMod: {
      file: 'go.mod',
      module: 'example.com/svc',
      go: '1.21',
      requires: [],
      replaces: [],
      excludes: [],
    },
    hasGoSum: true,
    vendored: false,
    mainPackages: ['.'],
    packages: [
      {
        dir: '.',
        importPath: 'example.com/svc',
        name: 'main',
        files: ['main.go'],
        imports: ['net/http'],
        embeds: [],
      },
    ],
    cgoRequired: false,
    cgoEvidence: [],
    usesTls: false,
    loadsTimeZones: false,
    embedsTzdata: false,
    ports: [8080],
    localReplaceDirs: [],
    ...over,
  };
}

const opts = (over: Partial<GenerateOptions> = {}): GenerateOptions => ({
  ...DEFAULT_GENERATE_OPTIONS,
  ...over,
});

/** The instruction lines (comments and continuations folded), for order checks. */
function instructions(text: string): string[] {
  return text
    .replace(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

test('static HTTP service: golang:<go.mod>, BUILDPLATFORM cross build, both cache mounts, scratch, nonroot, EXPOSE', () => {
  const { dockerfile, plan } = generateDockerfile(project(), opts());
  const ins = instructions(dockerfile);
  assert.equal(dockerfile.split('\n')[0], '# syntax=docker/dockerfile:1');
  assert.equal(ins[0], 'FROM --platform=$BUILDPLATFORM golang:1.21 AS build');
  const at = (prefix: string) => ins.findIndex((l) => l.startsWith(prefix));
  assert.ok(at('COPY go.mod go.sum ./') < at('RUN --mount=type=cache,target=/go/pkg/mod go mod download'));
  assert.ok(at('RUN --mount=type=cache,target=/go/pkg/mod go mod download') < at('COPY . .'));
  assert.ok(at('COPY . .') < at('ARG TARGETOS TARGETARCH'));
  const build = ins.find((l) => l.includes('go build'))!;
  assert.match(build, /--mount=type=cache,target=\/go\/pkg\/mod/);
  assert.match(build, /--mount=type=cache,target=\/root\/\.cache\/go-build/);
  assert.match(
    build,
    /CGO_ENABLED=0 GOOS=\$TARGETOS GOARCH=\$TARGETARCH go build -trimpath -ldflags="-s -w" -o \/out\/svc \.$/,
  );
  assert.ok(ins.includes('FROM scratch'));
  assert.ok(ins.includes('COPY --from=build /out/svc /app'));
  assert.ok(ins.includes('USER 65532:65532'));
  assert.ok(ins.includes('EXPOSE 8080'));
  assert.equal(ins.at(-1), 'ENTRYPOINT ["/app"]');
  assert.doesNotMatch(dockerfile, /ca-certificates|zoneinfo/);
  assert.match(dockerfile, /go mod download -x/);
  assert.equal(plan.runtime.image, 'scratch');
});

test('every instruction line is preceded by a comment or is self-explaining', () => {
  const { dockerfile } = generateDockerfile(project({ usesTls: true }), opts());
  const lines = dockerfile.split('\n');
  const plain = new Set(['WORKDIR /src']);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^(RUN|COPY|FROM|ENV|ARG|USER|ENTRYPOINT)/.test(l) && !plain.has(l) && !l.startsWith('COPY go.mod')) {
      if (l === 'ARG TARGETOS TARGETARCH' || l.startsWith('COPY . .')) continue;
      assert.ok(lines[i - 1]?.startsWith('#'), `no "why" comment above: ${l}`);
    }
  }
});

test('TLS only: scratch plus the CA bundle from the builder; time zones: distroless static', () => {
  const tls = generateDockerfile(project({ usesTls: true }), opts()).dockerfile;
  assert.match(tls, /^FROM scratch$/m);
  assert.match(
    tls,
    /^COPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt \/etc\/ssl\/certs\/ca-certificates\.crt$/m,
  );
  const tz = generateDockerfile(project({ usesTls: true, loadsTimeZones: true }), opts()).dockerfile;
  assert.match(tz, /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
  assert.doesNotMatch(tz, /COPY --from=build \/etc\/ssl/);
  const embedded = generateDockerfile(
    project({ loadsTimeZones: true, embedsTzdata: true }),
    opts(),
  ).dockerfile;
  assert.match(embedded, /^FROM scratch$/m);
  const scratchTz = generateDockerfile(
    project({ loadsTimeZones: true }),
    opts({ base: { kind: 'scratch' } }),
  ).dockerfile;
  assert.match(scratchTz, /^COPY --from=build \/usr\/share\/zoneinfo \/usr\/share\/zoneinfo$/m);
});

test("cgo required: CGO_ENABLED=1, no cross-compilation, a builder of the glibc distroless base's Debian release; musl or scratch refused", () => {
  const p = project({
    cgoRequired: true,
    cgoEvidence: [{ kind: 'import-c', package: 'example.com/svc', file: 'main.go', line: 3 }],
  });
  const { dockerfile } = generateDockerfile(p, opts());
  // The plain golang tag follows Debian stable: a newer glibc than the runtime's would not start there.
  assert.match(dockerfile, /^FROM golang:1\.21-bookworm AS build$/m);
  assert.match(dockerfile, /CGO_ENABLED=1 go build/);
  assert.doesNotMatch(dockerfile, /TARGETARCH|BUILDPLATFORM/);
  assert.match(dockerfile, /^FROM gcr\.io\/distroless\/base-debian12:nonroot$/m);
  assert.match(
    generateDockerfile(p, opts({ base: { kind: 'debian' } })).dockerfile,
    /^FROM debian:bookworm-slim$/m,
  );
  assert.throws(() => generateDockerfile(p, opts({ base: { kind: 'alpine' } })), UsageError);
  assert.throws(() => generateDockerfile(p, opts({ base: { kind: 'scratch' } })), UsageError);
  // --cgo off on a project that merely imports net: static and cross-compiled.
  const net = project({
    cgoEvidence: [{ kind: 'net', package: 'example.com/svc', file: 'main.go', line: 4 }],
  });
  assert.match(generateDockerfile(net, opts()).dockerfile, /net would pull in libc/);
});

test('vendored: no download step, no module cache mount, -mod=vendor', () => {
  const { dockerfile } = generateDockerfile(project({ vendored: true }), opts());
  assert.doesNotMatch(dockerfile, /go mod download$/m);
  assert.doesNotMatch(dockerfile, /target=\/go\/pkg\/mod/);
  assert.match(dockerfile, /go build -mod=vendor -trimpath/);
  assert.match(dockerfile, /target=\/root\/\.cache\/go-build/);
});

test('local replace targets are copied before go mod download', () => {
  const p = project({ localReplaceDirs: ['./libs/money', '../outside'] });
  const { dockerfile, notes } = generateDockerfile(p, opts());
  const ins = instructions(dockerfile);
  const copy = ins.indexOf('COPY libs/money libs/money');
  const download = ins.findIndex((l) => l.endsWith('go mod download'));
  assert.ok(copy > 0 && copy < download);
  assert.ok(notes.some((n) => n.includes('../outside')));
});

test('no go.sum: go.sum* so the file is picked up once dependencies arrive', () => {
  const { dockerfile } = generateDockerfile(project({ hasGoSum: false }), opts());
  assert.match(dockerfile, /^COPY go\.mod go\.sum\* \.\/$/m);
});

test('builder follows the newer of go and toolchain directives, major.minor like the image tags', () => {
  const p = project();
  p.goMod!.go = '1.21.5';
  p.goMod!.toolchain = 'go1.23.2';
  assert.match(generateDockerfile(p, opts()).dockerfile, /golang:1\.23 AS build/);
});

test('several main packages: a usage error asking which one; --main picks it', () => {
  const p = project({ mainPackages: ['cmd/api', 'cmd/worker'] });
  assert.throws(
    () => generateDockerfile(p, opts()),
    (err: Error) => {
      assert.ok(err instanceof UsageError);
      assert.match(err.message, /which one/);
      assert.match(err.message, /\.\/cmd\/api, \.\/cmd\/worker/);
      return true;
    },
  );
  const { dockerfile } = generateDockerfile(p, opts({ main: './cmd/worker' }));
  assert.match(dockerfile, /-o \/out\/worker \.\/cmd\/worker$/m);
  // The example in the hint is the package named like the module (example.com/svc), when one is.
  assert.throws(
    () => generateDockerfile(project({ mainPackages: ['cmd/gen', 'cmd/svc', 'tools/lint'] }), opts()),
    (err: Error) => {
      assert.equal((err as UsageError).hint, 'choose one with --main, e.g. --main ./cmd/svc');
      return true;
    },
  );
  assert.throws(() => generateDockerfile(p, opts({ main: './cmd/nope' })), UsageError);
});

test('options: no syntax directive, --port, private modules via a secret mount (never an ARG)', () => {
  const { dockerfile } = generateDockerfile(
    project({ ports: [] }),
    opts({ syntaxDirective: false, port: 9090, private: ['github.com/acme/*'] }),
  );
  assert.doesNotMatch(dockerfile, /# syntax/);
  assert.match(dockerfile, /^EXPOSE 9090$/m);
  assert.match(dockerfile, /^ENV GOPRIVATE=github\.com\/acme\/\*$/m);
  assert.match(dockerfile, /--mount=type=secret,id=netrc,target=\/root\/\.netrc/);
  assert.doesNotMatch(dockerfile, /^ARG .*(TOKEN|PASS|NETRC)/im);
});

test('OCI labels, with the source URL for hosted module paths', () => {
  const p = project();
  p.goMod!.module = 'github.com/acme/orders';
  const { dockerfile } = generateDockerfile(p, opts());
  assert.match(dockerfile, /org\.opencontainers\.image\.title="orders"/);
  assert.match(dockerfile, /org\.opencontainers\.image\.source="https:\/\/github\.com\/acme\/orders"/);
});

test('.dockerignore guard re-includes what the build copies', () => {
  const p = project({
    vendored: true,
    packages: [
      { dir: '.', importPath: 'x', name: 'main', files: ['main.go'], imports: [], embeds: ['static/*.html'] },
    ],
  });
  const keep = pathsTheBuildReads(p);
  assert.ok(keep.includes('vendor/modules.txt'));
  assert.ok(keep.includes('static'));
  const r = guardDockerignore('.git\nvendor\nstatic\n*.md\n', keep);
  assert.deepEqual(r.reincluded, ['static', 'vendor/modules.txt']);
  assert.match(r.text, /!static\n!vendor\/modules\.txt\n$/);
  assert.deepEqual(guardDockerignore('.git\n', keep).reincluded, []);
});

test("goreleaser's per-target fields: the stage declares BuildKit's TARGET ARGs; its shell derives GOARM and the target as goimg build does", () => {
  const injection = fromReleaseLdflags(
    [
      '-X',
      'main.v={{.Version}}',
      '-X',
      'main.t={{ .Target }}',
      '-X',
      'main.arm={{.Arm}}',
      '-X',
      'main.os={{.Os}}',
    ],
    'cfg',
    'tool',
  );
  const { dockerfile } = generateDockerfile(project(), opts({ release: { injection } }));
  assert.match(dockerfile, /^ARG TARGETOS TARGETARCH TARGETVARIANT$/m);
  assert.match(dockerfile, /^ARG VERSION=dev$/m, 'only the release value is a build argument');
  assert.match(
    dockerfile,
    /-X main\.v=\$\{VERSION\} -X main\.t=\$\{GORELEASER_TARGET\} -X main\.arm=\$\{GORELEASER_ARM\} -X main\.os=\$\{TARGETOS\}"/,
  );
  assert.match(dockerfile, /# goreleaser's \{\{\.Arm\}\} is GOARM: the digit of BuildKit's arm variant/);
  const shell = /^ {4}(GORELEASER_ARM=.*) \\$/m.exec(dockerfile)?.[1];
  assert.ok(shell, dockerfile);
  // BuildKit sets TARGETVARIANT to v7 for linux/arm and leaves it empty for linux/amd64 and linux/arm64.
  for (const [arch, variant] of [
    ['arm', 'v7'],
    ['arm', 'v6'],
    ['amd64', ''],
    ['amd64', 'v3'],
    ['arm64', ''],
  ] as const) {
    const out: string = execFileSync(
      '/bin/sh',
      ['-c', `${shell} echo "$GORELEASER_ARM,$GORELEASER_TARGET"`],
      {
        env: { TARGETOS: 'linux', TARGETARCH: arch, TARGETVARIANT: variant },
        encoding: 'utf8',
      },
    );
    const want = platformFieldValues(variant ? { os: 'linux', arch, variant } : { os: 'linux', arch });
    assert.equal(out.trim(), `${want.GORELEASER_ARM},${want.GORELEASER_TARGET}`, `${arch}/${variant}`);
  }
});

test('a 32-bit arm platform: GOARM from the variant, set on arm only (older go rejects a GOARM it cannot read)', () => {
  const { dockerfile } = generateDockerfile(
    project(),
    opts({
      platforms: [
        { os: 'linux', arch: 'amd64' },
        { os: 'linux', arch: 'arm', variant: 'v6' },
      ],
    }),
  );
  assert.match(dockerfile, /^ARG TARGETOS TARGETARCH TARGETVARIANT$/m);
  const shell = /^ {4}(case \$TARGETARCH in arm\).*) \\$/m.exec(dockerfile)?.[1];
  assert.ok(shell, dockerfile);
  for (const [arch, variant, goarm] of [
    ['arm', 'v6', '6'],
    ['arm', 'v7', '7'],
    ['arm64', 'v8', 'unset'],
    ['amd64', 'v3', 'unset'],
    ['amd64', '', 'unset'],
  ] as const) {
    const out: string = execFileSync('/bin/sh', ['-c', `${shell} echo "\${GOARM-unset}"`], {
      env: { TARGETARCH: arch, TARGETVARIANT: variant },
      encoding: 'utf8',
    });
    assert.equal(out.trim(), goarm, `${arch}/${variant}`);
  }
  const amd64Only = generateDockerfile(project(), opts({ platforms: [{ os: 'linux', arch: 'amd64' }] }));
  assert.doesNotMatch(amd64Only.dockerfile, /GOARM|TARGETVARIANT/, 'no arm platform: nothing added');
});

test('{{.Os}} and {{.Arch}} in a cgo build (no cross-compilation): the TARGET ARGs are still declared', () => {
  const injection = fromReleaseLdflags(['-X', 'main.p={{ .Os }}/{{ .Arch }}'], 'cfg', 'tool');
  const p = project({
    cgoRequired: true,
    cgoEvidence: [{ kind: 'import-c', package: 'example.com/svc', file: 'main.go', line: 3 }],
  });
  const { dockerfile } = generateDockerfile(p, opts({ release: { injection } }));
  assert.match(dockerfile, /^ARG TARGETOS TARGETARCH$/m);
  assert.doesNotMatch(dockerfile, /GORELEASER_/);
  assert.match(dockerfile, /-X main\.p=\$\{TARGETOS\}\/\$\{TARGETARCH\}"/);
});
