/**
 * The context rules judge what a build really reads: minimal projects written on disk, audited
 * through the same loader as the CLI (real .dockerignore matching, real project scan).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { AuditFinding } from '../../../src/audit/engine.js';
import { auditDirectory } from '../../../src/audit/load.js';
import type { Edit } from '../../../src/fix/edit.js';
import { hasTool } from '../../helpers/env.js';
import { ScratchRepo } from '../../helpers/git-repo.js';
import { need } from '../../helpers/requirements.js';

const temps: string[] = [];
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const NOW = new Date('2025-09-01T00:00:00Z');

/** Writes `files` (path → text) into a new temporary directory. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-reads-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A module whose ./cmd/app imports internal/store; tools/ and testing/ are never imported. */
const SERVICE: Record<string, string> = {
  'go.mod': 'module example.com/svc\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n',
  'go.sum': 'github.com/google/uuid v1.6.0 h1:x=\n',
  'cmd/app/main.go':
    'package main\n\nimport "example.com/svc/internal/store"\n\nfunc main() { store.Open() }\n',
  'internal/store/store.go': 'package store\n\nfunc Open() {}\n',
  'internal/store/path.go': 'package store\n\nconst dir = "/data"\n',
  'internal/store/store_test.go': 'package store\n',
  'testing/helpers.go': 'package testing\n\nfunc Help() {}\n',
};

async function audit(dir: string, dockerfile?: string): Promise<AuditFinding[]> {
  const options: Parameters<typeof auditDirectory>[1] = { now: NOW };
  if (dockerfile) options.dockerfile = join(dir, dockerfile);
  return (await auditDirectory(dir, options)).findings;
}

function only(findings: AuditFinding[], rule: string): AuditFinding[] {
  return findings.filter((f) => f.rule === rule);
}

/** The one finding of `rule`, failing when there is none or more than one. */
function theOnly(findings: AuditFinding[], rule: string): AuditFinding {
  const found = only(findings, rule);
  assert.equal(found.length, 1, found.map((f) => f.message).join('\n'));
  return found[0]!;
}

/** Applies a finding's edits to the text they target. */
function applyFix(text: string, f: AuditFinding): string {
  const edits = (f.fix?.edits ?? []) as Extract<Edit, { kind: 'replace' }>[];
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const BUILD = `FROM golang:1.25 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /app ./cmd/app
FROM scratch
COPY --from=build /app /app
`;

test('a Dockerfile that copies a prebuilt binary reads only that binary: `*` plus an allow-list is fine', async () => {
  const dir = project({
    ...SERVICE,
    'app-linux-amd64': 'ELF',
    '.dockerignore': '*\n!app-linux-amd64\n',
    Dockerfile: 'FROM alpine:3.22\nCOPY app-linux-amd64 /usr/bin/app\n',
  });
  assert.deepEqual(only(await audit(dir), 'dockerignore-excludes-needed'), []);
});

test('a COPY of an excluded directory that an exception pattern lets files through is not a finding; with nothing let through it is', async () => {
  const dir = project({
    ...SERVICE,
    'docs/logo.png': 'png',
    'docs/docs_test.go': 'package docs\n',
    '.dockerignore': 'docs\n!docs/*.go\n',
    Dockerfile: 'FROM golang:1.25\nWORKDIR /src\nCOPY docs/ ./docs/\n',
  });
  assert.deepEqual(only(await audit(dir), 'dockerignore-excludes-needed'), []);
  writeFileSync(join(dir, '.dockerignore'), 'docs\n!docs/*.md\n');
  const f = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.equal(f.line, 3);
  assert.equal(
    f.message,
    '.dockerignore excludes docs, which this COPY needs: the build fails or uses a stale file',
  );
});

test('excluding a package the built main package never imports is not a finding', async () => {
  const dir = project({ ...SERVICE, '.dockerignore': 'testing\n', Dockerfile: BUILD });
  assert.deepEqual(only(await audit(dir), 'dockerignore-excludes-needed'), []);
});

test('excluding a nested module (own go.mod, even an empty one) is not a finding, and the audit runs', async () => {
  for (const mod of ['module example.com/svc/tools\n\ngo 1.22\n', '']) {
    const dir = project({
      ...SERVICE,
      'tools/go.mod': mod,
      'tools/gen.go': 'package tools\n\nimport _ "example.com/svc/internal/store"\n',
      'cmd/app/main.go':
        'package main\n\nimport (\n\t"example.com/svc/internal/store"\n\t_ "example.com/svc/tools"\n)\n\nfunc main() { store.Open() }\n',
      '.dockerignore': 'tools\n',
      Dockerfile: BUILD,
    });
    assert.deepEqual(only(await audit(dir), 'dockerignore-excludes-needed'), []);
  }
});

test('an imported package excluded: one finding at the pattern, with the count and an example', async () => {
  const dir = project({ ...SERVICE, '.dockerignore': '.git\ninternal\n', Dockerfile: BUILD });
  const f = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.equal(f.file, '.dockerignore');
  assert.equal(f.line, 2);
  assert.equal(f.severity, 'error');
  assert.equal(
    f.message,
    '.dockerignore excludes 2 paths the build reads, such as internal/store/path.go (source of package internal/store) through the pattern internal: the build fails without it',
  );
});

test('a directory refilled from another stage may be excluded from the context', async () => {
  const dir = project({
    ...SERVICE,
    'internal/store/store.go':
      'package store\n\nimport "embed"\n\n//go:embed public\nvar Public embed.FS\n\nfunc Open() {}\n',
    'internal/store/public/index.html': '<p>placeholder</p>\n',
    '.dockerignore': 'internal/store/public\n',
    Dockerfile: `FROM node:22 AS web
WORKDIR /web
RUN mkdir -p out && echo hi > out/index.html
FROM golang:1.25 AS build
WORKDIR /src
COPY . .
COPY --from=web /web/out internal/store/public
RUN CGO_ENABLED=0 go build -o /app ./cmd/app
`,
  });
  assert.deepEqual(only(await audit(dir), 'dockerignore-excludes-needed'), []);
  // Without the stage that fills it, the embed finds nothing: the build fails.
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/app\n',
  );
  const finding = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.equal(finding.line, 1);
  assert.match(
    finding.message,
    /internal\/store\/public\/index\.html \(\/\/go:embed public in internal\/store\)/,
  );
});

