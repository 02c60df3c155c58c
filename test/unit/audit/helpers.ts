/** Hand-built inputs for audit unit tests: a Go project model and build context facts. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AuditFinding, auditDockerfile } from '../../../src/audit/engine.js';
import type { ProjectModel } from '../../../src/project/model.js';
import type { BuildContextInfo } from '../../../src/rules/audit/context.js';

/** An HTTP service (net/http: cgo evidence), one dependency, go.sum present. */
export function project(overrides: Partial<ProjectModel> = {}): ProjectModel {
  return {
    root: '/p',
    goMod: {
      file: 'go.mod',
      module: 'example.com/svc',
      go: '1.22',
      requires: [{ path: 'github.com/google/uuid', version: 'v1.6.0', indirect: false, line: 5 }],
      replaces: [],
      excludes: [],
      goLine: 3,
    },
    hasGoSum: true,
    vendored: false,
    mainPackages: ['.'],
    packages: [],
    cgoRequired: false,
    cgoEvidence: [{ kind: 'net', package: 'example.com/svc', file: 'main.go', line: 4, via: 'net/http' }],
    usesTls: false,
    loadsTimeZones: false,
    embedsTzdata: false,
    ports: [8080],
    localReplaceDirs: [],
    ...overrides,
  };
}

/** A context whose .dockerignore excludes exactly the listed paths (and what is under them). */
export function context(excluded: string[] | null = ['.git']): BuildContextInfo {
  if (excluded === null) return { isExcluded: () => false, prefix: '', size: { bytes: 123456, files: 42 } };
  return {
    dockerignore: { file: '.dockerignore', text: excluded.join('\n') },
    isExcluded: (p) => excluded.some((e) => p === e || p.startsWith(`${e}/`)),
    prefix: '',
  };
}

/** A context holding exactly `files` (and their directories), nothing excluded. */
export function contextWith(files: string[], excluded: string[] = []): BuildContextInfo {
  const dirs = new Set<string>(['']);
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const inventory = {
    files,
    dirs,
    excluded: new Set(excluded),
    isFile: (p: string) => files.includes(p),
    isDir: (p: string) => dirs.has(p),
    isExcluded: (p: string) => excluded.includes(p),
    culprit: () => undefined,
  };
  return { ...context(null), inventory };
}

/** A context (no .dockerignore) from which goimg read the entrypoint script at `path`. */
export function contextWithScript(path: string, text: string): BuildContextInfo {
  return { ...context(null), entrypointScripts: new Map([[path, text]]) };
}

export const NOW = new Date('2025-09-01T00:00:00Z');

export function audit(
  text: string,
  opts: { project?: ProjectModel | null; context?: BuildContextInfo } = {},
): AuditFinding[] {
  const input: Parameters<typeof auditDockerfile>[0] = {
    file: 'Dockerfile',
    text,
    context: opts.context ?? context(),
    now: NOW,
  };
  if (opts.project !== null) input.project = opts.project ?? project();
  return auditDockerfile(input);
}

export function rulesOf(findings: AuditFinding[]): string[] {
  return [...new Set(findings.map((f) => f.rule))].sort();
}

/** The docker docs Go guide style: cache mounts, bind mounts, distroless nonroot, CGO_ENABLED=0. */
export const GOOD_DOCS_GUIDE = `# syntax=docker/dockerfile:1
ARG GO_VERSION=1.25
FROM --platform=$BUILDPLATFORM golang:\${GO_VERSION} AS build
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod/ \\
    --mount=type=bind,source=go.sum,target=go.sum \\
    --mount=type=bind,source=go.mod,target=go.mod \\
    go mod download -x
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod/ \\
    --mount=type=cache,target=/root/.cache/go-build \\
    --mount=type=bind,target=. \\
    CGO_ENABLED=0 GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /bin/server .

FROM gcr.io/distroless/static-debian12:nonroot AS final
COPY --from=build /bin/server /bin/
EXPOSE 8000
ENTRYPOINT [ "/bin/server" ]
`;

/** Classic COPY order, cache mounts, alpine runtime with a non-root user. */
export const GOOD_ALPINE = `# syntax=docker/dockerfile:1
FROM golang:1.25-alpine AS builder
WORKDIR /app
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \\
    --mount=type=cache,target=/root/.cache/go-build \\
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ./

FROM alpine:3.22
RUN apk add --no-cache ca-certificates tzdata
COPY --from=builder /out/app /usr/local/bin/app
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/app"]
`;

/** The first article's Dockerfile, byte for byte, as examples/seed-article keeps it. */
export const SEED_ARTICLE = readFileSync(
  fileURLToPath(new URL('../../../../examples/seed-article/Dockerfile', import.meta.url)),
  'utf8',
);
