/** The audit rules' test table: Dockerfiles each rule must flag (with where, what it says and, for fixable rules, the fixed text) and near-misses it must not. */
import type { ProjectModel } from '../../../src/project/model.js';
import type { BuildContextInfo } from '../../../src/rules/audit/context.js';
import {
  context,
  contextWith,
  contextWithScript,
  GOOD_ALPINE,
  GOOD_DOCS_GUIDE,
  project,
  SEED_ARTICLE,
} from './helpers.js';

export interface Case {
  name: string;
  text: string;
  project?: ProjectModel | null;
  context?: BuildContextInfo;
}

/** What one finding must say: its range, its message and, when the rule offers a fix, the fixed Dockerfile. */
export interface Expected {
  /** `line:column-endLine:endColumn`, 1-based, the end exclusive. */
  at: string;
  message: RegExp;
  /** The severity, when the case lowers it from the rule's default. */
  severity?: 'info' | 'warning';
  /** The Dockerfile (or `script`) after the finding's fix alone; required exactly when the finding has a fix. */
  output?: string;
  /** The entrypoint script of the case's context the fix edits, instead of the Dockerfile. */
  script?: string;
}

/** A Dockerfile a rule must flag, with every finding of that rule it produces, in order. */
export interface FlagCase extends Case {
  expect: Expected | Expected[];
}

/** 100 kB of test data leaking under tests/: sent only by a build that copies tests/. */
const TESTDATA_GAP = {
  category: 'test-data',
  what: 'test-data files (tests/testdata)',
  pattern: '**/testdata',
  bytes: 100_000,
  files: 3,
  examples: ['tests/testdata'],
};

/** A cgo build on golang:1.25 (Debian 13) shipped on Debian 12. */
const SQLITE_ON_TRIXIE =
  'FROM golang:1.25 AS b\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app';
const SQLITE_MODULE = {
  kind: 'cgo-module' as const,
  package: 'example.com/svc',
  file: 'go.mod',
  line: 5,
  via: 'github.com/mattn/go-sqlite3',
};

/** The main package of a program named svc, as the project scan reports it. */
const SVC_MAIN = {
  dir: 'cmd/svc',
  importPath: 'example.com/svc/cmd/svc',
  name: 'main',
  files: ['main.go'],
  imports: [],
  embeds: [],
};

/** A file of the main package that imports an embedded database. */
const DB_FILE = {
  name: 'main.go',
  defaultBuild: true,
  imports: ['modernc.org/sqlite'],
  cgo: [],
  tls: [],
  tlsConfigOnly: [],
  tlsServer: false,
  tz: [],
  tzdata: false,
};

/** A module example.com/svc whose main package is its root. */
const ROOT_MAIN_PROJECT = project({ packages: [{ ...SVC_MAIN, dir: '.', importPath: 'example.com/svc' }] });

/** A module whose main package is its root, with a package server beside it. */
const VERSIONED_PROJECT = project({
  packages: [
    { ...SVC_MAIN, dir: '.', importPath: 'example.com/svc' },
    { ...SVC_MAIN, dir: 'server', importPath: 'example.com/svc/server', name: 'server' },
  ],
});