test('a Makefile excluded while the Dockerfile runs make after COPY . . is an error at its pattern', async () => {
  const dir = project({
    ...SERVICE,
    Makefile: 'build:\n\tgo build -o /app ./cmd/app\n',
    '.dockerignore': '.git\nMakefile\n',
    Dockerfile: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n',
  });
  const finding = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.equal(finding.line, 2);
  assert.equal(
    finding.message,
    '.dockerignore excludes Makefile (make) through the pattern Makefile: the build fails without it',
  );
});

test('a script the Dockerfile runs, excluded, is an error; a build through a script is not guessed', async () => {
  const dir = project({
    ...SERVICE,
    'scripts/build.sh': '#!/bin/sh\ngo build ./cmd/app\n',
    '.dockerignore': 'scripts\ninternal\n',
    Dockerfile: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN sh scripts/build.sh\n',
  });
  const finding = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.equal(finding.line, 1);
  assert.match(
    finding.message,
    /^\.dockerignore excludes scripts\/build\.sh \(the script scripts\/build\.sh\)/,
  );
});

test("a WORKDIR under the golang image's $GOPATH is resolved: the script run there is found", async () => {
  const dir = project({
    ...SERVICE,
    'scripts/build.sh': '#!/bin/sh\ngo build ./cmd/app\n',
    '.dockerignore': 'scripts\n',
    Dockerfile:
      'FROM golang:1.25 AS build\nWORKDIR ${GOPATH}/src/example.com/svc\nCOPY . .\nRUN ./scripts/build.sh\n',
  });
  const finding = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.match(finding.message, /^\.dockerignore excludes scripts\/build\.sh/);
});

test('git in the build: a failing git command is an error, a stamp without a fallback a warning, one with a fallback nothing', async () => {
  const files = { ...SERVICE, '.git/HEAD': 'ref: refs/heads/main\n', '.dockerignore': '.git\n' };
  const strict = project({
    ...files,
    Dockerfile:
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN git describe --tags > VERSION && go build -o /app ./cmd/app\n',
  });
  const finding = theOnly(await audit(strict), 'dockerignore-excludes-needed');
  assert.equal(finding.line, 1);
  assert.match(finding.message, /excludes \.git \(git reads the repository\)/);
  const stamped = project({
    ...files,
    Dockerfile:
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags "-X main.v=$(git rev-parse --short HEAD)" -o /app ./cmd/app\n',
  });
  const empty = only(await audit(stamped), 'dockerignore-excludes-needed');
  assert.deepEqual(
    empty.map((f) => [f.file, f.line, f.severity]),
    [['Dockerfile', 4, 'warning']],
  );
  assert.match(empty[0]!.message, /excludes \.git, which git in this RUN reads: .*comes out empty/);
  const fallback = project({
    ...files,
    Dockerfile:
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags "-X main.v=$(git rev-parse --short HEAD 2>/dev/null || echo dev)" -o /app ./cmd/app\n',
  });
  assert.deepEqual(only(await audit(fallback), 'dockerignore-excludes-needed'), []);
});

