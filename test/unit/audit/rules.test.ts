import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProjectModel } from '../../../src/project/model.js';
import type { BuildContextInfo } from '../../../src/rules/audit/context.js';
import { AUDIT_RULES } from '../../../src/rules/audit/index.js';
import { RULES } from '../../../src/rules/catalog.js';
import { audit, context, GOOD_ALPINE, GOOD_DOCS_GUIDE, project, rulesOf, SEED_ARTICLE } from './helpers.js';

interface Case {
  name: string;
  text: string;
  project?: ProjectModel | null;
  context?: BuildContextInfo;
}

/** Each rule: Dockerfiles it must flag, and near-misses it must not. */
const CASES: Record<string, { flag: Case[]; pass: Case[] }> = {
  'single-stage': {
    flag: [
      {
        name: 'one golang stage',
        text: 'FROM golang:1.25\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nCMD ["/app"]',
      },
      {
        name: 'final stage from golang',
        text: 'FROM golang:1.25 AS b\nRUN go version\nFROM golang:1.25\nCOPY --from=b /x /x',
      },
    ],
    pass: [
      {
        name: 'builder + alpine',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
      },
    ],
  },
  'fat-runtime-base': {
    flag: [
      {
        name: 'ubuntu final',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nCOPY --from=b /app /app',
      },
    ],
    pass: [
      {
        name: 'debian slim',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
      },
      {
        name: 'ubuntu that installs packages',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nRUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*\nCOPY --from=b /app /app',
      },
    ],
  },
  'unpinned-base-image': {
    flag: [
      { name: 'alpine:latest', text: SEED_ARTICLE },
      {
        name: 'golang without tag',
        text: 'FROM golang AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
      },
    ],
    pass: [
      {
        name: 'pinned tags and a digest',
        text: 'FROM golang:1.25 AS b\nFROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nCOPY --from=b /app /app',
      },
      {
        name: 'stage reference and distroless',
        text: 'FROM golang:1.25 AS b\nFROM b AS c\nFROM gcr.io/distroless/static-debian12\nCOPY --from=c /app /app',
      },
    ],
  },
  'go-version-mismatch': {
    flag: [
      {
        name: 'golang:1.21 for go 1.22',
        text: 'FROM golang:1.21 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
      },
      {
        name: 'through an ARG',
        text: 'ARG GO_VERSION=1.21\nFROM golang:${GO_VERSION}-alpine AS b\nRUN CGO_ENABLED=0 go build -o /app .',
      },
    ],
    pass: [
      {
        name: 'golang:1.22 for go 1.22.3',
        text: 'FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, go: '1.22.3' } }),
      },
      { name: 'no go build in the golang stage', text: 'FROM golang:1.19 AS tools\nRUN echo hi' },
    ],
  },
  'go-version-unsupported': {
    flag: [
      {
        name: 'golang:1.20',
        text: 'FROM golang:1.20 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: null,
      },
    ],
    pass: [
      {
        name: 'golang:1.24',
        text: 'FROM golang:1.24 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: null,
      },
    ],
  },
  'source-before-deps': {
    flag: [
      {
        name: 'COPY . . before download',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN CGO_ENABLED=0 go build -o /app .',
      },
    ],
    pass: [{ name: 'article order', text: SEED_ARTICLE }],
  },
  'no-module-download-step': {
    flag: [
      {
        name: 'go build fetches',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .',
      },
    ],
    pass: [
      {
        name: 'vendored (default vendor mode)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ vendored: true }),
      },
      {
        name: '-mod=vendor',
        text: 'FROM golang:1.25 AS b\nCOPY . .\nRUN CGO_ENABLED=0 go build -mod=vendor -o /app .',
        project: project({ vendored: true, goMod: { ...project().goMod!, go: '1.13' } }),
      },
      {
        name: 'no dependencies',
        text: 'FROM golang:1.25 AS b\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, requires: [] } }),
      },
    ],
  },
  'go-sum-not-copied': {
    flag: [{ name: 'go.mod alone', text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod download' }],
    pass: [
      { name: 'both copied', text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download' },
      {
        name: 'no go.sum in the project',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod download',
        project: project({ hasGoSum: false }),
      },
      { name: 'glob', text: 'FROM golang:1.25 AS b\nCOPY go.mod go.* ./\nRUN go mod download' },
    ],
  },
  'local-replace-missing': {
    flag: [
      {
        name: 'replace dir not copied',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['lib'] }),
      },
      {
        name: 'outside the context',
        text: 'FROM golang:1.25 AS b\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['../shared'] }),
      },
    ],
    pass: [
      {
        name: 'replace dir copied first',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nCOPY lib/ lib/\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['lib'] }),
      },
    ],
  },
  'no-go-cache-mount': {
    flag: [
      { name: 'plain go build', text: SEED_ARTICLE },
      {
        name: 'docker init style: module cache only',
        text: 'FROM golang:1.25 AS b\nRUN --mount=type=cache,target=/go/pkg/mod CGO_ENABLED=0 go build -o /app .',
      },
    ],
    pass: [{ name: 'both caches', text: GOOD_ALPINE }],
  },
  'cache-mount-target-mismatch': {
    flag: [
      {
        name: 'GOCACHE moved',
        text: 'FROM golang:1.25 AS b\nENV GOCACHE=/cache/go\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .',
      },
      {
        name: 'non-root user',
        text: 'FROM golang:1.25 AS b\nUSER builder\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .',
      },
    ],
    pass: [
      {
        name: 'matching GOCACHE',
        text: 'FROM golang:1.25 AS b\nENV GOCACHE=/cache/go\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/cache/go CGO_ENABLED=0 go build -o /app .',
      },
      { name: 'default paths', text: GOOD_ALPINE },
    ],
  },
  'missing-syntax-directive': {
    flag: [
      {
        name: 'RUN --mount without directive',
        text: 'FROM golang:1.25\nRUN --mount=type=cache,target=/go/pkg/mod go mod download',
      },
    ],
    pass: [
      {
        name: 'directive present',
        text: '# syntax=docker/dockerfile:1\nFROM golang:1.25\nRUN --mount=type=cache,target=/go/pkg/mod go mod download',
      },
      { name: 'no BuildKit syntax', text: 'FROM golang:1.25\nRUN go mod download' },
    ],
  },
  'emulated-cross-build': {
    flag: [
      {
        name: 'TARGETARCH without BUILDPLATFORM',
        text: 'FROM golang:1.25 AS b\nARG TARGETARCH\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .',
      },
    ],
    pass: [
      { name: 'with BUILDPLATFORM', text: GOOD_DOCS_GUIDE },
      { name: 'single platform', text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .' },
    ],
  },
  'missing-dockerignore': {
    flag: [{ name: 'no ignore file', text: SEED_ARTICLE, context: context(null) }],
    pass: [{ name: 'ignore file present', text: SEED_ARTICLE }],
  },
  'dockerignore-gaps': {
    flag: [
      {
        name: 'gaps reported by the context',
        text: SEED_ARTICLE,
        context: {
          ...context(['bin']),
          gaps: [{ category: 'vcs', what: 'VCS data', pattern: '.git', bytes: 100_000, files: 1 }],
        },
      },
    ],
    pass: [
      { name: 'no gaps', text: SEED_ARTICLE, context: { ...context(['bin']), gaps: [] } },
      {
        name: 'a leak of a few bytes is not worth a finding',
        text: SEED_ARTICLE,
        context: {
          ...context(['bin']),
          gaps: [{ category: 'vcs', what: 'VCS data', pattern: '**/.gitignore', bytes: 700, files: 3 }],
        },
      },
    ],
  },
  'dockerignore-excludes-needed': {
    flag: [
      { name: 'go.sum ignored', text: SEED_ARTICLE, context: context(['go.sum']) },
      {
        name: 'replace target copied but ignored',
        text: 'FROM golang:1.25\nCOPY go.mod go.sum ./\nCOPY lib ./lib',
        context: context(['lib']),
        project: project({ localReplaceDirs: ['lib'] }),
      },
    ],
    pass: [
      { name: 'unrelated ignores', text: SEED_ARTICLE, context: context(['.git', 'bin']) },
      {
        name: 'no build reads the excluded replace target',
        text: 'FROM golang:1.25\nCOPY . .',
        context: context(['lib']),
        project: project({ localReplaceDirs: ['lib'] }),
      },
    ],
  },
  'cleanup-in-later-layer': {
    flag: [
      {
        name: 'apt lists removed later',
        text: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
      },
      { name: 'apk without --no-cache', text: 'FROM alpine:3.22\nRUN apk add ca-certificates' },
      {
        name: 'download removed later',
        text: 'FROM alpine:3.22\nRUN wget -O /tmp/tool.tgz https://example.com/t.tgz && tar -C /opt -xzf /tmp/tool.tgz\nRUN rm -f /tmp/tool.tgz',
      },
    ],
    pass: [
      {
        name: 'same-layer cleanup',
        text: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
      },
      { name: 'apk --no-cache', text: 'FROM alpine:3.22\nRUN apk add --no-cache ca-certificates' },
      {
        name: 'builder stage caches do not ship',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add git\nFROM scratch\nCOPY --from=b /etc/passwd /etc/passwd',
      },
    ],
  },
  'add-instead-of-copy': {
    flag: [{ name: 'ADD of local files', text: 'FROM alpine:3.22\nADD . /src' }],
    pass: [
      { name: 'ADD of a URL', text: 'FROM alpine:3.22\nADD https://example.com/x.bin /x.bin' },
      { name: 'ADD of an archive', text: 'FROM alpine:3.22\nADD rootfs.tar.gz /' },
    ],
  },
  'whole-tree-in-final': {
    flag: [
      {
        name: 'copies the workdir',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nFROM alpine:3.22\nCOPY --from=b /src /src',
      },
      { name: 'copies GOPATH', text: 'FROM golang:1.25 AS b\nFROM alpine:3.22\nCOPY --from=b /go /go' },
    ],
    pass: [
      {
        name: 'copies the binary',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nFROM alpine:3.22\nCOPY --from=b /src/app /app',
      },
    ],
  },
  'cgo-not-disabled': {
    flag: [
      {
        name: 'default cgo, glibc both sides',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
      },
    ],
    pass: [
      {
        name: 'CGO_ENABLED=0 via ENV',
        text: 'FROM golang:1.25 AS b\nENV CGO_ENABLED=0\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
      },
      {
        name: 'CGO_ENABLED=0 via ARG',
        text: 'FROM golang:1.25 AS b\nARG CGO_ENABLED=0\nRUN go build -o /app .',
      },
      {
        name: 'export in the same RUN',
        text: 'FROM golang:1.25 AS b\nRUN export CGO_ENABLED=0 && go build -o /app .',
      },
      { name: 'golang:alpine has no gcc', text: 'FROM golang:1.25-alpine AS b\nRUN go build -o /app .' },
      {
        name: 'project needs cgo',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /app .',
        project: project({ cgoRequired: true }),
      },
    ],
  },
  'libc-mismatch': {
    flag: [
      { name: 'the article: glibc builder, alpine runtime', text: SEED_ARTICLE },
      {
        name: 'explicit cgo to scratch',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
      },
      {
        name: 'musl builder to glibc runtime',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add --no-cache gcc musl-dev\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
      },
    ],
    pass: [
      {
        name: 'CGO_ENABLED=0 on the command',
        text: 'FROM golang:1.21 AS b\nRUN CGO_ENABLED=0 go build -o main .\nFROM alpine:3.22\nCOPY --from=b /main /main',
      },
      { name: 'no net or os/user', text: SEED_ARTICLE, project: project({ cgoEvidence: [] }) },
      {
        name: 'glibc runtime',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=b /app /app',
      },
    ],
  },
  'cgo-required-static-base': {
    flag: [
      {
        name: 'sqlite on distroless static',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=b /app /app',
        project: project({ cgoRequired: true }),
      },
    ],
    pass: [
      {
        name: 'sqlite on distroless base',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=b /app /app',
        project: project({ cgoRequired: true }),
      },
      {
        name: 'fully static link',
        text: 'FROM golang:1.25 AS b\nRUN go build -ldflags "-linkmode external -extldflags -static" -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        project: project({ cgoRequired: true }),
      },
    ],
  },
  'no-strip-flags': {
    flag: [{ name: 'no ldflags', text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .' }],
    pass: [
      {
        name: '-ldflags="-s -w"',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /app .',
      },
      {
        name: "-ldflags '-w -s -X main.v=1'",
        text: "FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -ldflags '-w -s -X main.v=1' -o /app .",
      },
    ],
  },
  'no-trimpath': {
    flag: [{ name: 'no -trimpath', text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .' }],
    pass: [
      { name: '-trimpath', text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -trimpath -o /app .' },
      {
        name: 'GOFLAGS=-trimpath',
        text: 'FROM golang:1.25 AS b\nENV GOFLAGS=-trimpath\nRUN CGO_ENABLED=0 go build -o /app .',
      },
    ],
  },
  'upx-packed': {
    flag: [
      {
        name: 'upx after build',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app . && upx --best /app',
      },
    ],
    pass: [{ name: 'upx only mentioned', text: 'FROM golang:1.25 AS b\nRUN echo "no upx here"' }],
  },
  'runs-as-root': {
    flag: [
      { name: 'no USER on alpine', text: 'FROM alpine:3.22\nCMD ["/app"]' },
      { name: 'USER root', text: 'FROM gcr.io/distroless/static-debian12:nonroot\nUSER root\nCMD ["/app"]' },
    ],
    pass: [
      { name: 'distroless nonroot', text: 'FROM gcr.io/distroless/static-debian12:nonroot\nCMD ["/app"]' },
      { name: 'USER 65532', text: 'FROM scratch\nUSER 65532:65532\nCMD ["/app"]' },
    ],
  },
  'shell-form-without-shell': {
    flag: [{ name: 'shell CMD on scratch', text: 'FROM scratch\nCMD /app --port 8080' }],
    pass: [
      { name: 'exec form on scratch', text: 'FROM scratch\nCMD ["/app"]' },
      { name: 'shell form on alpine', text: 'FROM alpine:3.22\nCMD /app --port 8080' },
      {
        name: 'distroless debug has a shell',
        text: 'FROM gcr.io/distroless/static-debian12:debug\nCMD /app',
      },
    ],
  },
  'missing-ca-certificates': {
    flag: [
      { name: 'TLS on scratch', text: 'FROM scratch\nCOPY app /app', project: project({ usesTls: true }) },
    ],
    pass: [
      {
        name: 'bundle copied',
        text: 'FROM golang:1.25 AS b\nFROM scratch\nCOPY --from=b /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY app /app',
        project: project({ usesTls: true }),
      },
      { name: 'no TLS', text: 'FROM scratch\nCOPY app /app' },
      {
        name: 'distroless has a bundle',
        text: 'FROM gcr.io/distroless/static-debian12\nCOPY app /app',
        project: project({ usesTls: true }),
      },
    ],
  },
  'missing-tzdata': {
    flag: [
      {
        name: 'LoadLocation on alpine',
        text: 'FROM alpine:3.22\nCOPY app /app',
        project: project({ loadsTimeZones: true }),
      },
    ],
    pass: [
      {
        name: 'time/tzdata embedded',
        text: 'FROM alpine:3.22\nCOPY app /app',
        project: project({ loadsTimeZones: true, embedsTzdata: true }),
      },
      {
        name: 'apk add tzdata',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache tzdata\nCOPY app /app',
        project: project({ loadsTimeZones: true }),
      },
      {
        name: '-tags timetzdata',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -tags timetzdata -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        project: project({ loadsTimeZones: true }),
      },
    ],
  },
  'secrets-in-build-args': {
    flag: [
      { name: 'ARG GITHUB_TOKEN', text: 'FROM golang:1.25\nARG GITHUB_TOKEN\nRUN go mod download' },
      { name: 'COPY .netrc', text: 'FROM golang:1.25\nCOPY .netrc /root/.netrc' },
    ],
    pass: [
      {
        name: 'GOPRIVATE and token file path',
        text: 'FROM golang:1.25\nENV GOPRIVATE=github.com/acme/*\nARG NPM_TOKEN_FILE=/run/secrets/t',
      },
    ],
  },
  'go-insecure': {
    flag: [
      { name: 'GOSUMDB=off', text: 'FROM golang:1.25\nENV GOSUMDB=off' },
      { name: 'GOINSECURE on the command', text: 'FROM golang:1.25\nRUN GOINSECURE=* go mod download' },
      { name: 'go env -w GONOSUMDB', text: 'FROM golang:1.25\nRUN go env -w GONOSUMDB=example.com' },
      {
        name: 'export GOFLAGS=-insecure',
        text: 'FROM golang:1.25\nRUN export GOFLAGS=-insecure && go build',
      },
    ],
    pass: [
      {
        name: 'GOPRIVATE and GOSUMDB default',
        text: 'FROM golang:1.25\nENV GOPRIVATE=github.com/acme/* GOSUMDB=sum.golang.org',
      },
    ],
  },
  'base-image-eol': {
    flag: [
      { name: 'alpine 3.16', text: 'FROM alpine:3.16' },
      { name: 'golang on buster', text: 'FROM golang:1.25-buster' },
    ],
    pass: [{ name: 'alpine 3.22 and bookworm', text: 'FROM golang:1.25-bookworm AS b\nFROM alpine:3.22' }],
  },
};

describe('audit rules flag what they must and not their near-misses', () => {
  for (const [rule, { flag, pass }] of Object.entries(CASES)) {
    for (const c of flag) {
      test(`${rule} flags: ${c.name}`, () => {
        const found = audit(c.text, c);
        assert.ok(
          found.some((f) => f.rule === rule),
          `expected ${rule}; got ${JSON.stringify(
            found.map((f) => [f.rule, f.message]),
            null,
            1,
          )}`,
        );
      });
    }
    for (const c of pass) {
      test(`${rule} passes: ${c.name}`, () => {
        const found = audit(c.text, c).filter((f) => f.rule === rule);
        assert.deepEqual(found, [], `unexpected ${rule}: ${found.map((f) => f.message).join('; ')}`);
      });
    }
  }
});

test('every source rule of the catalog has a check module and test cases', () => {
  const source = RULES.filter((r) => r.scope !== 'image' && r.id !== 'parse-error')
    .map((r) => r.id)
    .sort();
  assert.deepEqual(AUDIT_RULES.map((r) => r.id).sort(), source);
  for (const id of source) {
    assert.ok(
      CASES[id] && CASES[id].flag.length > 0 && CASES[id].pass.length > 0,
      `${id} needs flag and pass cases`,
    );
  }
  for (const r of AUDIT_RULES) {
    assert.ok(r.examples.bad && r.examples.good, `${r.id} examples`);
    const meta = RULES.find((m) => m.id === r.id)!;
    if (meta.fixable) assert.ok(r.fixDescription, `${r.id} is fixable and needs fixDescription`);
  }
});

test('good Dockerfiles (docs guide, alpine nonroot) produce no warning or error', () => {
  for (const text of [GOOD_DOCS_GUIDE, GOOD_ALPINE]) {
    const bad = audit(text).filter((f) => f.severity !== 'info');
    assert.deepEqual(bad, []);
    assert.deepEqual(rulesOf(audit(text)), []);
  }
});

test("the article's Dockerfile produces libc-mismatch at the go build", () => {
  const found = audit(SEED_ARTICLE, { project: project({ goMod: { ...project().goMod!, go: '1.21' } }) });
  const libc = found.find((f) => f.rule === 'libc-mismatch');
  assert.ok(libc);
  assert.equal(libc.severity, 'error');
  assert.equal(libc.line, 7);
  assert.match(libc.message, /net\/http/);
  assert.match(libc.message, /no such file or directory/);
  assert.ok(libc.fixable);
  // The stronger finding replaces cgo-not-disabled for the same build.
  assert.ok(!found.some((f) => f.rule === 'cgo-not-disabled'));
});