/** Each rule: Dockerfiles it must flag, and near-misses it must not. */
export const CASES: Record<string, { flag: FlagCase[]; pass: Case[] }> = {
  'single-stage': {
    flag: [
      {
        name: 'one golang stage',
        text: 'FROM golang:1.25\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nCMD ["/app"]',
        expect: { at: '1:1-1:17', message: /final stage runs go build.*whole toolchain/ },
      },
      {
        name: 'a toolchain image that only holds the source and its modules and starts nothing',
        text: 'FROM golang:1.25-alpine AS builder\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .',
        expect: {
          at: '1:1-1:35',
          message: /final stage starts from the Go toolchain image golang:1\.25-alpine/,
        },
      },
      {
        name: 'final stage from golang shipping the program a builder stage compiled',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /x .\nFROM golang:1.25\nCOPY --from=b /x /x',
        expect: { at: '3:1-3:17', message: /final stage starts from the Go toolchain image golang:1\.25/ },
      },
      {
        name: 'the runtime reuses the toolchain stage the builder starts from',
        text: 'FROM golang:1.25-alpine AS base\nFROM base AS build\nRUN go build -o /app .\nFROM base\nCOPY --from=build /app /app\nCMD ["/app"]',
        expect: { at: '4:1-4:10', message: /final stage starts from the Go toolchain image base/ },
      },
      {
        name: 'Go from the distro, removed by the RUN that compiles: its caches stay',
        text: 'FROM alpine:3.22\nCOPY . /src\nRUN apk add --virtual .build-deps go git && cd /src && go build -o /usr/bin/app . && apk del --purge .build-deps\nENTRYPOINT ["/usr/bin/app"]',
        expect: {
          at: '1:1-1:17',
          message:
            /^the final stage compiles in a RUN that removes its toolchain again, but the module cache, build cache and sources the build wrote stay in the layer/,
        },
      },
    ],
    pass: [
      {
        name: 'a toolchain image that builds through a script and starts nothing (a builder others copy from)',
        text: 'ARG BASE_IMAGE=golang:1.25-trixie\nFROM $BASE_IMAGE AS server\nWORKDIR /src\nCOPY . .\nRUN ./build',
      },
      {
        name: 'a toolchain image that installs tools at versions and starts nothing (a CI image)',
        text: 'FROM golang:1.26-trixie\nRUN go install golang.org/x/tools/cmd/goimports@v0.33.0\nRUN apt-get update && apt-get install -y unzip',
        project: ROOT_MAIN_PROJECT,
      },
      {
        name: 'Go from the distro, removed with the caches by the RUN that compiles',
        text: 'FROM alpine:3.22\nCOPY . /src\nRUN apk add go && cd /src && go build -o /usr/bin/app . && apk del go && rm -rf /root/.cache /root/go /src\nENTRYPOINT ["/usr/bin/app"]',
      },
      {
        name: 'a test runner whose CMD script runs go test',
        text: 'FROM golang:1.25\nCOPY . /src\nWORKDIR /src\nCMD ["script/test", "-short"]',
        context: contextWithScript('script/test', '#!/bin/bash\nset -e\nscript/build\ngo test "$@" ./...\n'),
      },
      {
        name: 'builder + alpine',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
      },
      {
        name: 'a tool that runs go itself, built elsewhere and copied into the toolchain image',
        text: 'FROM golang:1.25 AS tools\nCOPY hack/build-gen.sh /b.sh\nRUN /b.sh\nFROM golang:1.25\nCOPY --from=tools /bin/gen /bin/gen\nENTRYPOINT ["/bin/gen"]',
        project: project({ mainPackages: ['cmd/svc'], packages: [SVC_MAIN] }),
      },
      {
        name: 'a compile check whose binaries are thrown away',
        text: 'FROM golang:1.25 AS xcompile\nCOPY . .\nRUN GOOS=windows go build -o /dev/null ./...',
      },
      {
        name: 'a test runner whose entry point is go test',
        text: 'FROM golang:1.25 AS test\nCOPY . .\nENTRYPOINT go test -race ./...',
      },
      {
        name: 'a build environment: build tools added to the toolchain, nothing compiled',
        text: 'FROM golang:1.25-alpine\nRUN apk add --no-cache git make build-base\nCOPY tool.apk /tmp/\nRUN apk add --allow-untrusted /tmp/tool.apk\nENTRYPOINT ["tool"]',
      },
    ],
  },
  'fat-runtime-base': {
    flag: [
      {
        name: 'ubuntu final',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nCOPY --from=b /app /app',
        expect: { at: '3:1-3:18', message: /ubuntu:24\.04, a full OS image/ },
      },
      {
        name: 'cgo left on by a Debian builder with gcc: the program links glibc, so no static base is offered',
        text: 'FROM golang:1.25 AS b\nCOPY main.go .\nRUN go build -o /app main.go\nFROM ubuntu:24.04\nCOPY --from=b /app /app\nCMD ["/app"]',
        expect: {
          at: '4:1-4:18',
          message:
            /a full OS image; a Go binary needs none of it: use gcr\.io\/distroless\/base-debian12 or debian:bookworm-slim$/,
        },
      },
      {
        name: 'a prebuilt program on ubuntu that adds only the CA bundle: glibc bases, as its linking is unknown',
        text: 'FROM ubuntu:22.04\nRUN apt update && apt install -y ca-certificates\nCOPY app /app\nCMD ["/app"]',
        expect: {
          at: '1:1-1:18',
          message: /use gcr\.io\/distroless\/base-debian12 or debian:bookworm-slim$/,
        },
      },
      {
        name: 'the same, linked statically by the build files: distroless static, which has the CA bundle',
        text: 'FROM ubuntu:22.04\nRUN apt update && apt install -y ca-certificates\nCOPY app /app\nCMD ["/app"]',
        context: { ...context(), staticLink: true },
        expect: {
          at: '1:1-1:18',
          message: /use gcr\.io\/distroless\/static-debian12, which has the CA bundle and zoneinfo$/,
        },
      },
    ],
    pass: [
      {
        name: 'debian slim',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
      },
      {
        name: 'ubuntu that adds a tool besides the CA bundle',
        text: 'FROM ubuntu:22.04\nRUN apt update && apt install -y ca-certificates curl\nCOPY app /app\nCMD ["/app"]',
      },
      {
        name: 'ubuntu that installs packages',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nRUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*\nCOPY --from=b /app /app',
      },
    ],
  },
  'unpinned-base-image': {
    flag: [
      {
        name: 'a runtime image tagged with a variant only (node:alpine)',
        text: 'FROM node:alpine AS web\nRUN npm ci',
        expect: {
          at: '1:6-1:17',
          message:
            /^node:alpine floats: the node release \(the tag names only a variant, so each new node release replaces it\)/,
        },
      },
      {
        name: 'alpine:latest',
        text: SEED_ARTICLE,
        expect: {
          at: '10:6-10:19',
          message: /alpine:latest floats.*e\.g\. alpine:3\.24/,
          output: SEED_ARTICLE.replace('FROM alpine:latest', 'FROM alpine:3.24'),
        },
      },
      {
        name: 'golang without tag',
        text: 'FROM golang AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
        expect: {
          at: '1:6-1:12',
          message: /golang floats.*no tag means :latest/,
          output:
            'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
        },
      },
      {
        name: 'distroless without its Debian release',
        text: 'FROM golang:1.25 AS b\nFROM gcr.io/distroless/static:latest\nCOPY --from=b /app /app',
        expect: {
          at: '2:6-2:37',
          message: /distroless\/static without -debianNN follows each new Debian release/,
        },
      },
      {
        name: 'golang tagged with a current Alpine release only',
        text: 'FROM golang:alpine3.24 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: { at: '1:6-1:23', message: /golang:alpine3\.24 floats: the Go version/ },
      },
      {
        name: 'golang tagged with one of the two newest Debian releases only',
        text: 'FROM golang:bookworm AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: { at: '1:6-1:21', message: /golang:bookworm floats: the Go version/ },
      },
    ],
    pass: [
      {
        name: 'a runtime image tagged with its release and a variant',
        text: 'FROM node:22-alpine AS web\nFROM python:3.13-slim-bookworm',
      },
      {
        name: "a base from an ARG whose default the project's build files replace",
        text: 'ARG base_image=placeholder\nFROM $base_image\nCMD ["/app"]',
        context: { ...context(), passedArgs: new Set(['base_image']) },
      },
      {
        name: "an image the project's compose file builds",
        text: 'FROM debian-base\nCOPY app /app',
        context: { ...context(), builtImages: new Set(['debian-base']) },
      },
      {
        name: 'golang tagged with an Alpine release its images no longer build: frozen, not floating',
        text: 'FROM golang:alpine3.20 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
      },
      {
        name: 'golang tagged with a Debian release its images no longer build: frozen, not floating',
        text: 'FROM golang:bullseye AS b\nRUN CGO_ENABLED=0 go build -o /app .',
      },
      {
        name: 'golang tagged with a major version and a Debian release its images no longer build',
        text: 'FROM golang:1-bullseye AS b\nRUN CGO_ENABLED=0 go build -o /app .',
      },
      {
        name: 'a tag built from ARGs without defaults (whatever the build passes)',
        text: 'ARG GOLANG_VERSION\nARG ALPINE_VERSION\nFROM golang:${GOLANG_VERSION}-alpine${ALPINE_VERSION} AS b\nRUN CGO_ENABLED=0 go build -o /app .',
      },
      {
        name: 'distroless nonroot and debug tags, and a name with its Debian release',
        text: 'FROM gcr.io/distroless/static:nonroot AS a\nFROM gcr.io/distroless/static:debug AS b\nFROM gcr.io/distroless/base-debian12\nCOPY --from=a /x /x',
      },
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
        expect: {
          at: '1:6-1:17',
          message: /golang:1\.21 has Go 1\.21 but go\.mod requires go 1\.22/,
          // goimg's version policy: the newest release on the tests' day that satisfies go.mod.
          output: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'an old builder that installs tools with go get: no fix (Go 1.18 and later no longer install with go get)',
        text: 'FROM golang:1.13-alpine AS b\nRUN go get github.com/cortesi/modd/cmd/modd\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '1:6-1:24',
          message:
            /golang:1\.13-alpine has Go 1\.13 but go\.mod requires go 1\.22.*; raise it together with its go get installs, which Go 1\.18 and later no longer build \(go install pkg@version does\)$/,
        },
      },
      {
        name: 'through an ARG',
        text: 'ARG GO_VERSION=1.21\nFROM golang:${GO_VERSION}-alpine AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '2:6-2:33',
          message: /golang:1\.21-alpine has Go 1\.21/,
          output:
            'ARG GO_VERSION=1.25\nFROM golang:${GO_VERSION}-alpine AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: "an ARG default the project's build files replace: a warning, not an error",
        text: 'ARG GO_VERSION=1.21\nFROM golang:${GO_VERSION} AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        context: { ...context(), passedArgs: new Set(['GO_VERSION']) },
        expect: {
          at: '2:6-2:26',
          severity: 'warning',
          message:
            /has Go 1\.21 but go\.mod requires go 1\.22: go refuses the module \(GOTOOLCHAIN=local in the golang images\), the build fails \(when GO_VERSION keeps its default; the project's build files pass their own GO_VERSION\)/,
          output: 'ARG GO_VERSION=1.25\nFROM golang:${GO_VERSION} AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'Go 1.18 cannot read a go line with a patch number or a toolchain line',
        text: 'FROM golang:1.18-buster AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, go: '1.22.0', toolchain: 'go1.22.1' } }),
        expect: {
          at: '1:6-1:24',
          message:
            /golang:1\.18-buster has Go 1\.18, which cannot read this go\.mod: it rejects the go line 1\.22\.0 \("invalid go version '1\.22\.0': must match format 1\.23"\) and the toolchain line \("unknown directive: toolchain"\), the build fails/,
          output: 'FROM golang:1.25-buster AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'golang:1.20 is 1.20.14, which refuses a module declaring Go 1.22',
        text: 'FROM golang:1.20 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, go: '1.22' } }),
        expect: {
          at: '1:6-1:17',
          message:
            /Go 1\.19\.13\+ and 1\.20\.8\+ refuse a module that declares Go 1\.22 or later, the build fails/,
          output: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'a builder before Go 1.21 (the go line was advisory then)',
        text: 'FROM golang:1.16-buster AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, go: '1.17' } }),
        expect: {
          at: '1:6-1:24',
          message: /Go 1\.16 but go\.mod requires go 1\.17: Go before 1\.21 builds it anyway/,
          output: 'FROM golang:1.25-buster AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'GOTOOLCHAIN=auto downloads the newer go',
        text: 'FROM golang:1.22 AS b\nENV GOTOOLCHAIN=auto\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, go: '1.23.0' } }),
        expect: {
          at: '1:6-1:17',
          message: /with GOTOOLCHAIN=auto the build downloads go 1\.23\.0 first/,
          output: 'FROM golang:1.25 AS b\nENV GOTOOLCHAIN=auto\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'only the suggested toolchain is newer',
        text: 'FROM golang:1.24.3 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, go: '1.24.3', toolchain: 'go1.24.4' } }),
        expect: {
          at: '1:6-1:19',
          message: /older than the toolchain go1\.24\.4 go\.mod suggests: the build uses Go 1\.24\.3/,
          output: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'go mod download reads go.mod as go build does',
        text: 'FROM golang:1.21 AS b\nCOPY go.mod go.sum ./\nRUN go mod download',
        expect: {
          at: '1:6-1:17',
          message:
            /golang:1\.21 has Go 1\.21 but go\.mod requires go 1\.22: go refuses the module.*the build fails$/,
          output: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download',
        },
      },
      {
        name: 'a build through make: likely, so a warning',
        text: 'FROM golang:1.21-alpine AS b\nCOPY . .\nRUN make',
        expect: {
          at: '1:6-1:24',
          severity: 'warning',
          message:
            /has Go 1\.21 but go\.mod requires go 1\.22: .*the build fails when the make run here runs go/,
          output: 'FROM golang:1.25-alpine AS b\nCOPY . .\nRUN make',
        },
      },
    ],
    pass: [
      {
        name: 'golang:1.22 for go 1.22.3',
        text: 'FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, go: '1.22.3' } }),
      },
      { name: 'no go build in the golang stage', text: 'FROM golang:1.19 AS tools\nRUN echo hi' },
      {
        name: 'a stage whose go mod init writes its own module',
        text: 'FROM golang:1.21 AS tools\nWORKDIR /t\nRUN go mod init tools && go mod tidy',
      },
    ],
  },
  'go-version-unsupported': {
    flag: [
      {
        name: 'golang:1.20',
        text: 'FROM golang:1.20 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: null,
        expect: {
          at: '1:6-1:17',
          message: /Go 1\.20 is out of upstream support \(supported: 1\.25 and 1\.24/,
        },
      },
    ],
    pass: [
      {
        name: 'golang:1.24',
        text: 'FROM golang:1.24 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: null,
      },
      {
        name: "an ARG default the project's build files replace",
        text: 'ARG GO_VERSION=1.20\nFROM golang:${GO_VERSION} AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        project: null,
        context: { ...context(), passedArgs: new Set(['GO_VERSION']) },
      },
    ],
  },
  'source-before-deps': {
    flag: [
      {
        name: 'COPY . . before go mod vendor (the download step goes before; the vendoring stays)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go mod vendor\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '3:1-3:9',
          message: /copied \(line 3\) before go mod vendor \(line 4\)/,
          output:
            'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go mod vendor\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'COPY . . before download',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '3:1-3:9',
          message: /copied \(line 3\) before go mod download \(line 4\)/,
          output:
            'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'the folder holding the module copied whole before download (no fix: go.mod is not at the context root)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /app\nCOPY server ./server\nWORKDIR /app/server\nRUN go mod download\nRUN go build -o app',
        project: project({
          goMod: { ...project().goMod!, file: 'server/go.mod' },
          packages: [{ ...SVC_MAIN, dir: '.', importPath: 'example.com/svc' }],
        }),
        context: { ...contextWith(['server/go.mod', 'server/main.go']), projectDir: 'server' },
        expect: { at: '3:1-3:21', message: /copied \(line 3\) before go mod download \(line 5\)/ },
      },
      {
        name: 'a web stage copying the whole context before yarn install',
        text: 'FROM node:22 AS web\nWORKDIR /web\nCOPY . .\nRUN yarn install --frozen-lockfile && yarn build\nFROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nCOPY --from=web /web/dist ./dist\nRUN CGO_ENABLED=0 go build -o /app .',
        context: contextWith(['go.mod', 'go.sum', 'main.go', 'package.json', 'yarn.lock', 'src/app.ts']),
        expect: { at: '3:1-3:9', message: /copied whole \(line 3\) before yarn install \(line 4\)/ },
      },
      {
        name: 'the UI folder copied whole before npm ci',
        text: 'FROM node:22 AS ui\nWORKDIR /ui\nCOPY ./ui/ .\nRUN npm ci\nRUN npm run build',
        context: contextWith(['go.mod', 'ui/package.json', 'ui/package-lock.json', 'ui/src/app.ts']),
        expect: { at: '3:1-3:13', message: /copied whole \(line 3\) before npm ci \(line 4\)/ },
      },
    ],
    pass: [
      { name: 'article order', text: SEED_ARTICLE },
      {
        name: 'a local replace target copied before download, which reads it',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY api/ api/\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .',
        project: project({
          localReplaceDirs: ['api'],
          packages: [
            { ...SVC_MAIN, dir: '.', importPath: 'example.com/svc' },
            { ...SVC_MAIN, dir: 'api/v1', importPath: 'example.com/svc/api/v1', name: 'v1' },
          ],
        }),
        context: {
          ...contextWith(['go.mod', 'go.sum', 'main.go', 'api/go.mod', 'api/v1/types.go']),
          projectDir: '',
        },
      },
      {
        name: 'a folder of assets, no Go package in it, copied before download',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY web ./web\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .',
        project: project({ packages: [{ ...SVC_MAIN, dir: '.', importPath: 'example.com/svc' }] }),
        context: { ...contextWith(['go.mod', 'go.sum', 'main.go', 'web/index.html']), projectDir: '' },
      },
      {
        name: 'the web manifest and lockfile installed before the rest is copied',
        text: 'FROM node:22 AS web\nWORKDIR /web\nCOPY ui/package.json ui/yarn.lock ./\nRUN yarn install\nCOPY ui/ .\nRUN yarn install --offline && yarn build',
        context: contextWith(['ui/package.json', 'ui/yarn.lock', 'ui/src/app.ts']),
      },
      {
        name: 'an install a build argument turns on',
        text: 'FROM node:22 AS web\nARG BUILD_JS=0\nCOPY ./ui /src/ui\nRUN if [ "$BUILD_JS" = 1 ]; then cd /src/ui && yarn install; fi',
        context: contextWith(['ui/package.json', 'ui/src/app.ts']),
      },
      {
        name: 'a global tool installed after the source copy',
        text: 'FROM node:22 AS web\nWORKDIR /web\nCOPY . .\nRUN npm install -g pnpm && npm run build',
        context: contextWith(['package.json', 'src/app.ts']),
      },
      {
        name: 'a folder without package.json copied before install',
        text: 'FROM node:22 AS web\nWORKDIR /web\nCOPY assets ./assets\nCOPY package.json package-lock.json ./\nRUN npm ci',
        context: contextWith(['package.json', 'package-lock.json', 'assets/logo.png']),
      },
      {
        name: 'an ignore file that lets only the manifests through',
        text: 'FROM node:22 AS web\nWORKDIR /web\nCOPY . .\nRUN npm ci',
        context: contextWith(
          ['package.json', 'package-lock.json', 'src/app.ts', 'main.go'],
          ['src/app.ts', 'main.go'],
        ),
      },
      {
        name: 'package.json left out by the ignore file',
        text: 'FROM node:22 AS web\nWORKDIR /web\nCOPY . .\nRUN npm ci',
        context: contextWith(['main.go', 'web/package.json'], ['web/package.json']),
      },
    ],
  },
  'no-module-download-step': {
    flag: [
      {
        name: 'go build fetches',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '3:1-3:9',
          message: /the 1 required module\(s\) are fetched inside go build/,
          output:
            'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'the context bind-mounted into the build',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nRUN --mount=type=bind,target=. CGO_ENABLED=0 go build -o /app .',
        expect: { at: '3:1-3:64', message: /the 1 required module\(s\) are fetched inside go build/ },
      },
    ],
    pass: [
      {
        name: 'the module cache copied in from a stage that downloaded the modules, before the source',
        text: 'FROM golang:1.25 AS deps\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nFROM golang:1.25 AS build\nWORKDIR /src\nCOPY --from=deps /go/pkg/mod /go/pkg/mod\nCOPY . .\nRUN go build -o /app .',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'go.sum', 'main.go']),
      },
      {
        name: 'a Go 1.10 builder, which builds in GOPATH mode and fetches no modules',
        text: 'FROM golang:1.10-alpine AS b\nWORKDIR /go/src/example.com/svc\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .',
      },
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
      {
        name: 'the source cloned with git, not copied from the context',
        text: 'FROM golang:1.25 AS b\nRUN git clone https://example.com/svc.git /src\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o /app .',
      },
    ],
  },
  'go-sum-not-copied': {
    flag: [
      {
        name: 'go.mod alone, go build before go.sum arrives',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod download\nCOPY main.go ./\nRUN go build .',
        expect: {
          at: '2:1-2:15',
          message:
            /go\.mod is copied without go\.sum, and go\.sum is still missing when go build runs \(line 5\)/,
          output:
            'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY main.go ./\nRUN go build .',
        },
      },
      {
        name: 'download and test in one RUN',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod download && go test ./...',
        expect: {
          at: '2:1-2:15',
          message: /still missing when go test runs \(line 3\)/,
          output: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download && go test ./...',
        },
      },
      {
        name: 'go.mod copied into a directory a RUN made, and go.sum never after',
        text: 'FROM golang:1.25 AS b\nRUN mkdir /compile\nCOPY go.mod /compile\nCOPY main.go /compile/\nRUN cd /compile && go build -o /app .',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'go.sum', 'main.go']),
        expect: { at: '3:1-3:21', message: /go\.sum is still missing when go build runs \(line 5\)/ },
      },
    ],
    pass: [
      {
        name: 'go.mod copied into a directory a RUN made, the whole source (go.sum too) after it',
        text: 'FROM golang:1.25 AS b\nRUN mkdir /compile\nCOPY go.mod /compile\nRUN cd /compile && go mod download\nCOPY . /compile\nRUN cd /compile && go build -o /app .',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'go.sum', 'main.go']),
      },
      {
        name: 'both copied',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download\nRUN go build .',
      },
      {
        name: 'no go.sum in the project',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod download\nRUN go build .',
        project: project({ hasGoSum: false }),
      },
      {
        name: 'glob',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.* ./\nRUN go mod download\nRUN go build .',
      },
      { name: 'download alone', text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod download' },
      {
        name: 'go.sum copied before the build',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod download\nCOPY go.sum ./\nRUN go build .',
      },
      {
        name: 'go mod tidy writes go.sum',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go mod tidy && go build .',
      },
      {
        name: '-mod=mod writes go.sum',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go build -mod=mod .',
      },
      {
        name: 'a tool installed at a version',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nRUN go install golang.org/x/tools/cmd/stringer@v0.30.0',
      },
      {
        name: 'vendored module',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod ./\nCOPY vendor vendor\nRUN go build .',
        project: project({ vendored: true }),
      },
    ],
  },
  'local-replace-missing': {
    flag: [
      {
        name: 'replace dir not copied',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['lib'] }),
        expect: {
          at: '3:1-3:20',
          message: /local directory lib, whose go\.mod is not copied before go mod download/,
        },
      },
      {
        name: 'the context is a subdirectory of the module: a replace beside it lies outside',
        text: 'FROM golang:1.25 AS b\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['lib'] }),
        context: { ...context(), prefix: 'build' },
        expect: { at: '3:1-3:29', message: /local replace target lib lies outside the build context/ },
      },
      {
        name: 'outside the context',
        text: 'FROM golang:1.25 AS b\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['../shared'] }),
        expect: { at: '3:1-3:29', message: /\.\.\/shared lies outside the build context/ },
      },
    ],
    pass: [
      {
        name: 'replace dir copied first',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nCOPY lib/ lib/\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['lib'] }),
      },
      {
        name: "the context is a subdirectory holding the module (its replace paths are the context's)",
        text: 'FROM golang:1.25 AS b\nCOPY api/ api/\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build .',
        project: project({ localReplaceDirs: ['api/loki'] }),
        context: { ...context(), prefix: 'operator', projectDir: '' },
      },
      {
        name: 'the module lies in a subdirectory of the context',
        text: 'FROM golang:1.25 AS b\nCOPY svc/go.mod svc/go.sum svc/\nCOPY svc/lib/ svc/lib/\nWORKDIR svc\nRUN go mod download',
        project: project({ localReplaceDirs: ['lib'] }),
        context: { ...context(), projectDir: 'svc' },
      },
    ],
  },
  'no-go-cache-mount': {
    flag: [
      {
        name: 'a build without network after the download: only the build cache is mounted, and the download keeps its layer',
        text: '# syntax=docker/dockerfile:1\nFROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN --network=none go build -o /app .',
        expect: {
          at: '7:1-7:38',
          message:
            /^go build runs without a BuildKit cache mount for the build cache: every build starts cold$/,
          output:
            '# syntax=docker/dockerfile:1\nFROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN --network=none --mount=type=cache,target=/root/.cache/go-build \\\n    go build -o /app .',
        },
      },
      {
        name: 'a download followed by go mod vendor without a mount: no fix (vendoring reads the modules from the layer)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go mod vendor\nRUN --mount=type=cache,target=/root/.cache/go-build go build -mod=vendor -o /app .',
        expect: {
          at: '4:1-4:20',
          message:
            /^go mod download runs without a BuildKit cache mount for the module cache: every build starts cold; mount the same cache on the later go mod vendor too, or it downloads the modules again$/,
        },
      },
      {
        name: 'a download before a go build -a (which gets no fix): no fix, the build reads the modules from the layer',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -a -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        project: ROOT_MAIN_PROJECT,
        expect: [
          {
            at: '4:1-4:20',
            message:
              /^go mod download runs without a BuildKit cache mount for the module cache: every build starts cold; mount the same cache on the RUN that compiles too, or it downloads the modules again$/,
          },
          { at: '6:1-6:26', message: /-a rebuilds every package/ },
        ],
      },
      {
        name: 'a RUN that empties the caches after compiling: advised, no fix (a mount would make the clean fail)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -o /app . && \\\n    go clean -modcache -cache\nFROM debian:13-slim\nCOPY --from=b /app /app\nCMD ["/app"]',
        project: ROOT_MAIN_PROJECT,
        expect: {
          at: '4:1-5:30',
          message:
            /every build starts cold; this RUN empties the caches \(`go clean -modcache -cache`\) to keep its layer small: mount them and drop that clean, which would fail on the mount points$/,
        },
      },
      {
        name: 'modules downloaded, then the source copied in, nothing compiled: a development image, advised',
        text: 'FROM golang:1.25-alpine\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .',
        expect: {
          at: '4:1-4:20',
          message: /^go mod download runs without a BuildKit cache mount for the module cache/,
        },
      },
      {
        name: 'a Go 1.10 build, before modules: the build cache only',
        text: 'FROM golang:1.10-alpine AS b\nWORKDIR /go/src/example.com/svc\nCOPY . .\nRUN go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app\nCMD ["/app"]',
        expect: {
          at: '4:1-4:23',
          message: /without a BuildKit cache mount for the build cache: every build starts cold/,
          output:
            '# syntax=docker/dockerfile:1\nFROM golang:1.10-alpine AS b\nWORKDIR /go/src/example.com/svc\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build \\\n    go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app\nCMD ["/app"]',
        },
      },
      {
        name: 'a build in the project builder image (source and modules inside it): the build cache only',
        text: 'ARG REPO\nFROM $REPO/app-builder:1 AS b\nRUN go build -o /app ./cmd/app\nFROM alpine:3.22\nCOPY --from=b /app /app\nCMD ["/app"]',
        expect: {
          at: '3:1-3:31',
          message: /without a BuildKit cache mount for the build cache: every build starts cold/,
        },
      },
      {
        name: 'go build -a after go mod tidy: the modules are in the layer, and -a skips the build cache (no fix: a mount alone changes nothing)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go mod tidy\nRUN CGO_ENABLED=0 go build -a -installsuffix cgo -o /app .',
        expect: {
          at: '5:1-5:59',
          message:
            /^go build runs without a BuildKit cache mount for the build cache: every build starts cold; and -a rebuilds every package \(the standard library too\) without looking in the build cache: drop -a/,
        },
      },
      {
        name: 'plain go build',
        text: SEED_ARTICLE,
        expect: [
          {
            at: '5:1-5:20',
            message: /go mod download runs without a BuildKit cache mount/,
            output: `# syntax=docker/dockerfile:1\n${SEED_ARTICLE.replace('RUN go mod download', 'RUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download')}`,
          },
          {
            at: '7:1-7:23',
            message: /go build runs without a BuildKit cache mount for the build cache/,
            output: `# syntax=docker/dockerfile:1\n${SEED_ARTICLE.replace('RUN go build', 'RUN --mount=type=cache,target=/root/.cache/go-build \\\n    go build')}`,
          },
        ],
      },
      {
        name: 'docker init style: module cache only',
        text: 'FROM golang:1.25 AS b\nRUN --mount=type=cache,target=/go/pkg/mod CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '2:1-2:75',
          message: /go build runs without a BuildKit cache mount for the build cache/,
          output:
            '# syntax=docker/dockerfile:1\nFROM golang:1.25 AS b\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\\n    CGO_ENABLED=0 go build -o /app .',
        },
      },
      {
        name: 'the download step of a build that make runs: no fix, the compile needs the mount too',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN make build',
        expect: {
          at: '3:1-3:20',
          message:
            /go mod download runs without.*module cache.*mount the same cache on the RUN that compiles too/,
        },
      },
    ],
    pass: [
      {
        name: 'a download in a base stage a test stage runs go test on when it starts (the modules must stay in its layer)',
        text: 'FROM golang:1.25-alpine AS base\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nFROM base AS test\nENTRYPOINT go test ./...\nFROM base AS build\nRUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
      },
      {
        name: 'a base image for builds that holds the modules: nothing compiled, nothing after the download',
        text: 'FROM registry.example.com/ci/golang-mysql:base\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download && rm -rf /app/',
      },
      {
        name: 'modules downloaded into an image that runs the tests: a mount would leave them out',
        text: 'FROM golang:1.25\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nCMD ["go", "test", "./..."]',
      },
      {
        name: 'a build environment image whose product is the downloaded modules',
        text: 'FROM golang:1.25\nRUN apt-get update && apt-get install -y gcc libgtk-3-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /build\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .',
      },
      {
        name: 'a stage compose runs as a development service keeps its modules in its layers',
        text: 'FROM golang:1.25 AS dev\nWORKDIR /src\nCOPY go.* ./\nRUN go mod download\nCOPY . .\nRUN make build\nFROM alpine:3.22\nCOPY --from=dev /src/dist/app /app',
        context: { ...context(), serviceTargets: new Set(['dev']) },
      },
      {
        name: 'a module that requires nothing needs only the build cache',
        text: 'FROM golang:1.25 AS b\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .',
        project: project({ goMod: { ...project().goMod!, requires: [] } }),
      },
      { name: 'both caches', text: GOOD_ALPINE },
      {
        name: 'the module cache mounted at ${GOMODCACHE} set by ENV',
        text: 'FROM golang:1.25 AS b\nENV GOMODCACHE=/root/.cache/go-mod\nRUN --mount=type=cache,target=${GOMODCACHE} go mod download',
      },
      {
        name: 'the module cache moved by go env -w',
        text: 'FROM golang:1.25 AS b\nRUN go env -w GOMODCACHE=/gomod-cache\nRUN --mount=type=cache,target=/gomod-cache go mod download',
      },
      {
        name: 'a vendored build needs only the build cache',
        text: 'FROM golang:1.25 AS b\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -mod=vendor -o /app .',
      },
    ],
  },
  'cache-mount-target-mismatch': {
    flag: [
      {
        name: 'GOCACHE moved',
        text: 'FROM golang:1.25 AS b\nENV GOCACHE=/cache/go\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '3:43-3:90',
          message: /targets \/root\/\.cache\/go-build but the builder's GOCACHE is \/cache\/go/,
        },
      },
      {
        name: 'non-root user',
        text: 'FROM golang:1.25 AS b\nUSER builder\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .',
        expect: { at: '3:43-3:90', message: /runs as USER builder, whose home is not \/root/ },
      },
    ],
    pass: [
      {
        name: 'a Go builder image goimg does not know may set GOPATH itself',
        text: 'FROM quay.io/example/golang-builder:1.26 AS b\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .',
      },
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
        expect: {
          at: '2:5-2:42',
          message: /RUN --mount needs BuildKit's Dockerfile frontend/,
          output:
            '# syntax=docker/dockerfile:1\nFROM golang:1.25\nRUN --mount=type=cache,target=/go/pkg/mod go mod download',
        },
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
        name: 'a later stage copies the toolchain of the builder: on the build platform it would be the wrong go (no fix)',
        text: 'FROM golang:1.25-alpine AS b\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH CGO_ENABLED=0 go build -o /bin/app .\nFROM alpine:3.22\nCOPY --from=b /bin/app /bin/app\nCOPY --from=b /usr/local/go/bin/go /usr/local/go/bin/go\nCMD ["app"]',
        expect: {
          at: '1:1-1:29',
          message:
            /; but a later stage copies \/usr\/local\/go\/bin\/go from this stage, which on the build platform would be the build machine's program: compile in a stage of its own on \$BUILDPLATFORM$/,
        },
      },
      {
        name: 'a project file reads the FROM line by pattern: --platform would break it, so no fix',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: {
          ...context(),
          targetPlatforms: ['linux/amd64', 'linux/arm64'],
          fromReaders: new Map([['golang', ['.github/scripts/go-version.sh', 'renovate.json']]]),
        },
        expect: {
          at: '1:1-1:22',
          message:
            /; \.github\/scripts\/go-version\.sh and renovate\.json match this FROM line by a pattern that --platform after FROM would break: change them together$/,
        },
      },
      {
        name: 'an ARMv6 target: GOOS and GOARCH are not enough, so no fix',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm/v6', 'linux/arm/v7'] },
        expect: {
          at: '1:1-1:22',
          message:
            /cross-compile natively with GOOS\/GOARCH, and GOARM=\$\{TARGETVARIANT#v\} for linux\/arm\/v6: cross-compiling, Go builds for ARMv7 unless told$/,
        },
      },
      {
        name: "the project's build files build it for several platforms (no TARGETARCH in the Dockerfile)",
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: {
          at: '1:1-1:22',
          message:
            /several platforms \(the project's build files build it for linux\/amd64, linux\/arm64\) but the builder stage lacks --platform=\$BUILDPLATFORM/,
          output:
            'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        },
      },
      {
        name: 'TARGETARCH without BUILDPLATFORM',
        text: 'FROM golang:1.25 AS b\nARG TARGETARCH\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        expect: {
          at: '1:1-1:22',
          message: /lacks --platform=\$BUILDPLATFORM/,
          output:
            'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS\nARG TARGETARCH\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        },
      },
      {
        name: 'a build through make in an Alpine builder without a C compiler (no fix: the Makefile runs go)',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add --no-cache make git\nWORKDIR /src\nCOPY . .\nRUN make install\nFROM alpine:3.22\nCOPY --from=b /usr/local/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: {
          at: '1:1-1:29',
          message:
            /lacks --platform=\$BUILDPLATFORM, so `make install` compiles Go under emulation; run the builder on \$BUILDPLATFORM and pass GOOS=\$TARGETOS GOARCH=\$TARGETARCH to the build$/,
        },
      },
      {
        name: 'a build through make chained after another command: the message quotes the make command',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add --no-cache make git\nWORKDIR /src\nCOPY . .\nRUN git config --global safe.directory "*" && \\\n    make install\nFROM alpine:3.22\nCOPY --from=b /usr/local/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: {
          at: '1:1-1:29',
          message: /lacks --platform=\$BUILDPLATFORM, so `make install` compiles Go under emulation;/,
        },
      },
      {
        name: 'a build through make with cgo turned off, a C compiler installed',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add make gcc musl-dev\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 make PREFIX=/opt install\nFROM alpine:3.22\nCOPY --from=b /opt/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: {
          at: '1:1-1:29',
          message: /so `CGO_ENABLED=0 make PREFIX=\/opt install` compiles Go under emulation/,
        },
      },
    ],
    pass: [
      {
        name: 'a build through make whose program is copied from $GOPATH/bin (go install moves it when cross-compiling)',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add --no-cache make git\nWORKDIR /src\nCOPY . .\nRUN make install\nFROM alpine:3.22\nCOPY --from=b /go/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'a build through make with a C compiler and cgo left to the Makefile',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add make gcc musl-dev\nWORKDIR /src\nCOPY . .\nRUN make build\nFROM alpine:3.22\nCOPY --from=b /src/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'a build through make in a Debian golang builder (gcc there, cgo on by default)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN make build\nFROM debian:13-slim\nCOPY --from=b /src/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'a build through make on the build platform',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25-alpine AS b\nWORKDIR /src\nCOPY . .\nRUN make build\nFROM alpine:3.22\nCOPY --from=b /src/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'the C linker links the program (-linkmode external): it runs on the host architecture only',
        text: 'FROM golang:1.25-alpine AS b\nARG TARGETARCH\nRUN apk add gcc musl-dev\nRUN GOARCH=$TARGETARCH go build -ldflags "-linkmode external -extldflags -static" -o /app .',
      },
      {
        name: 'binutils strip run on the output after the build reads only the host architecture',
        text: 'FROM golang:1.25-alpine AS b\nARG TARGETARCH\nRUN apk add binutils\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app . && strip /app',
      },
      { name: 'with BUILDPLATFORM', text: GOOD_DOCS_GUIDE },
      { name: 'single platform', text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .' },
      {
        name: 'a single-stage image: on the build platform, every image would get its userland',
        text: 'FROM golang:1.25-alpine\nARG TARGETARCH\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .\nCMD ["/app"]',
      },
      {
        name: 'a cgo build, which needs a C cross toolchain to cross-compile',
        text: 'FROM golang:1.25 AS b\nARG TARGETARCH\nENV CGO_ENABLED=1\nRUN go build -o /app-$TARGETARCH .',
      },
      {
        name: 'a project that needs cgo',
        text: 'FROM golang:1.25 AS b\nARG TARGETARCH\nRUN go build -o /app-$TARGETARCH .',
        project: project({ cgoRequired: true }),
      },
      {
        name: 'cgo on by default compiles a cgo-only module that has a pure-Go fallback',
        text: 'FROM golang:1.25 AS b\nARG TARGETARCH\nRUN go build -o /app-$TARGETARCH .',
        project: project({ cgoEvidence: [{ ...SQLITE_MODULE, optional: true }] }),
      },
    ],
  },
  'missing-dockerignore': {
    flag: [
      {
        name: 'a misspelled ignore file Docker does not read',
        text: 'FROM golang:1.25\nCOPY . /src',
        context: contextWith(['go.mod', 'main.go', '.dockeringore']),
        expect: {
          at: '1:1-1:1',
          message:
            /^the build context has no \.dockerignore but has \.dockeringore: Docker reads only \.dockerignore/,
        },
      },
      {
        name: 'no ignore file',
        text: SEED_ARTICLE,
        context: context(null),
        expect: { at: '1:1-1:1', message: /no \.dockerignore.*123456 bytes \(120\.6 kB\) in 42 files/ },
      },
    ],
    pass: [
      { name: 'ignore file present', text: SEED_ARTICLE },
      {
        name: 'the build names its paths (a prebuilt binary), and nothing in them is waste',
        text: 'FROM alpine:3.22\nCOPY dist/app_linux_*/app /usr/bin/app',
        context: {
          ...context(null),
          sentPaths: ['dist/app_linux_*/app'],
          suggestion: { text: '.git\n', savedBytes: 0 },
        },
      },
      {
        name: 'the build reads nothing from the context',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache curl',
        context: { ...context(null), sentPaths: [] },
      },
    ],
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
        expect: { at: '1:1-1:1', message: /lets through VCS data \(1 files, 100000 bytes\); add `\.git`/ },
      },
      {
        name: 'a leak inside a path the build copies',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum main.go ./\nCOPY tests/ /src/tests/\nRUN CGO_ENABLED=0 go build -o /app .',
        context: {
          ...context(['bin']),
          gaps: [TESTDATA_GAP],
        },
        expect: { at: '1:1-1:1', message: /lets through test-data files \(tests\/testdata\)/ },
      },
    ],
    pass: [
      { name: 'no gaps', text: SEED_ARTICLE, context: { ...context(['bin']), gaps: [] } },
      {
        name: 'a leak outside every path the build copies is never sent',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum main.go ./\nRUN CGO_ENABLED=0 go build -o /app .',
        context: {
          ...context(['bin']),
          gaps: [TESTDATA_GAP],
        },
      },
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
      {
        name: 'go.sum ignored',
        text: SEED_ARTICLE,
        context: context(['go.sum']),
        expect: { at: '4:1-4:22', message: /excludes go\.sum, which this COPY needs/ },
      },
      {
        name: 'replace target copied but ignored',
        text: 'FROM golang:1.25\nCOPY go.mod go.sum ./\nCOPY lib ./lib',
        context: context(['lib']),
        project: project({ localReplaceDirs: ['lib'] }),
        expect: { at: '3:1-3:15', message: /excludes lib, which this COPY needs/ },
      },
    ],
    pass: [
      { name: 'unrelated ignores', text: SEED_ARTICLE, context: context(['.git', 'bin']) },
      {
        name: 'an exception pattern lets files below the excluded directory through',
        text: 'FROM golang:1.25\nCOPY docs/ ./docs/',
        context: { ...context(['docs']), dockerignore: { file: '.dockerignore', text: 'docs\n!docs/*.go' } },
      },
      {
        name: 'no build reads the excluded replace target',
        text: 'FROM golang:1.25\nCOPY . .',
        context: context(['lib']),
        project: project({ localReplaceDirs: ['lib'] }),
      },
    ],
  },
  'packages-after-source': {
    flag: [
      {
        name: 'apk add after COPY . .',
        text: 'FROM golang:1.25-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN apk add --no-cache git make\nRUN make build',
        expect: {
          at: '4:1-4:32',
          message:
            /^packages are installed here after the source is copied \(line 3\): every code change installs them again; install them before copying the source$/,
        },
      },
      {
        name: 'installed in the build RUN after the source, beside a command substitution',
        text: 'FROM golang:1.25-alpine AS build\nCOPY . /src\nWORKDIR /src\nRUN apk add git build-base && export V=$(git describe) && go build -ldflags "-X main.v=$V" -o /app .',
        expect: { at: '4:1-4:101', message: /installed here after the source is copied \(line 2\)/ },
      },
    ],
    pass: [
      {
        name: 'packages installed before the source',
        text: 'FROM golang:1.25-alpine AS build\nRUN apk add --no-cache git make\nWORKDIR /src\nCOPY . .\nRUN make build',
      },
      {
        name: 'a package file from the copied source',
        text: 'FROM debian:trixie-slim\nCOPY . /src\nRUN apt-get update && apt-get install -y /src/dist/app.deb && rm -rf /var/lib/apt/lists/*',
      },
      {
        name: 'a package list read from the copied source',
        text: 'FROM alpine:3.22\nCOPY . /src\nRUN apk add --no-cache $(cat /src/packages.txt)',
      },
      {
        name: 'an install a build argument decides',
        text: 'FROM debian:trixie-slim\nARG PLUGINS=false\nCOPY . /src\nRUN if [ "$PLUGINS" = true ]; then apt-get update && apt-get install -y curl; fi',
      },
      {
        name: 'only the module files copied first',
        text: 'FROM golang:1.25-alpine AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN apk add --no-cache git\nRUN go mod download',
      },
    ],
  },
  'apt-install-recommends': {
    flag: [
      {
        name: 'apt-get install in the shipped stage',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nENTRYPOINT ["/app"]',
        expect: {
          at: '2:1-2:79',
          message:
            /^apt-get install without --no-install-recommends also installs every package these recommend, which the image seldom needs: add --no-install-recommends$/,
        },
      },
      {
        name: 'the CA bundle a TLS program needs may come only as a recommendation',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
        expect: { at: '2:1-2:77', message: /add --no-install-recommends and name ca-certificates/ },
      },
      {
        name: 'the CA bundle a later https download in the build needs',
        text: 'ARG UBUNTU_VER\nFROM ubuntu:${UBUNTU_VER}\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN curl -sL https://go.dev/dl/go1.25.0.linux-amd64.tar.gz | tar -C /usr/local -xz\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: false }),
        expect: {
          at: '3:1-3:77',
          message:
            /name ca-certificates, which the https download on line 4 needs and may now come only as a recommendation/,
        },
      },
    ],
    pass: [
      {
        name: 'recommended packages left out',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nENTRYPOINT ["/app"]',
      },
      {
        name: 'apt configured earlier not to install them',
        text: 'FROM debian:trixie-slim\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/norecs\nRUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nENTRYPOINT ["/app"]',
      },
      {
        name: 'a builder stage does not ship',
        text: 'FROM golang:1.25 AS build\nRUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
      },
      {
        name: 'a loader library whose drivers come only as its recommendations',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y libvulkan1 && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nENTRYPOINT ["/app"]',
      },
    ],
  },
  'copy-source-missing': {
    flag: [
      {
        name: 'go.mod, a main file and a package tree of the project root, from a subdirectory context',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum cmd/main.go ./\nCOPY pkg/ ./pkg/\nRUN go build -o /app .',
        project: project({
          packages: [
            { ...SVC_MAIN, dir: 'cmd', importPath: 'example.com/svc/cmd', files: ['main.go'] },
            { ...SVC_MAIN, dir: 'pkg/store', importPath: 'example.com/svc/pkg/store', name: 'store' },
          ],
        }),
        context: { ...contextWith(['Dockerfile', 'compose.yaml']), statedSubdirectory: 'deployments' },
        expect: [
          {
            at: '3:1-3:34',
            message:
              /^go\.mod, go\.sum, cmd\/main\.go are not in the build context deployments\/ but at the project root: this COPY fails with "not found"; build with the project root as context \(docker build -f Dockerfile \.\)$/,
          },
          { at: '4:1-4:17', message: /^pkg is not in the build context deployments\// },
        ],
      },
      {
        name: 'a context with Go code of its own (no project loaded) that copies the module go.mod',
        text: 'FROM golang:1.25\nCOPY go.mod /tmp/mod/go.mod\nRUN cd /tmp/mod && go mod download\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]',
        context: {
          ...contextWith(['entrypoint.sh', 'gen/main.go']),
          statedSubdirectory: 'build',
          moduleRootFiles: ['go.mod', 'go.sum'],
        },
        expect: {
          at: '2:1-2:28',
          message:
            /^go\.mod is not in the build context build\/ but at the project root: this COPY fails with "not found"; build with the project root as context and name the sources found in build\/ from it \(build\/entrypoint\.sh\)$/,
        },
      },
    ],
    pass: [
      {
        name: 'the context holds them',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY pkg/ ./pkg/\nRUN go build -o /app .',
        project: project({
          packages: [
            { ...SVC_MAIN, dir: 'cmd', importPath: 'example.com/svc/cmd', files: ['main.go'] },
            { ...SVC_MAIN, dir: 'pkg/store', importPath: 'example.com/svc/pkg/store', name: 'store' },
          ],
        }),
        context: {
          ...contextWith(['go.mod', 'go.sum', 'pkg/store/s.go']),
          statedSubdirectory: 'deployments',
        },
      },
      {
        name: 'a file made before the build (a binary), not a project file',
        text: 'FROM alpine:3.22\nCOPY app /usr/bin/app',
        project: project({
          packages: [
            { ...SVC_MAIN, dir: 'cmd', importPath: 'example.com/svc/cmd', files: ['main.go'] },
            { ...SVC_MAIN, dir: 'pkg/store', importPath: 'example.com/svc/pkg/store', name: 'store' },
          ],
        }),
        context: { ...contextWith(['Dockerfile']), statedSubdirectory: 'deployments' },
      },
      {
        name: 'a context nobody stated (the audited directory by default)',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go build -o /app .',
        project: project({
          packages: [
            { ...SVC_MAIN, dir: 'cmd', importPath: 'example.com/svc/cmd', files: ['main.go'] },
            { ...SVC_MAIN, dir: 'pkg/store', importPath: 'example.com/svc/pkg/store', name: 'store' },
          ],
        }),
        context: contextWith(['Dockerfile']),
      },
    ],
  },
  'copy-from-missing': {
    flag: [
      {
        name: 'go build without -o names the program after the module, not after the copied path',
        text: 'FROM golang:1.25 AS build\nWORKDIR /app\nCOPY . .\nRUN go build\nFROM alpine:3.22\nCOPY --from=build /app/app /usr/bin/app',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
        expect: {
          at: '6:1-6:40',
          message:
            /^nothing in stage build writes \/app\/app \(its go build writes \/app\/svc\): this COPY fails with "not found"$/,
        },
      },
      {
        name: 'go install writes its program into the cache mounted on /go/bin',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/go/bin go install .\nFROM alpine:3.22\nCOPY --from=build /go/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
        expect: {
          at: '6:1-6:43',
          message:
            /^stage build writes \/go\/bin\/svc inside the cache mount at \/go\/bin, which the image does not keep: this COPY fails with "not found"$/,
        },
      },
      {
        name: 'go build -o into a cache-mounted output directory',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/src/out go build -o out/svc .\nFROM scratch\nCOPY --from=build /src/out/svc /svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
        expect: { at: '6:1-6:36', message: /writes \/src\/out\/svc inside the cache mount at \/src\/out/ },
      },
      {
        name: 'a cross-compiling go install on the build platform, copied from /go/bin',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS build\nARG TARGETOS TARGETARCH\nWORKDIR /src\nCOPY . .\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go install .\nFROM alpine:3.22\nCOPY --from=build /go/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
        expect: {
          at: '7:1-7:43',
          severity: 'warning',
          message:
            /^stage build cross-compiles with go install, which writes to \/go\/bin\/<os>_<arch>\/svc when the target architecture is not the build machine.s: this COPY fails with "not found" for those platforms; build with go build -o \/go\/bin\/svc$/,
        },
      },
    ],
    pass: [
      {
        name: 'a go install on the build platform that compiles for it (no GOARCH)',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go install .\nFROM alpine:3.22\nCOPY --from=build /go/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
      },
      {
        name: 'a go install for the target architecture in a builder emulated on the target (writes /go/bin)',
        text: 'FROM golang:1.25 AS build\nARG TARGETARCH\nWORKDIR /src\nCOPY . .\nRUN GOARCH=$TARGETARCH go install .\nFROM alpine:3.22\nCOPY --from=build /go/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
      },
      {
        name: 'the path the build writes',
        text: 'FROM golang:1.25 AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/app .\nFROM alpine:3.22\nCOPY --from=build /app/app /usr/bin/app',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
      },
      {
        name: 'a prebuilt file of that name the context brings',
        text: 'FROM golang:1.25 AS build\nWORKDIR /app\nCOPY . .\nRUN go build\nFROM alpine:3.22\nCOPY --from=build /app/app /usr/bin/app',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go', 'app']),
      },
      {
        name: 'the program copied out of the cache mount by the same RUN',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/bin go install . && cp /go/bin/svc /usr/local/bin/svc\nFROM alpine:3.22\nCOPY --from=build /usr/local/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
      },
      {
        name: 'a cache mount on the module cache only',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go install .\nFROM alpine:3.22\nCOPY --from=build /go/bin/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
      },
      {
        name: 'a later build without the mount writes the program again',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/out go build -o /out/svc .\nRUN go build -o /out/svc .\nFROM alpine:3.22\nCOPY --from=build /out/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
      },
      {
        name: 'go install into a GOBIN the stage moves',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nENV GOBIN=/app\nRUN go install .\nFROM alpine:3.22\nCOPY --from=build /app/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go']),
      },
      {
        name: 'COPY --parents keeps the source path under the destination',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY --parents cmd/svc/main.go go.mod ./\nRUN go build -o /src/app ./cmd/svc\nFROM alpine:3.22\nCOPY --from=build /src/cmd/svc/main.go /usr/share/svc/',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go', 'cmd/svc/main.go']),
      },
      {
        name: 'an ADD of a context file BuildKit unpacks when it is a tar',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nADD dist.tar /dist/\nRUN go build -o /src/app .\nFROM alpine:3.22\nCOPY --from=build /dist/svc /usr/bin/svc',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go', 'dist.tar']),
      },
      {
        name: 'a make that may write anything',
        text: 'FROM golang:1.25 AS build\nWORKDIR /app\nCOPY . .\nRUN make\nFROM alpine:3.22\nCOPY --from=build /app/app /usr/bin/app',
        project: ROOT_MAIN_PROJECT,
        context: contextWith(['go.mod', 'main.go', 'Makefile']),
      },
    ],
  },
  'entrypoint-without-exec': {
    flag: [
      {
        name: 'the script PID 1 runs ends by starting the program as its child',
        text: 'FROM alpine:3.22\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/usr/bin/entrypoint.sh"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\nset -e\n/usr/bin/svc "$@"\n'),
        expect: {
          at: '3:1-3:1',
          script: 'entrypoint.sh',
          output: '#!/bin/sh\nset -e\nexec /usr/bin/svc "$@"\n',
          message:
            /^entrypoint\.sh starts svc without exec, so the shell stays PID 1: it ignores the SIGTERM of docker stop/,
        },
      },
      {
        name: 'tini passes SIGTERM to the shell alone',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache tini\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/sbin/tini", "--", "/usr/bin/entrypoint.sh"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\n/usr/bin/svc "$@"\n'),
        expect: {
          at: '2:1-2:1',
          script: 'entrypoint.sh',
          output: '#!/bin/sh\nexec /usr/bin/svc "$@"\n',
          message:
            /^entrypoint\.sh starts svc without exec, under tini: it passes the SIGTERM of docker stop to the shell alone/,
        },
      },
      {
        name: 'tini as ENTRYPOINT, the script as CMD: Docker runs them as one command',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache tini\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/sbin/tini", "--"]\nCMD ["/usr/bin/entrypoint.sh"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\n/usr/bin/svc "$@"\n'),
        expect: {
          at: '2:1-2:1',
          script: 'entrypoint.sh',
          output: '#!/bin/sh\nexec /usr/bin/svc "$@"\n',
          message: /under tini/,
        },
      },
    ],
    pass: [
      {
        name: 'the script execs the program',
        text: 'FROM alpine:3.22\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/usr/bin/entrypoint.sh"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\nset -e\nexec /usr/bin/svc "$@"\n'),
      },
      {
        name: 'a container action runs to its end',
        text: 'FROM alpine:3.22\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/usr/bin/entrypoint.sh"]',
        context: {
          ...contextWithScript('entrypoint.sh', '#!/bin/sh\n/usr/bin/svc "$@"\n'),
          containerAction: 'action.yml',
        },
      },
      {
        name: 'an init that signals the whole process group (tini -g)',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache tini\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/sbin/tini", "-g", "--", "/usr/bin/entrypoint.sh"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\n/usr/bin/svc "$@"\n'),
      },
      {
        name: 'a CMD script the child stage replaces with its own ENTRYPOINT (Docker drops the parent CMD)',
        text: 'FROM alpine:3.22 AS base\nCOPY svc entrypoint.sh /usr/bin/\nCMD ["/usr/bin/entrypoint.sh"]\nFROM base\nENTRYPOINT ["/usr/bin/svc"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\n/usr/bin/svc "$@"\n'),
      },
      {
        name: 'tini with an option goimg does not know (where the command starts is unclear)',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache tini\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/sbin/tini", "-p", "SIGTERM", "--", "/usr/bin/entrypoint.sh"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\n/usr/bin/svc "$@"\n'),
      },
      {
        name: 'dumb-init, which signals the process group by default',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache dumb-init\nCOPY svc entrypoint.sh /usr/bin/\nENTRYPOINT ["/usr/bin/dumb-init", "--", "/usr/bin/entrypoint.sh"]',
        context: contextWithScript('entrypoint.sh', '#!/bin/sh\n/usr/bin/svc "$@"\n'),
      },
    ],
  },
  'cleanup-in-later-layer': {
    flag: [
      {
        name: 'apt lists removed later',
        text: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
        expect: [
          { at: '2:1-2:46', message: /apt-get install without rm -rf \/var\/lib\/apt\/lists/ },
          { at: '3:1-3:32', message: /removed here but was created by line 2/ },
        ],
      },
      {
        name: 'lists a later install uses: one finding at the update, advising one RUN',
        text: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y make && apt-get install -y gcc\nRUN apt-get install -y git\nCMD ["/app"]',
        expect: {
          at: '2:1-2:72',
          message:
            /^apt-get update leaves the package lists in this layer, and the install on line 3 uses them: update, install and rm -rf \/var\/lib\/apt\/lists\/\* in one RUN$/,
        },
      },
      {
        name: 'apk without --no-cache',
        text: 'FROM alpine:3.22\nRUN apk add ca-certificates',
        expect: { at: '2:1-2:28', message: /apk add without --no-cache/ },
      },
      {
        name: 'apk adds after the one that fetched the index: they read it and store none (one finding)',
        text: 'FROM alpine:3.22\nRUN apk add --update sudo\nRUN apk add tzdata\nRUN apk add curl',
        expect: { at: '2:1-2:26', message: /apk add without --no-cache/ },
      },
      {
        name: 'apk -U add after an earlier index: it fetches a new one (two findings)',
        text: 'FROM alpine:3.22\nRUN apk add sudo\nRUN apk -U add curl',
        expect: [
          { at: '2:1-2:17', message: /apk add without --no-cache/ },
          { at: '3:1-3:20', message: /apk add without --no-cache/ },
        ],
      },
      {
        name: 'apk update before apk add --no-cache',
        text: 'FROM alpine:3.22\nRUN apk update && apk add --no-cache ca-certificates',
        expect: { at: '2:1-2:53', message: /apk update stores the package index in \/var\/cache\/apk/ },
      },
      {
        name: 'apk --update on another command',
        text: 'FROM alpine:3.22\nRUN apk --update upgrade && apk add --no-cache tzdata',
        expect: { at: '2:1-2:54', message: /apk upgrade --update stores the package index/ },
      },
      {
        name: 'download removed later',
        text: 'FROM alpine:3.22\nRUN wget -O /tmp/tool.tgz https://example.com/t.tgz && tar -C /opt -xzf /tmp/tool.tgz\nRUN rm -f /tmp/tool.tgz',
        expect: { at: '3:1-3:24', message: /\/tmp\/tool\.tgz is removed here but was created by line 2/ },
      },
    ],
    pass: [
      {
        name: 'the lists removed with their parent directory',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/*',
      },
      {
        name: 'a heredoc script whose continued lines are indented',
        text: 'FROM debian:trixie-slim\nRUN <<EOT bash\n    apt-get update && \\\n    apt-get install -y curl && \\\n    rm -rf /var/lib/apt/lists/*\nEOT',
      },
      {
        name: 'a script run after the update may remove the lists itself',
        text: 'FROM debian:bookworm-slim\nCOPY scripts/ /scripts/\nRUN apt-get update && apt-get install -y curl && /scripts/cleanup.sh',
      },
      {
        name: 'apt-get dist-clean in the same RUN removes the lists',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends git && apt-get dist-clean\nCMD ["/app"]',
      },
      {
        name: 'a test runner whose entry point is go test is not shipped',
        text: 'FROM golang:1.25-alpine AS test\nRUN apk add git g++\nCOPY . .\nENTRYPOINT ["go", "test", "./..."]',
      },
      {
        name: 'an install without its own update writes no lists',
        text: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY tool.deb /tmp/\nRUN apt-get install -y /tmp/tool.deb\nCMD ["/app"]',
      },
      {
        name: 'same-layer cleanup',
        text: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
      },
      { name: 'apk --no-cache', text: 'FROM alpine:3.22\nRUN apk add --no-cache ca-certificates' },
      { name: 'apk -U --no-cache', text: 'FROM alpine:3.22\nRUN apk -U --no-cache add ca-certificates' },
      {
        name: 'apk update cleaned in the same RUN',
        text: 'FROM alpine:3.22\nRUN apk update && apk add --no-cache git && rm -rf /var/cache/apk/*',
      },
      {
        name: 'apk cache on a cache mount',
        text: 'FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/apk apk update && apk add git',
      },
      {
        name: 'builder stage caches do not ship',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add git\nFROM scratch\nCOPY --from=b /etc/passwd /etc/passwd',
      },
    ],
  },
  'chmod-in-later-layer': {
    flag: [
      {
        name: 'chmod of a downloaded program',
        text: 'FROM alpine:3.22\nADD https://example.com/releases/tool-linux-amd64 /usr/bin/tool\nRUN chmod +x /usr/bin/tool\nENTRYPOINT ["tool"]',
        expect: {
          at: '3:1-3:27',
          message:
            /chmod of \/usr\/bin\/tool \(a download, added by line 2\) stores it a second time.*ADD --chmod=755 and drop the chmod/,
        },
      },
      {
        name: 'chown of the built program, relative to WORKDIR, copied into a directory',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nRUN go build -o out/server ./cmd/server\nFROM alpine:3.22\nWORKDIR /app\nCOPY --from=build /src/out/server ./\nRUN adduser -D app && chown app:app server\nUSER app',
        expect: {
          at: '7:1-7:43',
          message:
            /chown of \/app\/server \(the program built in stage build, added by line 6\).*COPY --chown=app:app, the COPY placed after the RUN that creates the user/,
        },
      },
      {
        name: 'recursive chmod of the directory holding the program',
        text: 'FROM golang:1.25 AS build\nRUN go build -o /out/app .\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /opt/app/app\nRUN chmod -R 755 /opt/app',
        expect: {
          at: '5:1-5:26',
          message:
            /chmod -R of \/opt\/app stores \/opt\/app\/app .*COPY --chmod=755 \(it is executable already: go build writes mode 755\)/,
        },
      },
      {
        name: "a prebuilt binary of the project's program copied from the context",
        text: 'FROM alpine:3.22\nCOPY svc /usr/local/bin/svc\nRUN chmod 0755 /usr/local/bin/svc',
        project: project({ mainPackages: ['cmd/svc'], packages: [SVC_MAIN] }),
        expect: { at: '3:1-3:34', message: /a prebuilt program.*COPY --chmod=755/ },
      },
    ],
    pass: [
      {
        name: 'chmod of an entrypoint script',
        text: 'FROM alpine:3.22\nCOPY docker-entrypoint.sh /usr/bin/\nRUN chmod +x /usr/bin/docker-entrypoint.sh',
      },
      {
        name: 'chmod in a builder stage whose file is copied on',
        text: 'FROM alpine:3.22 AS fetch\nADD https://example.com/tool /bin/tool\nRUN chmod +x /bin/tool\nFROM scratch\nCOPY --from=fetch /bin/tool /bin/tool',
      },
      {
        name: 'setcap must rewrite the program in a RUN anyway',
        text: 'FROM alpine:3.22\nCOPY svc /bin/svc\nRUN chown app /bin/svc && setcap cap_net_bind_service=+ep /bin/svc',
        project: project({ mainPackages: ['cmd/svc'], packages: [SVC_MAIN] }),
      },
      {
        name: 'chmod of a file the same RUN downloads',
        text: 'FROM alpine:3.22\nRUN wget -O /usr/bin/tool https://example.com/tool && chmod +x /usr/bin/tool',
      },
      {
        name: 'chmod of another path than the copied program',
        text: 'FROM golang:1.25 AS build\nRUN go build -o /out/app .\nFROM alpine:3.22\nCOPY --from=build /out/app /usr/bin/app\nRUN mkdir /data && chmod 777 /data',
      },
      {
        name: 'a file copied from another image is of unknown size',
        text: 'FROM alpine:3.22\nCOPY --from=example.com/tools:1 /usr/bin/tool /usr/bin/tool\nRUN chmod +x /usr/bin/tool',
      },
    ],
  },
  'arg-out-of-scope': {
    flag: [
      {
        name: 'a global ARG read in a RUN of a stage that never declared it',
        text: 'ARG OS=linux\nARG ARCH=amd64\nFROM golang:1.25-alpine AS b\nRUN CGO_ENABLED=0 go build -ldflags "-X main.os=$OS" -o /app .',
        expect: {
          at: '4:49-4:52',
          message:
            /^\$OS is empty here: ARG OS is declared before the first FROM, and a stage sees such an ARG only once it declares it again; add `ARG OS` to this stage/,
        },
      },
      {
        name: 'a global ARG passed on to make as ${NAME}',
        text: 'ARG VERSION\nFROM golang:1.25 AS b\nRUN make VERSION=${VERSION} build',
        expect: { at: '3:18-3:28', message: /^\$VERSION is empty here/ },
      },
      {
        name: 'declared again in another stage only: this one still lacks it',
        text: 'ARG TAG=dev\nFROM golang:1.25 AS a\nARG TAG\nRUN echo $TAG > /a\nFROM a AS b\nRUN echo $TAG > /b',
        expect: { at: '6:10-6:14', message: /^\$TAG is empty here/ },
      },
    ],
    pass: [
      {
        name: 'the whole value of a Go setting: empty, it is Go default (the platform the RUN runs on)',
        text: 'ARG OS=linux\nARG ARCH=amd64\nFROM golang:1.25-alpine AS b\nRUN CGO_ENABLED=0 GOOS=$OS GOARCH="${ARCH}" go build -o /app .',
      },
      {
        name: 'declared again in the stage',
        text: 'ARG OS=linux\nFROM golang:1.25 AS b\nARG OS\nRUN GOOS=$OS go build -o /app .',
      },
      {
        name: 'set by ENV in a parent stage',
        text: 'ARG OS=linux\nFROM golang:1.25 AS base\nENV OS=linux\nFROM base\nRUN GOOS=$OS go build -o /app .',
      },
      {
        name: 'set by the shell in the RUN',
        text: 'ARG ARCH=amd64\nFROM alpine:3.22\nRUN ARCH=$(uname -m) && echo $ARCH',
      },
      {
        name: 'single-quoted: the shell does not expand it',
        text: "ARG OS=linux\nFROM alpine:3.22\nRUN echo 'GOOS=$OS' > /env",
      },
      {
        name: 'a variable the golang image sets',
        text: 'ARG GOLANG_VERSION=1.25\nFROM golang:${GOLANG_VERSION}\nRUN echo $GOLANG_VERSION',
      },
      {
        name: 'an image goimg does not know may set it',
        text: 'ARG APP_VERSION=1\nFROM example.com/base:1\nRUN echo $APP_VERSION',
      },
      {
        name: 'a RUN that sources a file may set it',
        text: 'ARG OS=linux\nFROM golang:1.25\nRUN . /etc/build.env && GOOS=$OS go build -o /app .',
      },
      {
        name: 'a heredoc with a quoted delimiter is not expanded',
        text: "# syntax=docker/dockerfile:1\nARG OS=linux\nFROM alpine:3.22\nRUN <<'EOF'\necho $OS\nEOF",
      },
    ],
  },
  'add-instead-of-copy': {
    flag: [
      {
        name: 'ADD of local files',
        text: 'FROM alpine:3.22\nADD . /src',
        expect: {
          at: '2:1-2:4',
          message: /ADD of local files \(\.\)/,
          output: 'FROM alpine:3.22\nCOPY . /src',
        },
      },
    ],
    pass: [
      { name: 'ADD of a URL', text: 'FROM alpine:3.22\nADD https://example.com/x.bin /x.bin' },
      { name: 'ADD of an archive', text: 'FROM alpine:3.22\nADD rootfs.tar.gz /' },
      {
        name: 'ADD of a quoted git URL (the shell reads the quotes away)',
        text: 'FROM alpine:3.22\nARG V=v1.2\nADD --keep-git-dir=true "https://github.com/o/r.git#$V" /src',
      },
      {
        name: 'ADD with --checksum: only a remote source may have one',
        text: 'FROM alpine:3.22\nARG URL\nADD --checksum=sha256:0123 ${URL} /x',
      },
    ],
  },
  'whole-tree-in-final': {
    flag: [
      {
        name: 'the repository a builder clones and compiles in, copied whole',
        text: 'FROM golang:1.25-alpine AS builder\nRUN git clone --depth 1 https://example.com/acme/app.git /tmp/app\nWORKDIR /tmp/app\nRUN go build\nFROM alpine:3.22\nCOPY --from=builder /tmp/app .\nENTRYPOINT ["./app"]',
        expect: { at: '6:1-6:31', message: /copies the whole source tree \/tmp\/app from builder/ },
      },
      {
        name: 'copies the workdir',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nFROM alpine:3.22\nCOPY --from=b /src /src',
        expect: { at: '6:1-6:24', message: /copies the whole source tree \/src from b/ },
      },
      {
        name: 'copies GOPATH',
        text: 'FROM golang:1.25 AS b\nFROM alpine:3.22\nCOPY --from=b /go /go',
        expect: { at: '3:1-3:22', message: /copies the whole Go tree or cache \/go from b/ },
      },
    ],
    pass: [
      {
        name: 'a repository of data files cloned beside the build and shipped',
        text: 'FROM golang:1.25-alpine AS builder\nRUN git clone https://example.com/acme/geodata /data\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM alpine:3.22\nCOPY --from=builder /data /data\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
      },
      {
        name: 'a Go toolchain the image puts on PATH to run go',
        text: 'FROM golang:1.25 AS build\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=build /usr/local/go /usr/local/go\nENV PATH=/usr/local/go/bin:$PATH\nCOPY --from=build /app /usr/local/bin/app\nENTRYPOINT ["/usr/local/bin/app"]',
      },
      {
        name: 'a debugger image: optimisation off (-N -l), sources shipped for delve',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -gcflags="all=-N -l" -o /app ./cmd/app\nFROM golang:1.25\nCOPY --from=build /src /src\nCOPY --from=build /app /app\nCMD ["dlv", "exec", "/app"]',
      },
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
        expect: {
          at: '2:5-2:23',
          message: /go build without CGO_ENABLED=0 in a builder with a C compiler/,
          output:
            'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
        },
      },
      {
        name: 'a runtime with the builder libc: advice (info), it runs as it is',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /app .\nFROM debian:13-slim\nCOPY --from=b /app /app\nCMD ["/app"]',
        expect: {
          at: '2:5-2:23',
          severity: 'info',
          message:
            /set CGO_ENABLED=0 for a static binary \(the final image has the same glibc, so it runs as it is; a static binary runs on any base\)$/,
          output:
            'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:13-slim\nCOPY --from=b /app /app\nCMD ["/app"]',
        },
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
      {
        name: 'the article: glibc builder, alpine runtime',
        text: SEED_ARTICLE,
        expect: {
          at: '7:5-7:23',
          message: /links glibc dynamically; the final image alpine:latest has musl only/,
          output: SEED_ARTICLE.replace('RUN go build', 'RUN CGO_ENABLED=0 go build'),
        },
      },
      {
        name: 'a network client library (it uses net) built with the default cgo, run on Alpine',
        text: 'FROM golang:1.18 AS b\nWORKDIR /app\nCOPY . .\nRUN go build -o bot ./main.go\nFROM alpine:3.22\nCOPY --from=b /app/bot /bot\nCMD ["/bot"]',
        project: project({
          cgoEvidence: [
            { kind: 'net', package: 'example.com/svc', file: 'main.go', line: 3, via: 'gopkg.in/telebot.v3' },
          ],
        }),
        expect: {
          at: '4:5-4:30',
          message:
            /^cgo is on by default in golang:1\.18 \(it has gcc\) and the program imports gopkg\.in\/telebot\.v3, which uses net \(the cgo DNS resolver links libc\), so go build links glibc dynamically; the final image alpine:3\.22 has musl only/,
          output:
            'FROM golang:1.18 AS b\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o bot ./main.go\nFROM alpine:3.22\nCOPY --from=b /app/bot /bot\nCMD ["/bot"]',
        },
      },
      {
        name: 'explicit cgo to scratch',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        expect: {
          at: '2:5-2:37',
          message: /CGO_ENABLED=1.*scratch has no libc at all/,
          output:
            'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        },
      },
      {
        name: 'musl builder to glibc runtime',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add --no-cache gcc musl-dev\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
        expect: {
          at: '3:5-3:23',
          message: /links musl dynamically; the final image debian:bookworm-slim has glibc only/,
          output:
            'FROM golang:1.25-alpine AS b\nRUN apk add --no-cache gcc musl-dev\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
        },
      },
      {
        name: 'C code compiled on a newer glibc than the runtime has',
        text: SQLITE_ON_TRIXIE,
        project: project({ cgoRequired: true, cgoEvidence: [SQLITE_MODULE] }),
        expect: {
          at: '2:5-2:23',
          message:
            /imports the cgo module github\.com\/mattn\/go-sqlite3.*Debian 13's glibc 2\.41 in golang:1\.25.*debian:bookworm-slim is Debian 12 with glibc 2\.36.*golang:<version>-bookworm/,
        },
      },
    ],
    pass: [
      {
        name: 'a golang builder pinned by digest alone: its variant (Alpine or Debian) is unknown',
        text: 'FROM golang@sha256:4bb4be21ac98da06bc26437ee870c4973f8039f13e9a1a36971b4517632b0fc6 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app\nCMD ["/app"]',
        project: ROOT_MAIN_PROJECT,
      },
      {
        name: 'a scratch stage that starts nothing exports the binary (--output)',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
      },
      {
        name: 'C code built on the release of the runtime',
        text: SQLITE_ON_TRIXIE.replace('golang:1.25', 'golang:1.25-bookworm'),
        project: project({ cgoRequired: true, cgoEvidence: [SQLITE_MODULE] }),
      },
      {
        name: 'a golang tag from before the trixie switch names no release',
        text: SQLITE_ON_TRIXIE.replace('golang:1.25', 'golang:1.24.2'),
        project: project({ cgoRequired: true, cgoEvidence: [SQLITE_MODULE] }),
      },
      {
        name: 'only the cgo of Go itself (net) on a newer glibc',
        text: SQLITE_ON_TRIXIE,
      },
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
        expect: { at: '3:1-3:39', message: /needs cgo but gcr\.io\/distroless\/static-debian12 has no libc/ },
      },
    ],
    pass: [
      {
        name: 'a scratch stage that starts nothing exports the binary (--output)',
        text: 'FROM golang:1.25 AS b\nRUN go build -o /app .\nFROM scratch AS binary\nCOPY --from=b /app /',
        project: project({ cgoRequired: true }),
      },
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
    flag: [
      {
        name: 'no ldflags',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '2:5-2:37',
          message: /go build without -ldflags="-s -w"/,
          output: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /app .',
        },
      },
      {
        name: '-w alone: DWARF dropped, the symbol table kept',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -ldflags \'-w -extldflags "-static"\' -o /app .',
        expect: {
          at: '2:5-2:73',
          message: /has -w but not -s: DWARF is already dropped, but the symbol table/,
          output:
            'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -ldflags \'-s -w -extldflags "-static"\' -o /app .',
        },
      },
    ],
    pass: [
      {
        name: 'stripped by a strip command on the output after the build',
        text: 'FROM golang:1.25-alpine AS b\nRUN apk add binutils\nRUN CGO_ENABLED=0 go build -o /bin/app . && strip --strip-all /bin/app',
      },
      {
        name: 'a debugger image: optimisation off (-N -l), sources shipped for delve',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -gcflags="all=-N -l" -o /app ./cmd/app\nFROM golang:1.25\nCOPY --from=build /src /src\nCOPY --from=build /app /app\nCMD ["dlv", "exec", "/app"]',
      },
      {
        name: '-s alone, which implies -w',
        text: 'FROM golang:1.25\nRUN CGO_ENABLED=0 go build -ldflags=-s -o /app .',
      },
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
    flag: [
      {
        name: 'no -trimpath',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .',
        expect: {
          at: '2:5-2:37',
          message: /go build without -trimpath/,
          output: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -trimpath -o /app .',
        },
      },
    ],
    pass: [
      {
        name: 'a Go 1.12 builder, which has no -trimpath',
        text: 'FROM golang:1.12-alpine AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app\nCMD ["/app"]',
      },
      {
        name: 'a debugger image: optimisation off (-N -l), sources shipped for delve',
        text: 'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -gcflags="all=-N -l" -o /app ./cmd/app\nFROM golang:1.25\nCOPY --from=build /src /src\nCOPY --from=build /app /app\nCMD ["dlv", "exec", "/app"]',
      },
      {
        name: 'a dependency warm-up before the sources arrive',
        text: 'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN go install github.com/mattn/go-sqlite3\nCOPY . .\nRUN CGO_ENABLED=1 go build -trimpath -o /app .',
        project: null,
      },
      {
        name: 'a compile check whose binary is thrown away',
        text: 'FROM golang:1.25\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /dev/null .',
      },
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
        expect: { at: '2:41-2:56', message: /the binary is UPX-packed/ },
      },
    ],
    pass: [{ name: 'upx only mentioned', text: 'FROM golang:1.25 AS b\nRUN echo "no upx here"' }],
  },
  'runs-as-root': {
    flag: [
      {
        name: 'a final stage chosen by the target OS, with a Windows variant: the USER belongs in the Linux stage (no fix)',
        text: 'FROM scratch AS app-linux\nCOPY app /app\nENTRYPOINT ["/app"]\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS app-windows\nCOPY app.exe /app.exe\nFROM app-$TARGETOS AS app',
        expect: {
          at: '1:1-1:26',
          message:
            /sets no USER, so the container runs as root; add USER 65534:65534 or use a nonroot base tag; the image is also built for Windows \(stage app-windows\), so set the USER in the Linux stage$/,
        },
      },
      {
        name: 'a daemon built from C in another stage, in an image that creates its user (info, no fix)',
        text: 'FROM debian:12 AS daemon\nRUN make -C /src install\nFROM golang:1.25 AS plugin\nWORKDIR /src\nCOPY . .\nRUN go build -buildmode=c-shared -o /plugin.so .\nFROM debian:12-slim\nRUN useradd -r mosq\nCOPY --from=daemon /usr/local/sbin/mosq /usr/sbin/mosq\nCOPY --from=plugin /plugin.so /plugin.so\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["/usr/sbin/mosq", "-c", "/etc/mosq.conf"]',
        expect: {
          at: '7:1-7:20',
          message: /mosq, built in stage daemon \(no Go\), may switch to the mosq user the image creates/,
          severity: 'info',
        },
      },
      {
        name: 'a program made by make in a golang stage (Go goimg cannot see), in an image that creates a user',
        text: 'FROM golang:1.25-alpine AS b\nWORKDIR /src\nCOPY . .\nRUN make\nFROM alpine:3.22\nRUN adduser -D app\nCOPY --from=b /src/app /usr/bin/app\nCMD ["/usr/bin/app"]',
        expect: {
          at: '5:1-5:17',
          message: /sets no USER, so the container runs as root/,
          output:
            'FROM golang:1.25-alpine AS b\nWORKDIR /src\nCOPY . .\nRUN make\nFROM alpine:3.22\nRUN adduser -D app\nCOPY --from=b /src/app /usr/bin/app\nUSER app\nCMD ["/usr/bin/app"]',
        },
      },
      {
        name: 'the Go program started in an image that creates a user but sets no USER',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nRUN adduser -D app\nCOPY --from=b /app /app\nCMD ["/app"]',
        expect: {
          at: '5:1-5:17',
          message: /sets no USER, so the container runs as root; add USER app, the user it creates$/,
          output:
            'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nRUN adduser -D app\nCOPY --from=b /app /app\nUSER app\nCMD ["/app"]',
        },
      },
      {
        name: 'an entrypoint script in an image that creates its user: it may switch to it (info, no fix)',
        text: 'FROM alpine:3.22\nRUN adduser -D -u 1000 app\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]',
        expect: {
          at: '1:1-1:17',
          message:
            /entrypoint script \/entrypoint\.sh may start the program as the app user the image creates/,
          severity: 'info',
        },
      },
      {
        name: 'no USER on alpine',
        text: 'FROM alpine:3.22\nCMD ["/app"]',
        expect: {
          at: '1:1-1:17',
          message: /\(alpine:3\.22\) sets no USER/,
          output: 'FROM alpine:3.22\nUSER 65534:65534\nCMD ["/app"]',
        },
      },
      {
        name: 'USER root',
        text: 'FROM gcr.io/distroless/static-debian12:nonroot\nUSER root\nCMD ["/app"]',
        expect: { at: '2:1-2:10', message: /switches to USER root/ },
      },
      {
        name: 'the program lives in /root: no USER fix (other users cannot enter /root)',
        text: 'FROM ubuntu:24.04\nWORKDIR /root/\nCOPY agent .\nCMD ["./agent"]',
        expect: { at: '1:1-1:18', message: /sets no USER.*after moving the program out of \/root/ },
      },
      {
        name: 'a service started by an explicit command (EXPOSE, no CMD)',
        text: 'FROM alpine:3.22\nEXPOSE 4150\nCOPY app /usr/local/bin/',
        expect: {
          at: '1:1-1:17',
          message: /\(alpine:3\.22\) sets no USER/,
          output: 'FROM alpine:3.22\nEXPOSE 4150\nCOPY app /usr/local/bin/\nUSER 65534:65534',
        },
      },
      {
        name: 'a Go program started in place of the nginx image own start',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM nginx:1.27\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        expect: {
          at: '5:1-5:16',
          message: /^the final stage \(nginx:1\.27\) sets no USER, so the container runs as root/,
          output:
            'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM nginx:1.27\nCOPY --from=b /app /app\nUSER 65534:65534\nENTRYPOINT ["/app"]',
        },
      },
      {
        name: 'a program started from /root that writes to a volume: both must change before USER',
        text: 'FROM alpine:3.22\nWORKDIR /root/\nCOPY app .\nVOLUME ["/var/lib/app"]\nENTRYPOINT ["./app"]',
        expect: {
          at: '1:1-1:17',
          message:
            /after moving the program out of \/root \(other users cannot enter it\) and once that user owns what the program writes \(VOLUME \["\/var\/lib\/app"\]\)$/,
        },
      },
      {
        name: 'a base that declares volumes for what its server writes (caddy): no USER fix',
        text: 'FROM caddy:2-alpine\nCOPY hub /usr/bin/caddy\nCMD ["caddy", "run"]',
        expect: {
          at: '1:1-1:20',
          message:
            /once that user owns what the program writes \(the volumes caddy declares, \/data and \/config\)$/,
        },
      },
      {
        name: 'a declared volume: no USER fix (the volume would belong to root)',
        text: 'FROM alpine:3.22\nCOPY app /usr/bin/app\nVOLUME /data\nCMD ["app"]',
        expect: {
          at: '1:1-1:17',
          message:
            /^the final stage \(alpine:3\.22\) sets no USER, so the container runs as root; add USER 65534:65534 or use a nonroot base tag, once that user owns what the program writes \(VOLUME \/data\)$/,
        },
      },
      {
        name: 'a program that links an embedded database: no USER fix',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app\nCMD ["/app"]',
        project: project({
          packages: [{ ...SVC_MAIN, dir: '.', importPath: 'example.com/svc', fileFacts: [DB_FILE] }],
        }),
        expect: {
          at: '5:1-5:17',
          message:
            /add USER 65534:65534 or use a nonroot base tag, once that user owns what the program writes \(it links modernc\.org\/sqlite\)$/,
        },
      },
      {
        name: 'a usage comment that mounts a volume: no USER fix',
        text: '# docker run -it --rm -v app-config:/app/config app\nFROM alpine:3.22\nCOPY app /app/app\nENTRYPOINT ["/app/app"]',
        expect: {
          at: '2:1-2:17',
          message:
            /once that user owns what the program writes \(the volume the usage comment mounts at \/app\/config\)$/,
        },
      },
    ],
    pass: [
      {
        name: 'a Windows image (no uids: USER 65534 means nothing there)',
        text: 'ARG NANOSERVER_VERSION\nFROM mcr.microsoft.com/windows/nanoserver:${NANOSERVER_VERSION}\nCOPY app.exe C:\\app.exe\nENTRYPOINT ["C:\\\\app.exe"]',
      },
      {
        name: 'a nonroot tag whose architecture an ARG fills',
        text: 'ARG ARCH\nFROM gcr.io/distroless/static:nonroot-${ARCH}\nCOPY app /usr/local/bin/app\nENTRYPOINT ["/usr/local/bin/app"]',
      },
      {
        name: 'a Windows variant of the golang image',
        text: 'FROM golang:1.25-nanoserver-ltsc2022 AS b\nCOPY app.exe C:/app.exe\nENTRYPOINT ["C:/app.exe"]',
      },
      {
        name: 'a runtime that installs firewall tools (they need root capabilities)',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache iptables nftables\nCOPY app /usr/bin/app\nENTRYPOINT ["app"]',
      },
      {
        name: 'the official nginx image started its own way: its master hands the work to the nginx user',
        text: 'FROM node:22 AS web\nWORKDIR /web\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=web /web/dist /usr/share/nginx/html',
      },
      {
        name: 'a thin layer over the image the project itself pushes (its user is set where it is built)',
        text: 'FROM example/app:latest\nENV APP_PORT=8080\nCMD ["app", "serve"]',
        context: { ...context(), pushedImages: new Set(['example/app']) },
      },
      {
        name: 'a test runner whose entry point is go test',
        text: 'FROM golang:1.25 AS test\nCOPY . .\nENTRYPOINT go test -race ./...',
      },
      {
        name: 'a test runner that runs go test through bash -c',
        text: 'FROM golang:1.25 AS test\nCOPY . .\nCMD ["/bin/bash", "-c", "go test -race ./..."]',
      },
      {
        name: 'an export stage: scratch without CMD or ENTRYPOINT starts nothing',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch AS output\nCOPY --from=b /app /app',
      },
      {
        name: 'a build image without CMD or ENTRYPOINT',
        text: 'FROM golang:1.25-alpine\nRUN apk add --no-cache git make',
      },
      { name: 'distroless nonroot', text: 'FROM gcr.io/distroless/static-debian12:nonroot\nCMD ["/app"]' },
      { name: 'USER 65532', text: 'FROM scratch\nUSER 65532:65532\nCMD ["/app"]' },
    ],
  },
  'shell-form-without-shell': {
    flag: [
      {
        name: 'shell CMD on scratch',
        text: 'FROM scratch\nCMD /app --port 8080',
        expect: {
          at: '2:1-2:21',
          message: /shell-form CMD runs \/bin\/sh -c, but scratch has no shell/,
          output: 'FROM scratch\nCMD ["/app", "--port", "8080"]',
        },
      },
    ],
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
      {
        name: 'a tree of prebuilt binaries per platform (no system) copied in, named by a variable',
        text: 'FROM scratch AS binaries\nADD dist/app_linux_amd64.tar.gz /linux/amd64\nFROM scratch\nARG TARGETPLATFORM\nCOPY --from=binaries /$TARGETPLATFORM /\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
        expect: { at: '3:1-3:13', message: /CA/ },
      },
      {
        name: 'TLS on scratch',
        text: 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
        expect: { at: '1:1-1:13', message: /TLS calls but scratch has no CA bundle/ },
      },
      {
        name: 'an https:// literal beside HTTP client code',
        text: 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({
          usesTls: true,
          tlsEvidence: [
            { kind: 'https-url', detail: 'https://api.example.com', file: 'api.go', line: 9 },
            { kind: 'http-client', detail: 'http.Get', file: 'fetch.go', line: 20 },
          ],
        }),
        expect: { at: '1:1-1:13', message: /TLS calls \(https:\/\/api\.example\.com at api\.go:9\)/ },
      },
      {
        name: 'only packages that never bring a CA bundle installed',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y tzdata tini && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
        expect: { at: '1:1-1:24', message: /TLS calls but debian:trixie-slim has no CA bundle/ },
      },
      {
        name: 'curl installed without its recommended packages',
        text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
        expect: { at: '1:1-1:24', message: /TLS calls but debian:trixie-slim has no CA bundle/ },
      },
    ],
    pass: [
      {
        name: 'an https:// literal alone, with no client code, is text the program writes out',
        text: 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({
          usesTls: true,
          tlsEvidence: [{ kind: 'https-url', detail: 'https://%s:%s', file: 'spec.go', line: 9 }],
        }),
      },
      {
        name: 'a root file system per platform copied in, named by a variable',
        text: 'FROM debian:bookworm-slim AS rootfs\nRUN apt-get update && apt-get install -y ca-certificates\nFROM scratch AS trees\nCOPY --from=rootfs / /linux/arm64\nFROM scratch\nARG TARGETPLATFORM\nCOPY --from=trees /$TARGETPLATFORM /\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
      },
      {
        name: 'a root file system assembled in another stage and copied whole to /',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM fedora:41 AS rootfs\nRUN dnf install -y --installroot=/image --releasever=41 ca-certificates tzdata\nFROM scratch\nCOPY --from=rootfs /image/ /\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
      },
      {
        name: 'curl installed with its recommended packages brings ca-certificates',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:trixie-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
      },
      {
        name: 'a library installed with recommended packages may bring ca-certificates',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:trixie-slim\nRUN apt-get update && apt-get install -y libspatialite8 && rm -rf /var/lib/apt/lists/*\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
      },
      {
        name: 'distroless without libssl still has the CA bundle',
        text: 'FROM gcr.io/distroless/base-nossl-debian12\nCOPY app /app\nENTRYPOINT ["/app"]',
        project: project({ usesTls: true }),
      },
      {
        name: 'an export stage (no CMD or ENTRYPOINT)',
        text: 'FROM scratch\nCOPY app /app',
        project: project({ usesTls: true }),
      },
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
        text: 'FROM alpine:3.22\nCOPY app /app\nCMD ["/app"]',
        project: project({ loadsTimeZones: true }),
        expect: { at: '1:1-1:17', message: /alpine:3\.22 has no \/usr\/share\/zoneinfo/ },
      },
    ],
    pass: [
      {
        name: 'a root file system assembled in another stage and copied whole to /',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM fedora:41 AS rootfs\nRUN dnf install -y --installroot=/image --releasever=41 tzdata\nFROM scratch\nCOPY --from=rootfs /image/ /\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        project: project({ loadsTimeZones: true }),
      },
      {
        name: 'time/tzdata embedded',
        text: 'FROM alpine:3.22\nCOPY app /app\nCMD ["/app"]',
        project: project({ loadsTimeZones: true, embedsTzdata: true }),
      },
      {
        name: 'apk add tzdata',
        text: 'FROM alpine:3.22\nRUN apk add --no-cache tzdata\nCOPY app /app\nCMD ["/app"]',
        project: project({ loadsTimeZones: true }),
      },
      {
        name: '-tags timetzdata',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -tags timetzdata -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        project: project({ loadsTimeZones: true }),
      },
      {
        name: 'a scratch stage that only exports the program (build --output), started nowhere',
        text: 'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch AS export\nCOPY --from=b /app /app',
        project: project({ loadsTimeZones: true }),
      },
    ],
  },
  'secrets-in-build-args': {
    flag: [
      {
        name: 'ARG GITHUB_TOKEN',
        text: 'FROM golang:1.25\nARG GITHUB_TOKEN\nRUN go mod download',
        expect: { at: '2:5-2:17', message: /ARG GITHUB_TOKEN carries a credential/ },
      },
      {
        name: 'COPY .netrc',
        text: 'FROM golang:1.25\nCOPY .netrc /root/.netrc',
        expect: { at: '2:1-2:25', message: /\.netrc is copied into a layer/ },
      },
      {
        name: 'COPY .env the program loads at run time: mount it when the container starts',
        text: 'FROM alpine:3.22\nCOPY app /app/\nCOPY .env /app/\nCMD ["/app/app"]',
        project: project({
          runtimeFiles: [{ kind: 'dotenv', detail: '.env', file: 'main.go', line: 9 }],
        }),
        context: {
          ...contextWith(['.env', 'app']),
          credentialFiles: new Map([['.env', 'NAME=app\r\nJWT_SECRET=s3cr3tvalue\r\n']]),
        },
        expect: {
          at: '3:1-3:16',
          message:
            /^\.env is copied into a layer, where its credentials stay for anyone who pulls the image; the program reads the file at run time: mount it at \/app\/\.env when the container starts \(a bind mount or a secret\) instead$/,
        },
      },
      {
        name: 'COPY .npmrc that holds an auth token',
        text: 'FROM node:22 AS ui\nCOPY .npmrc package.json ./\nRUN npm ci',
        context: {
          ...contextWith(['.npmrc', 'package.json']),
          credentialFiles: new Map([['.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdef123456\n']]),
        },
        expect: { at: '2:1-2:28', message: /^\.npmrc is copied into a layer/ },
      },
    ],
    pass: [
      {
        name: 'COPY .npmrc that holds only settings',
        text: 'FROM node:22 AS ui\nCOPY .npmrc package.json ./\nRUN npm ci',
        context: {
          ...contextWith(['.npmrc', 'package.json']),
          credentialFiles: new Map([['.npmrc', 'auto-install-peers=true\nstrict-peer-dependencies=false\n']]),
        },
      },
      {
        name: 'COPY .env whose secret-named keys are empty',
        text: 'FROM alpine:3.22\nCOPY .env /app/.env',
        context: {
          ...contextWith(['.env']),
          credentialFiles: new Map([['.env', 'PORT=8080\nAPI_TOKEN=\nDB_PASSWORD=""\n']]),
        },
      },
      {
        name: 'GOPRIVATE and token file path',
        text: 'FROM golang:1.25\nENV GOPRIVATE=github.com/acme/*\nARG NPM_TOKEN_FILE=/run/secrets/t',
      },
    ],
  },
  'go-insecure': {
    flag: [
      {
        name: 'GOSUMDB=off',
        text: 'FROM golang:1.25\nENV GOSUMDB=off',
        expect: { at: '2:5-2:16', message: /GOSUMDB=off turns off checksum verification/ },
      },
      {
        name: 'GOINSECURE on the command',
        text: 'FROM golang:1.25\nRUN GOINSECURE=* go mod download',
        expect: { at: '2:5-2:17', message: /GOINSECURE fetches modules without TLS verification/ },
      },
      {
        name: 'go env -w GONOSUMDB',
        text: 'FROM golang:1.25\nRUN go env -w GONOSUMDB=example.com',
        expect: { at: '2:15-2:36', message: /GONOSUMDB skips checksum database verification/ },
      },
      {
        name: 'export GOFLAGS=-insecure',
        text: 'FROM golang:1.25\nRUN export GOFLAGS=-insecure && go build',
        expect: { at: '2:12-2:29', message: /GOFLAGS=-insecure allows insecure module fetches/ },
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
      {
        name: 'an end-of-life builder whose system does not ship (info)',
        text: 'FROM golang:1.25-buster AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        expect: {
          at: '1:6-1:24',
          message:
            /no more security updates for the tools the build runs \(nothing of it ships\); move to debian/,
          severity: 'info',
        },
      },
      {
        name: 'alpine 3.16',
        text: 'FROM alpine:3.16',
        expect: {
          at: '1:6-1:17',
          message: /alpine 3\.16, end of life since 2024-05-23.*move to alpine 3\.24/,
        },
      },
      {
        name: 'golang on buster',
        text: 'FROM golang:1.25-buster',
        expect: { at: '1:6-1:24', message: /debian 10 \(buster\), end of life since 2024-06-30/ },
      },
      {
        name: 'golang on an alpine branch older than 3.12',
        text: 'FROM golang:1.13-alpine3.10',
        expect: { at: '1:6-1:28', message: /alpine 3\.10, end of life since 2021-05-01/ },
      },
    ],
    pass: [
      { name: 'alpine 3.22 and bookworm', text: 'FROM golang:1.25-bookworm AS b\nFROM alpine:3.22' },
      {
        name: "an ARG default the project's build files replace, through another ARG",
        text: 'ARG ALPINE_VERSION=3.16\nARG BASE=alpine:${ALPINE_VERSION}\nFROM ${BASE}',
        context: { ...context(), passedArgs: new Set(['ALPINE_VERSION']) },
      },
    ],
  },
  'x-flag-unknown-package': {
    flag: [
      {
        name: 'a package named by its last element, not its import path',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nARG VERSION=dev\nRUN CGO_ENABLED=0 go build -ldflags "-s -w -X server.serverVersion=${VERSION},server.gitCommit=x" -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        project: VERSIONED_PROJECT,
        expect: {
          at: '5:5-5:108',
          message:
            /-X server\.serverVersion sets nothing: server is not an import path \(-X needs the full path\).*the project has a package server at example\.com\/svc\/server/,
        },
      },
      {
        name: 'a path inside the module where no package is',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags="-X \'example.com/svc/util.Version=1\'" -o /app .\nCMD ["/app"]',
        project: VERSIONED_PROJECT,
        expect: { at: '4:5-4:70', message: /the module has no package example\.com\/svc\/util/ },
      },
    ],
    pass: [
      {
        name: 'full import paths of the project, a dependency, main and the standard library',
        text: 'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags "-X example.com/svc/server.Version=1 -X github.com/google/uuid/x.Y=2 -X main.commit=3 -X runtime.buildVersion=4" -o /app .\nCMD ["/app"]',
        project: VERSIONED_PROJECT,
      },
      {
        name: 'a path set by a build argument',
        text: 'FROM golang:1.25 AS b\nARG PKG\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags "-X ${PKG}.Version=1" -o /app .\nCMD ["/app"]',
        project: VERSIONED_PROJECT,
      },
      {
        name: 'another module built with go install tool@version',
        text: 'FROM golang:1.25\nRUN go install -ldflags "-X version.V=1" example.org/tool@v1.0.0',
        project: VERSIONED_PROJECT,
      },
    ],
  },
  'single-arch-binary': {
    flag: [
      {
        name: 'an ARMv6 target built as ARMv7, copied into a final image pinned to one platform',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH CGO_ENABLED=0 go build -o /app .\nFROM --platform=linux/amd64 gcr.io/distroless/static:nonroot\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        context: { ...context(), targetPlatforms: ['linux/386', 'linux/arm/v6'] },
        expect: {
          at: '3:5-3:71',
          message:
            /build this image for linux\/arm\/v6 too, but go build cross-compiles GOARCH from TARGETARCH without GOARM/,
        },
      },
      {
        name: 'a builder on the build platform without GOARCH',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: {
          at: '4:5-4:37',
          message:
            /build this image for linux\/amd64, linux\/arm64, but go build compiles for one architecture \(no GOARCH in a builder on --platform=\$BUILDPLATFORM: the build machine's\)/,
        },
      },
      {
        name: 'GOARCH fixed in the environment',
        text: 'FROM golang:1.25 AS b\nENV GOARCH=amd64\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: { at: '5:5-5:23', message: /\(GOARCH=amd64\)/ },
      },
      {
        name: 'a cross-compile for linux/arm/v6 without GOARM builds ARMv7 code',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS TARGETARCH\nWORKDIR /src\nCOPY . .\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm/v6', 'linux/arm64'] },
        expect: {
          at: '5:5-5:57',
          message:
            /^the project's build files build this image for linux\/arm\/v6 too, but go build cross-compiles GOARCH from TARGETARCH without GOARM: Go then builds for ARMv7/,
        },
      },
      {
        name: 'the runtime image itself taken for the build platform',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS TARGETARCH\nWORKDIR /src\nCOPY . .\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM --platform=$BUILDPLATFORM debian:13-slim\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: {
          at: '6:1-6:46',
          message:
            /but its base is taken for --platform=\$BUILDPLATFORM: every image carries the build machine's userland/,
        },
      },
      {
        name: 'a prebuilt program copied from the context for every platform',
        text: 'FROM alpine:3.22\nCOPY svc /usr/bin/svc\nENTRYPOINT ["svc"]',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
        expect: {
          at: '2:1-2:22',
          message:
            /^the project.s build files build this image for linux\/amd64, linux\/arm64, but this COPY takes one prebuilt svc from the context for all of them: the images for other architectures carry a program their machines cannot run \(exec format error\)/,
        },
      },
    ],
    pass: [
      {
        name: 'a builder on the build platform whose RUN sources a file that may set GOARCH',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETPLATFORM\nCOPY env.sh /env.sh\nRUN /env.sh > /env\nCOPY . .\nRUN set -a && . /env && set +a && go build -o /app .\nFROM debian:13-slim\nCOPY --from=b /app /app',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'a prebuilt program per platform, chosen by TARGETARCH',
        text: 'FROM alpine:3.22\nARG TARGETARCH\nCOPY dist/svc-${TARGETARCH} /usr/bin/svc\nENTRYPOINT ["svc"]',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'a prebuilt program in a context a release tool assembles per platform',
        text: 'FROM alpine:3.22\nCOPY svc /usr/bin/svc\nENTRYPOINT ["svc"]',
        project: ROOT_MAIN_PROJECT,
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'], assembledBy: 'goreleaser' },
      },
      {
        name: 'a prebuilt program, one platform',
        text: 'FROM alpine:3.22\nCOPY svc /usr/bin/svc\nENTRYPOINT ["svc"]',
        project: ROOT_MAIN_PROJECT,
      },
      {
        name: 'scratch taken for the build platform: no userland, the program compiled for the target',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS TARGETARCH\nWORKDIR /src\nCOPY . .\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM --platform=$BUILDPLATFORM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'GOARM from TARGETVARIANT for the old ARM targets',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS TARGETARCH TARGETVARIANT\nWORKDIR /src\nCOPY . .\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm/v6', 'linux/arm64'] },
      },
      {
        name: 'xx-go, which sets GOARM from the target variant',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nCOPY --from=tonistiigi/xx / /\nWORKDIR /src\nCOPY . .\nRUN xx-go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm/v6', 'linux/arm64'] },
      },
      {
        name: 'GOARCH from TARGETARCH',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS TARGETARCH\nWORKDIR /src\nCOPY . .\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'GOARCH exported by the shell from TARGETPLATFORM',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETPLATFORM\nWORKDIR /src\nCOPY . .\nRUN export GOARCH=$(echo $TARGETPLATFORM | cut -d/ -f2) && go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'xx-go, which builds for the target platform',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nCOPY --from=tonistiigi/xx / /\nWORKDIR /src\nCOPY . .\nRUN xx-go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'one build per architecture, the final image picking its own',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN GOARCH=amd64 go build -o /out/amd64/app . && GOARCH=arm64 go build -o /out/arm64/app .\nFROM scratch\nARG TARGETARCH\nCOPY --from=b /out/${TARGETARCH}/app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'a GOARCH build argument the build may set',
        text: 'FROM golang:1.25 AS b\nARG GOARCH=amd64\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'a final image pinned to one platform',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM --platform=linux/amd64 alpine:3.22\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64', 'linux/arm64'] },
      },
      {
        name: 'one platform',
        text: 'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
        context: { ...context(), targetPlatforms: ['linux/amd64'] },
      },
    ],
  },
  'cmd-repeats-entrypoint': {
    flag: [
      {
        name: 'the program named again at the head of CMD',
        text: 'FROM alpine:3.22\nCOPY app /usr/bin/app\nENTRYPOINT ["/usr/bin/app"]\nCMD [ "app", "serve", "--all" ]',
        expect: {
          at: '4:1-4:32',
          message: /the container runs `\/usr\/bin\/app app serve --all`/,
          output:
            'FROM alpine:3.22\nCOPY app /usr/bin/app\nENTRYPOINT ["/usr/bin/app"]\nCMD [ "serve", "--all" ]',
        },
      },
      {
        name: 'behind tini, CMD the program alone (no fix: nothing would be left)',
        text: 'FROM alpine:3.22\nCOPY app /app\nENTRYPOINT ["tini", "--", "/app"]\nCMD ["/app"]',
        expect: { at: '4:1-4:13', message: /runs `tini -- \/app \/app`/ },
      },
    ],
    pass: [
      {
        name: 'an entrypoint script that runs its arguments',
        text: 'FROM alpine:3.22\nCOPY entrypoint.sh app /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["/app", "serve"]',
      },
      {
        name: 'a CMD of a parent stage, dropped by the ENTRYPOINT of the final one',
        text: 'FROM alpine:3.22 AS base\nCMD ["app"]\nFROM base\nENTRYPOINT ["app"]',
      },
      {
        name: 'a multi-call program given the tool to run',
        text: 'FROM busybox:1.37\nENTRYPOINT ["busybox"]\nCMD ["busybox", "--help"]',
      },
      {
        name: 'CMD in shell form, which a shell runs',
        text: 'FROM alpine:3.22\nENTRYPOINT ["/app"]\nCMD app serve',
      },
    ],
  },
};