test('a per-Dockerfile ignore file is the one BuildKit uses, and findings point at it', async () => {
  const dir = project({
    ...SERVICE,
    '.dockerignore': '.git\n',
    'Dockerfile.dev': BUILD,
    'Dockerfile.dev.dockerignore': '# dev context\ninternal/store/path.go\n',
  });
  const finding = theOnly(await audit(dir, 'Dockerfile.dev'), 'dockerignore-excludes-needed');
  assert.equal(finding.file, 'Dockerfile.dev.dockerignore');
  assert.equal(finding.line, 2);
});

test('a build through a bind mount of the context reads the packages it compiles', async () => {
  const dir = project({
    ...SERVICE,
    '.dockerignore': '**/path.go\n',
    Dockerfile:
      'FROM golang:1.25 AS build\nWORKDIR /src\nRUN --mount=type=bind,target=. CGO_ENABLED=0 go build -o /app ./cmd/app\n',
  });
  const finding = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.match(finding.message, /internal\/store\/path\.go \(source of package internal\/store\)/);
});

test('a lowercase dockerfile is found when there is no Dockerfile', async () => {
  const dir = project({ ...SERVICE, dockerfile: BUILD });
  const found = await audit(dir);
  assert.ok(found.length > 0);
  assert.ok(found.every((f) => f.file === 'dockerfile' || f.file === '.dockerignore'));
});

// go.sum reaches the image before a go command needs it: no go-sum-not-copied.
for (const [name, dockerfile] of [
  [
    'go.mod and go.sum copied by two COPY lines',
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY go.mod .\nCOPY go.sum .\nRUN go mod download\nCOPY . .\n',
  ],
  [
    'go.sum arriving with the sources before go build (go mod download needs no go.sum)',
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n',
  ],
  [
    'files copied to the WORKDIR named without a trailing slash land in it',
    'FROM golang:1.25 AS build\nWORKDIR /src\nADD go.mod /src\nADD go.sum /src\nRUN go mod download\nCOPY *.go /src\nRUN go build -o /app .\n',
  ],
  [
    'go.sum inherited from a parent stage',
    'FROM golang:1.25 AS base\nWORKDIR /src\nCOPY go.sum ./\nFROM base AS deps\nCOPY go.mod ./\nRUN go mod download\n',
  ],
]) {
  test(`go.sum present in time: ${name}`, async () => {
    const dir = project({ ...SERVICE, '.dockerignore': '.git\n', Dockerfile: dockerfile! });
    assert.deepEqual(only(await audit(dir), 'go-sum-not-copied'), []);
  });
}

test('go.mod copied alone: the fix adds go.sum to the COPY, or a COPY line when the destination is a file', async () => {
  const text =
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY *.go ./\nRUN go build -o /app .\n';
  const dir = project({ ...SERVICE, '.dockerignore': '.git\n', Dockerfile: text });
  const finding = theOnly(await audit(dir), 'go-sum-not-copied');
  assert.equal(finding.line, 3);
  assert.match(finding.message, /still missing when go build runs \(line 6\)/);
  assert.equal(
    applyFix(text, finding),
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY *.go ./\nRUN go build -o /app .\n',
  );
  const fileDest =
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY --link go.mod go.mod\nRUN go mod download && go build -o /app .\n';
  writeFileSync(join(dir, 'Dockerfile'), fileDest);
  const second = only(await audit(dir), 'go-sum-not-copied');
  assert.equal(second.length, 1);
  assert.equal(
    applyFix(fileDest, second[0]!),
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY --link go.mod go.mod\nCOPY --link go.sum go.sum\nRUN go mod download && go build -o /app .\n',
  );
});

test('a build whose context does not hold the module (source from git clone) gets no module-download advice', async () => {
  const dir = project({
    ...SERVICE,
    'docker/Dockerfile':
      'FROM golang:1.25 AS build\nRUN git clone https://example.com/svc.git /src\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o /app ./cmd/app\nFROM alpine:3.22\nCOPY --from=build /app /app\nCMD ["/app"]\n',
  });
  const options = { now: NOW, dockerfile: join(dir, 'docker/Dockerfile'), context: join(dir, 'docker') };
  assert.deepEqual(only((await auditDirectory(dir, options)).findings, 'no-module-download-step'), []);
  // The same build from the project's root, where go.mod is, is advised.
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/app\n',
  );
  assert.equal(only(await audit(dir, 'Dockerfile'), 'no-module-download-step').length, 1);
});

