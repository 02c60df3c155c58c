/**
 * Rules that read what the Dockerfile does: cache mounts on parent directories, stage
 * inheritance, local replaces, secrets judged by value and use, entrypoints that drop
 * privileges, floating tags, Go support by date, and the fixes' pins and platform rewrites.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuditFinding } from '../../../src/audit/engine.js';
import { applyEdits } from '../../../src/fix/apply-edits.js';
import { bundledGoReleases } from '../../../src/releases/bundled.js';
import { releasedGo, supportedGo } from '../../../src/rules/audit/base-images.js';
import { audit, NOW, project } from './helpers.js';

function only(findings: AuditFinding[], rule: string): AuditFinding[] {
  return findings.filter((f) => f.rule === rule);
}

function fixed(text: string, f: AuditFinding): string {
  assert.ok(f.fix, `${f.rule} offers a fix`);
  return applyEdits(text, f.fix.edits);
}

describe('cache mounts and module download steps', () => {
  test('a cache mount on /root/.cache and /go/pkg holds GOCACHE and GOMODCACHE', () => {
    const text =
      'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=cache,target=/go/pkg \\\n    CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nUSER 1\n';
    const f = audit(text);
    assert.deepEqual(only(f, 'no-go-cache-mount'), []);
    assert.deepEqual(only(f, 'cache-mount-target-mismatch'), []);
    // Modules in a cache mount survive source changes: no download step is needed for caching.
    assert.deepEqual(only(f, 'no-module-download-step'), []);
  });

  test('a stage FROM a stage that already downloaded modules has its download step', () => {
    const text =
      'FROM golang:1.25 AS deps\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nFROM deps AS b\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nUSER 1\n';
    const f = audit(text);
    assert.deepEqual(only(f, 'no-module-download-step'), []);
    // The modules are in the parent's layer: the build misses only the build cache.
    const mount = only(f, 'no-go-cache-mount');
    assert.deepEqual(
      mount.map((m) => [m.line, m.message]),
      [
        [
          4,
          'go mod download runs without a BuildKit cache mount for the module cache: every build starts cold',
        ],
        [7, 'go build runs without a BuildKit cache mount for the build cache: every build starts cold'],
      ],
    );
  });

  test('a local replace needs only its go.mod before go mod download (a glob counts)', () => {
    const p = project({ localReplaceDirs: ['pkg/client'] });
    const ok =
      'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY pkg/client/go.* pkg/client/\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n';
    assert.deepEqual(only(audit(ok, { project: p }), 'local-replace-missing'), []);
    const missing = ok.replace('COPY pkg/client/go.* pkg/client/\n', '');
    const f = only(audit(missing, { project: p }), 'local-replace-missing');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'error');
    assert.equal(f[0]!.line, 4);
    assert.match(
      f[0]!.message,
      /local directory pkg\/client, whose go\.mod is not copied before go mod download/,
    );
  });
});

describe('secrets-in-build-args judges the value and where it goes', () => {
  test('empty defaults, /run/secrets paths, {} and unused args are not secrets', () => {
    const text = [
      'FROM golang:1.25',
      'ARG API_TOKEN=""',
      'ENV JWT_SECRET=',
      'ENV SESSION_SECRETFILE=/run/secrets/session',
      'ENV AUTH_CONFIG={}',
      'ARG DB_PASSWORD=changeme',
      'RUN go version',
    ].join('\n');
    assert.deepEqual(only(audit(text, { project: null }), 'secrets-in-build-args'), []);
  });

  test('a real-looking default, and an ARG a RUN consumes, are reported', () => {
    const text = [
      'FROM golang:1.25',
      'ARG GITHUB_TOKEN=ghp_0123456789abcdefABCDEF',
      'ARG NPM_TOKEN=',
      'RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc',
      'ENV SERVICE_PASSWORD=$NPM_TOKEN',
    ].join('\n');
    const f = only(audit(text, { project: null }), 'secrets-in-build-args');
    assert.deepEqual(
      f.map((x) => [x.line, x.message.split(':')[0]]),
      [
        [2, 'ARG GITHUB_TOKEN has a credential as its default'],
        [3, 'ARG NPM_TOKEN carries a credential into a RUN'],
        [
          5,
          'ENV SERVICE_PASSWORD copies a credential build arg into the image config, where anyone who pulls the image reads it; use RUN --mount=type=secret'.split(
            ':',
          )[0],
        ],
      ],
    );
  });
});

describe('runs-as-root where the entrypoint drops privileges', () => {
  test('su-exec in the ENTRYPOINT: info, saying so, and no USER fix', () => {
    const text =
      'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nRUN apk add --no-cache su-exec\nCOPY --from=b /app /app\nENTRYPOINT ["su-exec", "app", "/app"]\n';
    const f = only(audit(text), 'runs-as-root');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'info');
    assert.equal(f[0]!.line, 3);
    assert.equal(
      f[0]!.message,
      'the final stage (alpine:3.22) sets no USER, but the ENTRYPOINT starts the program through su-exec: make sure the service itself does not run as root',
    );
    assert.equal(f[0]!.fixable, false);
  });

  test('an unknown base whose own entrypoint runs the CMD, with files handed to a user: silent', () => {
    const text =
      'FROM golang:1.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM example.com/base:app-1.0\nCOPY --from=b /app /srv/app\nRUN chown -R app:app /srv\nCMD ["/srv/app"]\n';
    assert.deepEqual(only(audit(text), 'runs-as-root'), []);
  });

  test('no USER and a plain entrypoint: still a warning with its fix', () => {
    const text = 'FROM alpine:3.22\nCOPY app /app\nENTRYPOINT ["/app"]\n';
    const f = only(audit(text, { project: null }), 'runs-as-root');
    assert.equal(f[0]!.severity, 'warning');
    assert.equal(
      fixed(text, f[0]!),
      'FROM alpine:3.22\nCOPY app /app\nUSER 65534:65534\nENTRYPOINT ["/app"]\n',
    );
  });
});

describe('unpinned-base-image: floating tags say what floats', () => {
  const cases: [string, RegExp][] = [
    ['golang:alpine', /the Go version/],
    ['golang:1-alpine', /the Go minor release \(golang:1 follows every Go 1\.x release\)/],
    ['golang:trixie', /the Go version/],
    ['golang:alpine3.23', /the Go version/],
    ['alpine:edge', /everything \(edge is a development branch/],
    ['debian:sid-slim', /everything \(sid is a development branch/],
    ['debian:stable-slim', /the release \(stable moves to each new release\)/],
    ['node:lts-alpine', /the release \(lts moves/],
    ['example.com/tools:edge', /everything/],
  ];
  for (const [ref, what] of cases) {
    test(ref, () => {
      const text = `FROM ${ref}\nRUN true\n`;
      const f = only(audit(text, { project: null }), 'unpinned-base-image');
      assert.equal(f.length, 1);
      assert.equal(f[0]!.column, 6);
      assert.match(f[0]!.message, new RegExp(`^${ref.replace(/[.]/g, '\\.')} floats: `));
      assert.match(f[0]!.message, what);
    });
  }

  test('a latest-* tag with an ARG left in it floats too; pinned tags do not', () => {
    const f = only(
      audit('ARG ARCH\nFROM example.com/runtime:latest-${ARCH}\n', { project: null }),
      'unpinned-base-image',
    );
    assert.equal(f.length, 1);
    for (const ref of ['golang:1.25-alpine3.22', 'debian:bookworm-slim', 'alpine:3.22', 'node:22-alpine']) {
      assert.deepEqual(only(audit(`FROM ${ref}\n`, { project: null }), 'unpinned-base-image'), [], ref);
    }
  });

  test("golang:latest is pinned to the newest Go released by the audit date, not go.mod's minimum", () => {
    const text = 'FROM golang:latest AS b\nRUN CGO_ENABLED=0 go build -o /app .\n';
    const newest = releasedGo(bundledGoReleases(), NOW)[0]!.version;
    const f = only(audit(text), 'unpinned-base-image');
    assert.equal(fixed(text, f[0]!), `FROM golang:${newest} AS b\nRUN CGO_ENABLED=0 go build -o /app .\n`);
    // A toolchain line newer than any release in the table wins.
    const newer = project({ goMod: { ...project().goMod!, go: '1.22', toolchain: 'go1.99.1' } });
    const g = only(audit('FROM golang:alpine AS b\n', { project: newer }), 'unpinned-base-image');
    assert.equal(fixed('FROM golang:alpine AS b\n', g[0]!), 'FROM golang:1.99-alpine AS b\n');
  });
});

describe('go-version-unsupported', () => {
  test('support is judged on the audit date', () => {
    assert.deepEqual(supportedGo(bundledGoReleases(), new Date('2025-09-01T00:00:00Z')), ['1.25', '1.24']);
    assert.deepEqual(supportedGo(bundledGoReleases(), new Date('2026-12-04T00:00:00Z')), ['1.27', '1.26']);
  });

  test('a Go older than the table, and a builder that compiles through make', () => {
    const old = only(
      audit('FROM golang:1.9 AS b\nRUN go build -o /app .\n', { project: null }),
      'go-version-unsupported',
    );
    assert.equal(old.length, 1);
    assert.match(old[0]!.message, /^Go 1\.9 is out of upstream support \(supported: 1\.25 and 1\.24/);
    const make = only(
      audit(
        'FROM golang:1.20-alpine AS b\nCOPY . .\nRUN make build\nFROM alpine:3.22\nCOPY --from=b /src/app /app\n',
        {
          project: null,
        },
      ),
      'go-version-unsupported',
    );
    assert.deepEqual(
      make.map((f) => [f.line, f.column]),
      [[1, 6]],
    );
  });
});

describe('emulated-cross-build fix', () => {
  test('a go install tool@version stays native; the project build gets GOOS/GOARCH', () => {
    const text =
      'FROM golang:1.25 AS b\nARG TARGETARCH\nRUN go install example.com/tool/cmd/sign@v1.0.0\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n';
    const f = only(audit(text), 'emulated-cross-build');
    assert.equal(
      fixed(text, f[0]!),
      'FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nARG TARGETOS\nARG TARGETARCH\nRUN go install example.com/tool/cmd/sign@v1.0.0\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n',
    );
  });

  test('a project go install without -o would move its output: reported without a fix', () => {
    const text =
      'FROM golang:1.25 AS b\nARG TARGETARCH\nRUN CGO_ENABLED=0 go install ./cmd/app\nFROM scratch\nCOPY --from=b /go/bin/app /app\n';
    const f = only(audit(text), 'emulated-cross-build');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.fixable, false);
  });
});

describe('cgo-not-disabled in a builder that is not a golang image', () => {
  test('an alpine builder that installs go and gcc: cgo is on by default', () => {
    const text =
      'FROM alpine:3.22 AS b\nRUN apk add --no-cache go gcc musl-dev\nWORKDIR /src\nCOPY . .\nRUN go build -trimpath -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app\nUSER 1\n';
    const f = only(audit(text), 'cgo-not-disabled');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.line, 5);
    assert.equal(fixed(text, f[0]!), text.replace('RUN go build', 'RUN CGO_ENABLED=0 go build'));
  });
});

describe('no-module-download-step through make', () => {
  test('COPY of the whole source, then make build in a golang stage: reported at the copy, without a fix', () => {
    const text =
      'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN make build-local\nFROM scratch\nCOPY --from=b /src/app /app\nUSER 1\n';
    const f = only(audit(text), 'no-module-download-step');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.line, 3);
    assert.match(f[0]!.message, /`make build-local` fetches the 1 required module\(s\) inside the build/);
    assert.equal(f[0]!.fixable, false);
    const chained = text.replace(
      'RUN make build-local',
      'RUN echo "deb x" >> /etc/apt/sources.list && \\\n  make build-local',
    );
    assert.match(only(audit(chained), 'no-module-download-step')[0]!.message, /: `make build-local` fetches/);
    const docs = text.replace('make build-local', 'make docs');
    assert.deepEqual(only(audit(docs), 'no-module-download-step'), []);
    const downloaded = text.replace('COPY . .\n', 'COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n');
    assert.deepEqual(only(audit(downloaded), 'no-module-download-step'), []);
  });

  test('a make target named after a program of the project (server, server-static) builds it', () => {
    const server = project({
      mainPackages: ['cmd/server'],
      packages: [
        {
          dir: 'cmd/server',
          importPath: 'example.com/svc/cmd/server',
          name: 'main',
          files: ['main.go'],
          imports: [],
          embeds: [],
        },
      ],
    });
    const text = (target: string) =>
      `FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN make clean\nRUN make ${target}\nFROM scratch\nCOPY --from=b /src/server /server\nUSER 1\n`;
    const f = only(audit(text('server-static'), { project: server }), 'no-module-download-step');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /`make server-static` fetches the 1 required module\(s\)/);
    assert.deepEqual(
      only(audit(text('serverless-docs'), { project: server }), 'no-module-download-step'),
      [],
    );
  });
});