test('whole-tree-in-final: a directory the build stage filled with sources, copied whole', async () => {
  const dir = project({
    ...SERVICE,
    '.dockerignore': '.git\n',
    Dockerfile: `FROM golang:1.25 AS build
WORKDIR /app
COPY go.mod go.sum ./
COPY cmd ./cmd
COPY internal ./internal
RUN CGO_ENABLED=0 go build -o bin/app ./cmd/app
FROM alpine:3.22
COPY --from=build /app /app
`,
  });
  const finding = theOnly(await audit(dir), 'whole-tree-in-final');
  assert.equal(finding.line, 8);
  assert.equal(
    finding.message,
    'the final stage copies the whole source tree /app from build; copy only the binary (and its data files)',
  );
});

test('gaps never advise excluding what the build reads: .git for git, test data for go test', async () => {
  const big = 'x'.repeat(6000);
  const files = {
    ...SERVICE,
    '.git/objects/pack/p.pack': big,
    'internal/store/testdata/golden.json': big,
    'internal/store/testdata/cert.pem': big,
    '.dockerignore': 'bin\n',
  };
  const plain = project({ ...files, Dockerfile: BUILD });
  const advised = only(await audit(plain), 'dockerignore-gaps')
    .map((f) => f.message)
    .join('\n');
  assert.match(advised, /`\.git`/);
  assert.match(advised, /`\*\*\/testdata`/);
  const reading = project({
    ...files,
    Dockerfile: `FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN go test ./...
RUN CGO_ENABLED=0 go build -ldflags "-X main.v=$(git describe --always)" -o /app ./cmd/app
`,
  });
  const gaps = only(await audit(reading), 'dockerignore-gaps').map((f) => f.message);
  assert.ok(
    !gaps.some((m) => m.includes('`.git') || m.includes('testdata') || m.includes('*.pem')),
    gaps.join('\n'),
  );
});

test('gaps never advise excluding what a later stage copies out of the source copy (a key the image ships)', async () => {
  const files = { ...SERVICE, 'keys/dev.pem': 'x'.repeat(1500), '.dockerignore': 'bin\n' };
  const build = (runtime: string) => `FROM golang:1.25 AS build
COPY . /service
WORKDIR /service
RUN CGO_ENABLED=0 go build -o /app ./cmd/app
FROM alpine:3.22
${runtime}COPY --from=build /app /app
`;
  const pem = async (runtime: string) =>
    only(await audit(project({ ...files, Dockerfile: build(runtime) })), 'dockerignore-gaps').filter((f) =>
      f.message.includes('*.pem'),
    ).length;
  assert.equal(await pem(''), 1);
  assert.equal(await pem('COPY --from=build /service/keys/. /service/keys/.\n'), 0);
});

test('a stated subdirectory context with Go code of its own still finds the module go.mod missing from it', async () => {
  const dir = project({
    'go.mod': 'module example.com/svc\n\ngo 1.22\n',
    'main.go': 'package main\n\nfunc main() {}\n',
    'build/gen/main.go': 'package main\n\nfunc main() {}\n',
    'build/entrypoint.sh': '#!/bin/sh\ngo build ./...\n',
    'build/Dockerfile':
      'FROM golang:1.25\nCOPY go.mod /tmp/mod/go.mod\nRUN cd /tmp/mod && go mod download\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
  });
  const found = only(
    (
      await auditDirectory(dir, {
        dockerfile: join(dir, 'build/Dockerfile'),
        context: join(dir, 'build'),
        now: NOW,
      })
    ).findings,
    'copy-source-missing',
  );
  assert.deepEqual(
    found.map((f) => [f.line, f.severity]),
    [[2, 'error']],
  );
});

test('a bind mount that only go build reads does not keep its test data; one a script reads does', async () => {
  const files = {
    ...SERVICE,
    'internal/store/testdata/golden.json': 'x'.repeat(6000),
    'scripts/build.sh': '#!/bin/sh\ngo build ./cmd/app\n',
    '.dockerignore': 'bin\n',
  };
  const mounts =
    '--mount=type=bind,source=go.mod,target=go.mod --mount=type=bind,source=go.sum,target=go.sum --mount=type=bind,source=cmd,target=cmd --mount=type=bind,source=internal,target=internal';
  const gapsOf = async (run: string): Promise<string> =>
    only(
      await audit(
        project({ ...files, Dockerfile: `FROM golang:1.25 AS build\nWORKDIR /src\nRUN ${mounts} ${run}\n` }),
      ),
      'dockerignore-gaps',
    )
      .map((f) => f.message)
      .join('\n');
  assert.match(await gapsOf('CGO_ENABLED=0 go build -o /app ./cmd/app'), /internal\/store\/testdata/);
  assert.doesNotMatch(
    await gapsOf('--mount=type=bind,source=scripts,target=scripts sh scripts/build.sh'),
    /testdata/,
  );
});

test('the generated .dockerignore keeps .git when the build runs git, and test data when it runs go test', async () => {
  const files = {
    ...SERVICE,
    '.git/HEAD': 'ref: refs/heads/main\n',
    'internal/store/testdata/a.json': '{}\n',
    'internal/store/server.pem': 'test key\n',
  };
  const plain = project({ ...files, Dockerfile: BUILD });
  const fix = only(await audit(plain), 'missing-dockerignore')[0]!.fix!.edits[0]!;
  assert.equal(fix.kind, 'create');
  assert.match((fix as { text: string }).text, /^\.git$/m);
  assert.match((fix as { text: string }).text, /^\*\*\/testdata$/m);
  assert.match((fix as { text: string }).text, /^\*\*\/\*\.pem$/m);
  // A secret (what a .dockerignore still leaves out), so that the advice stands.
  const reading = project({
    ...files,
    '.env': 'TOKEN=secret\n',
    Dockerfile: `FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN go test ./...
RUN CGO_ENABLED=0 go build -ldflags "-X main.v=$(git describe --always)" -o /app ./cmd/app
`,
  });
  const text = (only(await audit(reading), 'missing-dockerignore')[0]!.fix!.edits[0]! as { text: string })
    .text;
  assert.doesNotMatch(text, /^\.git$/m);
  assert.doesNotMatch(text, /^\*\*\/testdata$/m);
  assert.doesNotMatch(text, /^\*\*\/\*\.pem$/m);
});

test('a build through make may read anything it copied: the generated .dockerignore keeps .git and bin/', async () => {
  const dir = project({
    ...SERVICE,
    '.git/HEAD': 'ref: refs/heads/main\n',
    'bin/protoc-gen': 'tool\n',
    '.idea/workspace.xml': '<x/>\n',
    Makefile: 'build:\n\tgo build -ldflags "-X main.v=$(shell git describe)" -o /app ./cmd/app\n',
    Dockerfile: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n',
  });
  const text = (only(await audit(dir), 'missing-dockerignore')[0]!.fix!.edits[0]! as { text: string }).text;
  assert.doesNotMatch(text, /^\.git$/m);
  assert.doesNotMatch(text, /^bin$/m);
  assert.match(text, /^\.idea$/m);
  // Where no git is installed (golang's alpine image), make cannot read .git: it may go.
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM golang:1.25-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n',
  );
  const alpine = (only(await audit(dir), 'missing-dockerignore')[0]!.fix!.edits[0]! as { text: string }).text;
  assert.match(alpine, /^\.git$/m);
  assert.doesNotMatch(alpine, /^bin$/m);
  // An image goimg does not know may hold git.
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM example.com/cross-builder:1 AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n',
  );
  const other = (only(await audit(dir), 'missing-dockerignore')[0]!.fix!.edits[0]! as { text: string }).text;
  assert.doesNotMatch(other, /^\.git$/m);
  // git installed through a variable's list, run earlier, or possibly by a script: .git stays.
  for (const installs of [
    'ENV PACKAGES="make git"\nRUN apk add --no-cache $PACKAGES',
    'RUN git clone https://example.com/tools.git /tools',
    'COPY scripts/deps.sh /tmp/\nRUN /tmp/deps.sh',
  ]) {
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM golang:1.25-alpine AS build\n${installs}\nWORKDIR /src\nCOPY . .\nRUN make build\n`,
    );
    const fix = only(await audit(dir), 'missing-dockerignore')[0]!.fix!.edits[0]! as { text: string };
    assert.doesNotMatch(fix.text, /^\.git$/m, installs);
  }
});

test('odd Dockerfiles never end the audit: a stage copying from itself, a malformed glob', async () => {
  const dir = project({
    ...SERVICE,
    '.dockerignore': 'internal\n',
    Dockerfile: `FROM golang:1.25 AS build
WORKDIR /src
COPY [z-a]* ./
COPY --from=build /src /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app ./cmd/app
`,
  });
  const finding = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.equal(finding.line, 1);
});

test('a COPY source excluded in a stage the default build never runs is not reported; in the built stages it is', async () => {
  const dir = project({
    ...SERVICE,
    'fixtures/db.sql': 'select 1;\n',
    '.dockerignore': 'fixtures\n',
    Dockerfile: `FROM golang:1.25 AS test
COPY fixtures /fixtures
FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app ./cmd/app
FROM scratch
COPY --from=build /app /app
`,
  });
  assert.deepEqual(only(await audit(dir), 'dockerignore-excludes-needed'), []);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.22\nCOPY fixtures /fixtures\n');
  const finding = theOnly(await audit(dir), 'dockerignore-excludes-needed');
  assert.equal(finding.line, 2);
  assert.equal(
    finding.message,
    '.dockerignore excludes fixtures, which this COPY needs: the build fails or uses a stale file',
  );
});

test('a GitHub Actions container action runs as root, as GitHub requires: no runs-as-root', async () => {
  const dockerfile =
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/app\nFROM alpine:3.22\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n';
  const plain = project({ ...SERVICE, Dockerfile: dockerfile });
  assert.equal(only(await audit(plain), 'runs-as-root').length, 1);
  const action = project({
    ...SERVICE,
    Dockerfile: dockerfile,
    'action.yml': "name: token\nruns:\n  using: 'docker'\n  image: 'Dockerfile'\n",
  });
  assert.deepEqual(only(await audit(action), 'runs-as-root'), []);
  // A JavaScript action beside a Dockerfile does not run it.
  const js = project({
    ...SERVICE,
    Dockerfile: dockerfile,
    'action.yml': 'name: token\nruns:\n  using: node20\n  main: dist/index.js\n',
  });
  assert.equal(only(await audit(js), 'runs-as-root').length, 1);
});

test('a module the Dockerfile copies from a subdirectory of the context is the project it judges', async () => {
  const dir = project({
    'api/go.mod': 'module example.com/api\n\ngo 1.22\n',
    'api/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("https://example.com") }\n',
    'ui/index.html': '<p>ui</p>\n',
    Dockerfile:
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY api/go.mod ./\nRUN go mod download\nCOPY api/ ./\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n',
  });
  // The program's TLS call is known only from the module in api/.
  const finding = theOnly(await audit(dir), 'missing-ca-certificates');
  assert.match(finding.message, /http\.Get at main\.go:5/);
});

test('a module folder the Dockerfile copies whole is the project it judges, and a source copy', async () => {
  const dir = project({
    'api/go.mod': 'module example.com/api\n\ngo 1.22\n',
    'api/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("https://example.com") }\n',
    Dockerfile:
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY api ./api\nWORKDIR /src/api\nRUN go mod download\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n',
  });
  const findings = await audit(dir);
  assert.match(theOnly(findings, 'missing-ca-certificates').message, /http\.Get at main\.go:5/);
  assert.match(
    theOnly(findings, 'source-before-deps').message,
    /copied \(line 3\) before go mod download \(line 5\)/,
  );
});

test('a program that reads the commit go build stamps keeps .git in the generated .dockerignore where git is there', async () => {
  const files = {
    ...SERVICE,
    '.git/HEAD': 'ref: refs/heads/main\n',
    'cmd/app/version.go':
      'package main\n\nimport "runtime/debug"\n\nfunc commit() string {\n\tinfo, _ := debug.ReadBuildInfo()\n\tfor _, s := range info.Settings {\n\t\tif s.Key == "vcs.revision" {\n\t\t\treturn s.Value\n\t\t}\n\t}\n\treturn ""\n}\n',
  };
  const generated = async (dockerfile: string) =>
    (
      only(await audit(project({ ...files, Dockerfile: dockerfile })), 'missing-dockerignore')[0]!.fix!
        .edits[0]! as { text: string }
    ).text;
  // golang on Debian has git: go build stamps the commit.
  assert.doesNotMatch(await generated(BUILD), /^\.git$/m);
  // No git in golang's alpine image, or stamping turned off: nothing reads .git.
  assert.match(await generated(BUILD.replace('golang:1.25', 'golang:1.25-alpine')), /^\.git$/m);
  assert.match(await generated(BUILD.replace('go build', 'go build -buildvcs=false')), /^\.git$/m);
  // Build info handed whole to a version helper (or its Main.Version, which Go 1.24 sets from the
  // commit) may carry the stamp too.
  const helper = {
    ...files,
    'cmd/app/version.go':
      'package main\n\nimport (\n\t"runtime/debug"\n\n\t"example.com/versions"\n)\n\nfunc version() string {\n\tinfo, _ := debug.ReadBuildInfo()\n\treturn versions.WithFallbacks(info)\n}\n',
  };
  const helped = (
    only(await audit(project({ ...helper, Dockerfile: BUILD })), 'missing-dockerignore')[0]!.fix!
      .edits[0]! as {
      text: string;
    }
  ).text;
  assert.doesNotMatch(helped, /^\.git$/m);
});

test('a build that needs git to see an unmodified tree keeps every tracked file in the generated .dockerignore', async (t) => {
  if (!need(t, hasTool('git'), 'git')) return;
  const dir = project({
    ...SERVICE,
    'cmd/app/version.go':
      'package main\n\nimport "runtime/debug"\n\nfunc dirty() bool {\n\tinfo, _ := debug.ReadBuildInfo()\n\tfor _, s := range info.Settings {\n\t\tif s.Key == "vcs.modified" {\n\t\t\treturn s.Value == "true"\n\t\t}\n\t}\n\treturn false\n}\n',
    '.gitignore': 'bin/\n',
    '.github/workflows/ci.yml': 'on: push\n',
    Dockerfile: BUILD,
  });
  const repo = new ScratchRepo(dir);
  repo.commit('project');
  repo.write('bin/app', 'an untracked build output\n');
  const generated = async () =>
    (only(await audit(dir), 'missing-dockerignore')[0]!.fix!.edits[0]! as { text: string }).text;
  // Tracked files git would see deleted are not excluded; the untracked output still is.
  const withVcs = await generated();
  assert.doesNotMatch(withVcs, /^\.git$/m);
  assert.doesNotMatch(withVcs, /^\.github$/m);
  assert.doesNotMatch(withVcs, /^\*\*\/\.gitignore$/m);
  assert.match(withVcs, /^bin$/m);
  // `git describe --dirty` in the build needs the same.
  repo.write(
    'Dockerfile',
    BUILD.replace('go build', 'go build -ldflags "-X main.v=$(git describe --always --dirty)"'),
  );
  repo.write('cmd/app/version.go', 'package main\n');
  assert.doesNotMatch(await generated(), /^\.github$/m);
  // Only the commit (no --dirty, no vcs.modified): tracked files may go.
  repo.write(
    'Dockerfile',
    BUILD.replace('go build', 'go build -ldflags "-X main.v=$(git describe --always)"'),
  );
  assert.match(await generated(), /^\.github$/m);
  // A command goimg cannot follow (make) may stamp the version with `git describe --dirty`: the same.
  repo.write('Makefile', 'build:\n\tgo build -o /app ./cmd/app\n');
  repo.write('Dockerfile', 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n');
  assert.doesNotMatch(await generated(), /^\.github$/m);
  // Without the untracked output nothing can be left out: an info that the file guards what comes later.
  rmSync(join(dir, 'bin'), { recursive: true });
  const [finding] = only(await audit(dir), 'missing-dockerignore');
  assert.equal(finding?.severity, 'info');
  assert.match(finding!.message, /nothing in it now can be left out without changing what the build reads/);
});

test('any git subcommand that works in a repository reads .git; clone, init and global config do not', async () => {
  const files = { ...SERVICE, '.git/HEAD': 'ref: refs/heads/main\n', '.dockerignore': '.git\n' };
  const run = async (cmd: string) =>
    only(
      await audit(
        project({ ...files, Dockerfile: `FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN ${cmd}\n` }),
      ),
      'dockerignore-excludes-needed',
    ).length;
  assert.equal(await run('git update-index --refresh; go build -o /app ./cmd/app'), 1);
  assert.equal(await run('git -C /src submodule update --init && go build -o /app ./cmd/app'), 1);
  assert.equal(await run('git clone https://example.com/x.git /x && go build -o /app ./cmd/app'), 0);
  assert.equal(await run('git config --global url.x.insteadOf y && go build -o /app ./cmd/app'), 0);
});

/** A repository with a .dockerignore shared by a build that stamps the commit with git and a test image that does not. */
const SHARED_IGNORE = {
  ...SERVICE,
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.git/objects/pack/p.pack': 'x'.repeat(50_000),
  '.dockerignore': 'bin\n',
  'Dockerfile.test': 'FROM golang:1.25\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./cmd/app\n',
};
const STAMPING_BUILD =
  'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags "-X main.v=$(git rev-parse HEAD)" -o /app ./cmd/app\n';

/** The dockerignore-gaps messages of the test image, as one text. */
const testImageGaps = async (dir: string) =>
  only(await audit(dir, 'Dockerfile.test'), 'dockerignore-gaps')
    .map((f) => f.message)
    .join('\n');

test('a shared .dockerignore is judged for every Dockerfile beside it: no advice drops what another one reads', async () => {
  const dir = project({ ...SHARED_IGNORE, 'Dockerfile.release': STAMPING_BUILD });
  assert.doesNotMatch(await testImageGaps(dir), /\.git\b(?!ignore)/);
  // Its own ignore file is not shared: then only its own reads count.
  writeFileSync(join(dir, 'Dockerfile.test.dockerignore'), 'bin\n');
  assert.match(await testImageGaps(dir), /add `\.git/);
});

test('a Dockerfile elsewhere that the build files build with this context shares its .dockerignore', async () => {
  const dir = project({
    ...SHARED_IGNORE,
    // `make image` builds cmd/app/Dockerfile with the root as its context; it runs git.
    Makefile: 'image:\n\tdocker build -t app -f ./cmd/app/Dockerfile .\n',
    'cmd/app/Dockerfile': STAMPING_BUILD,
  });
  assert.doesNotMatch(await testImageGaps(dir), /\.git\b(?!ignore)/);
  // Built with another context, it shares nothing.
  writeFileSync(join(dir, 'Makefile'), 'image:\n\tdocker build -t app -f ./cmd/app/Dockerfile ./cmd/app\n');
  assert.match(await testImageGaps(dir), /add `\.git/);
});

test('a cgo program built outside the Dockerfile by build files that link statically needs no libc', async () => {
  const dir = project({
    'go.mod': 'module example.com/svc\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
    'go.sum': 'github.com/mattn/go-sqlite3 v1.14.22 h1:x=\n',
    'cmd/app/main.go':
      'package main\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/mattn/go-sqlite3"\n)\n\nfunc main() { _, _ = sql.Open("sqlite3", "x") }\n',
    Makefile: 'build:\n\tCGO_ENABLED=1 go build -o dist/app ./cmd/app\n',
    Dockerfile: 'FROM scratch\nCOPY dist/app /app\nENTRYPOINT ["/app"]\n',
  });
  assert.equal(only(await audit(dir), 'cgo-required-static-base')[0]?.severity, 'warning');
  writeFileSync(
    join(dir, 'Makefile'),
    'LDFLAGS := -s -w -extldflags "-static"\nbuild:\n\tCGO_ENABLED=1 go build -ldflags \'$(LDFLAGS)\' -o dist/app ./cmd/app\n',
  );
  assert.deepEqual(only(await audit(dir), 'cgo-required-static-base'), []);
});

test('make in a golang alpine builder whose tag the build passes: no git there, so .git is still a gap', async () => {
  const files = {
    ...SERVICE,
    Makefile: 'build:\n\tgo build -o /app ./cmd/app\n',
    '.git/objects/pack/p.pack': 'x'.repeat(6000),
    '.dockerignore': 'bin\n',
  };
  const gapsOf = async (from: string): Promise<string> => {
    const dir = project({
      ...files,
      Dockerfile: `ARG GO\nARG ALPINE\nFROM ${from} AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n`,
    });
    return only(await audit(dir), 'dockerignore-gaps')
      .map((f) => f.message)
      .join('\n');
  };
  assert.match(await gapsOf('golang:${GO}-alpine${ALPINE}'), /`\.git`/);
  // A Debian golang image has git: make may read the repository.
  assert.doesNotMatch(await gapsOf('golang:${GO}-bookworm'), /`\.git`/);
  // An image named by a variable may be anything.
  assert.doesNotMatch(await gapsOf('${GO}'), /`\.git`/);
});

test('a context inside the module sends no go.mod: the module facts say nothing about that build', async () => {
  const dir = project({
    ...SERVICE,
    'go.mod': 'module example.com/svc\n\ngo 1.30\n',
    'images/tool/main.go': 'package main\n\nfunc main() {}\n',
    'images/tool/Dockerfile':
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /tool .\nFROM scratch\nCOPY --from=build /tool /tool\nENTRYPOINT ["/tool"]\n',
  });
  const auditWith = async (context: string) =>
    (
      await auditDirectory(dir, {
        now: NOW,
        dockerfile: join(dir, 'images/tool/Dockerfile'),
        context: join(dir, context),
      })
    ).findings;
  assert.deepEqual(only(await auditWith('images/tool'), 'go-version-mismatch'), []);
  // A context without Go code gets its source elsewhere (a clone of this repository): the module counts.
  rmSync(join(dir, 'images/tool/main.go'));
  writeFileSync(
    join(dir, 'images/tool/Dockerfile'),
    'FROM golang:1.25 AS build\nRUN git clone https://example.com/svc.git /src\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o /tool ./cmd/app\nFROM scratch\nCOPY --from=build /tool /tool\nENTRYPOINT ["/tool"]\n',
  );
  assert.equal(only(await auditWith('images/tool'), 'go-version-mismatch').length, 1);
  // The whole module as the context: go.mod is sent, and Go 1.25 refuses it.
  assert.equal(only(await auditWith('.'), 'go-version-mismatch').length, 1);
});

test('a Dockerfile the build files build with the same context copies folders a release step writes first: the generated .dockerignore keeps them', async () => {
  const dir = project({
    ...SERVICE,
    Dockerfile: BUILD,
    // Built by the workflow from dist/, which the release step fills before the image build.
    '.Dockerfile':
      'FROM alpine:3.22\nARG TARGETARCH\nCOPY ./dist/app_linux_${TARGETARCH}* /app\nENTRYPOINT ["/app"]\n',
    '.github/workflows/release.yml':
      'jobs:\n  image:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: .Dockerfile\n',
  });
  const [finding] = only(await audit(dir, 'Dockerfile'), 'missing-dockerignore');
  const text = (finding!.fix!.edits[0]! as { text: string }).text;
  assert.doesNotMatch(text, /^dist$/m);
  assert.match(text, /^bin$/m);
});
