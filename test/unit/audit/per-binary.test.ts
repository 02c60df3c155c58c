/**
 * Needs come from the program a Dockerfile builds: the main package it compiles and that
 * package's imports, with the build's tags and CGO_ENABLED; not from tests, other modules of the
 * repository or packages nothing imports. Each case is a small project written for the test.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type AuditFinding, auditDockerfile } from '../../../src/audit/engine.js';
import { scanProject } from '../../../src/project/scan.js';
import { context, NOW } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Writes a project (path → text) and scans it. */
async function project(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-perbin-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return scanProject(dir);
}

async function audit(files: Record<string, string>, dockerfile: string): Promise<AuditFinding[]> {
  return auditDockerfile({
    file: 'Dockerfile',
    text: dockerfile,
    project: await project(files),
    context: context(['.git']),
    now: NOW,
  });
}

function only(findings: AuditFinding[], rule: string): AuditFinding[] {
  return findings.filter((f) => f.rule === rule);
}

const MOD = 'module example.com/app\n\ngo 1.25\n';

const SQLITE_MAIN =
  'package main\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/mattn/go-sqlite3"\n)\n\nfunc main() { _, _ = sql.Open("sqlite3", "x") }\n';

const STATIC_BUILD = (env: string) =>
  `FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\n${env}RUN go build -o /app ./cmd/app\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n`;

describe('cgo-required-static-base: the built program, its cgo setting and its tags', () => {
  test('a main package that imports a cgo-only module on a libc-less base is an error naming the import', async () => {
    const f = only(
      await audit({ 'go.mod': MOD, 'cmd/app/main.go': SQLITE_MAIN }, STATIC_BUILD('')),
      'cgo-required-static-base',
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'error');
    assert.equal(f[0]!.line, 5);
    assert.match(
      f[0]!.message,
      /^the program built from cmd\/app needs cgo \(it imports the cgo module github\.com\/mattn\/go-sqlite3 \(cmd\/app\/main\.go:6\)\)/,
    );
  });

  test('ENV CGO_ENABLED 0 (legacy form) earlier in the stage: no finding', async () => {
    const f = await audit(
      { 'go.mod': MOD, 'cmd/app/main.go': SQLITE_MAIN },
      STATIC_BUILD('ENV CGO_ENABLED 0\n'),
    );
    assert.deepEqual(only(f, 'cgo-required-static-base'), []);
  });

  test('CGO_ENABLED=0 set by ENV for a go build whose arguments goimg cannot read: no finding', async () => {
    const dockerfile =
      'FROM golang:1.25 AS build\nENV CGO_ENABLED=0 GOFLAGS="-mod=readonly"\nWORKDIR /src\nCOPY . .\n' +
      'RUN go build $(if [ -n "$FEATURES" ]; then echo "-tags $FEATURES"; fi) -o app\n' +
      'FROM gcr.io/distroless/static-debian12\nCOPY --from=build /src/app /usr/local/bin/\nCMD ["app"]\n';
    const files = { 'go.mod': MOD, 'main.go': SQLITE_MAIN };
    assert.deepEqual(only(await audit(files, dockerfile), 'cgo-required-static-base'), []);
    // The same build with cgo left on is still an error: the program is found by its name.
    const cgoOn = only(
      await audit(files, dockerfile.replace('CGO_ENABLED=0 ', '')),
      'cgo-required-static-base',
    );
    assert.equal(cgoOn.length, 1);
    assert.equal(cgoOn[0]!.severity, 'error');
  });

  test('a prebuilt binary (built outside the Dockerfile): how it was linked is not known, a warning', async () => {
    const f = only(
      await audit(
        { 'go.mod': MOD, 'cmd/app/main.go': SQLITE_MAIN },
        'FROM scratch\nCOPY dist/app /app\nENTRYPOINT ["/app"]\n',
      ),
      'cgo-required-static-base',
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'warning');
    assert.match(f[0]!.message, /unless its build links it statically, it cannot start/);
  });

  test('a cgo module used by another module of the repository, or by a package nothing imports: no finding', async () => {
    const f = await audit(
      {
        'go.mod': MOD,
        'cmd/app/main.go': 'package main\n\nfunc main() {}\n',
        'tools/go.mod': 'module example.com/tools\n\ngo 1.25\n',
        'tools/db/main.go': SQLITE_MAIN,
        'internal/unused/db.go': 'package unused\n\nimport _ "github.com/mattn/go-sqlite3"\n',
      },
      STATIC_BUILD(''),
    );
    assert.deepEqual(only(f, 'cgo-required-static-base'), []);
  });

  test('a file behind a build tag counts only when the build sets the tag', async () => {
    const files = {
      'go.mod': MOD,
      'cmd/app/main.go': 'package main\n\nimport _ "example.com/app/store"\n\nfunc main() {}\n',
      'store/store.go': 'package store\n',
      'store/sqlite.go': '//go:build sqlite\n\npackage store\n\nimport _ "github.com/mattn/go-sqlite3"\n',
    };
    assert.deepEqual(only(await audit(files, STATIC_BUILD('')), 'cgo-required-static-base'), []);
    const tagged = STATIC_BUILD('').replace('go build -o', 'go build -tags sqlite -o');
    assert.equal(only(await audit(files, tagged), 'cgo-required-static-base').length, 1);
  });
});

const TZ_BUILD =
  'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=build /app /app\nUSER 65534\nENTRYPOINT ["/app"]\n';

describe('missing-tzdata: zones the program itself loads', () => {
  test('LoadLocation in a package main imports: a warning that says where', async () => {
    const f = only(
      await audit(
        {
          'go.mod': MOD,
          'main.go': 'package main\n\nimport "example.com/app/clock"\n\nfunc main() { clock.Paris() }\n',
          'clock/clock.go':
            'package clock\n\nimport "time"\n\nfunc Paris() { _, _ = time.LoadLocation("Europe/Paris") }\n',
        },
        TZ_BUILD,
      ),
      'missing-tzdata',
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'warning');
    assert.equal(f[0]!.line, 5);
    assert.match(
      f[0]!.message,
      /\(time\.LoadLocation at clock\/clock\.go:5\) but alpine:3\.22 has no \/usr\/share\/zoneinfo/,
    );
  });

  test('LoadLocation in a package only tests import, and TZ forced to UTC: no finding', async () => {
    const f = await audit(
      {
        'go.mod': MOD,
        'main.go': 'package main\n\nimport "os"\n\nfunc main() { _ = os.Setenv("TZ", "UTC") }\n',
        'main_test.go': 'package main\n\nimport _ "example.com/app/testzones"\n',
        'testzones/zones.go':
          'package testzones\n\nimport "time"\n\nvar _, _ = time.LoadLocation("Asia/Tokyo")\n',
      },
      TZ_BUILD,
    );
    assert.deepEqual(only(f, 'missing-tzdata'), []);
  });

  test('time/tzdata linked, or a golang runtime base (GOROOT zoneinfo.zip): no finding', async () => {
    const files = {
      'go.mod': MOD,
      'main.go':
        'package main\n\nimport (\n\t"time"\n\t_ "time/tzdata"\n)\n\nfunc main() { _, _ = time.LoadLocation("Europe/Paris") }\n',
    };
    assert.deepEqual(only(await audit(files, TZ_BUILD), 'missing-tzdata'), []);
    const plain = { 'go.mod': MOD, 'main.go': files['main.go'].replace('\t_ "time/tzdata"\n', '') };
    assert.equal(only(await audit(plain, TZ_BUILD), 'missing-tzdata').length, 1);
    const golangRuntime = TZ_BUILD.replace('FROM alpine:3.22', 'FROM golang:1.25-alpine');
    assert.deepEqual(only(await audit(plain, golangRuntime), 'missing-tzdata'), []);
  });

  test('a prebuilt binary is recognised by its name among several main packages', async () => {
    const files = {
      'go.mod': MOD,
      'cmd/server/main.go':
        'package main\n\nimport "time"\n\nfunc main() { _, _ = time.LoadLocation("Europe/Paris") }\n',
      'cmd/lint/main.go': 'package main\n\nfunc main() {}\n',
    };
    const server = only(
      await audit(
        files,
        'FROM alpine:3.22\nCOPY server-linux-amd64 /usr/bin/server\nUSER 1\nCMD ["server"]\n',
      ),
      'missing-tzdata',
    );
    assert.equal(server.length, 1);
    assert.match(server[0]!.message, /cmd\/server\/main\.go:5/);
    assert.deepEqual(
      only(
        await audit(files, 'FROM alpine:3.22\nCOPY lint /usr/bin/lint\nUSER 1\nCMD ["lint"]\n'),
        'missing-tzdata',
      ),
      [],
    );
    // A build goimg cannot read (make) with several main packages: it says nothing.
    const viaMake =
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN make\nFROM alpine:3.22\nCOPY --from=build /src/out /out\nUSER 1\nEXPOSE 8080\n';
    assert.deepEqual(only(await audit(files, viaMake), 'missing-tzdata'), []);
  });
});

describe('builds that are not the program: library warm-ups and tools', () => {
  test('go install of library packages ships nothing: no strip or trimpath finding on it', async () => {
    const files = {
      'go.mod': MOD,
      'main.go': 'package main\n\nimport _ "example.com/app/lib"\n\nfunc main() {}\n',
      'lib/lib.go': 'package lib\n',
    };
    const text =
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY go.mod ./\nCOPY lib lib\nRUN go install ./lib\nCOPY . .\nRUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER 1\n';
    const f = await audit(files, text);
    assert.deepEqual(only(f, 'no-strip-flags'), []);
    assert.deepEqual(only(f, 'no-trimpath'), []);
  });

  test('go install tool@version without the project source is not the project build', async () => {
    const files = {
      'go.mod': `${MOD}\nrequire github.com/google/uuid v1.6.0\n`,
      'main.go': 'package main\n\nfunc main() {}\n',
    };
    const text =
      'FROM golang:1.25 AS tools\nRUN go install aead.dev/minisign/cmd/minisign@v0.2.1\nFROM alpine:3.22\nCOPY --from=tools /go/bin/minisign /usr/bin/\nUSER 1\n';
    assert.deepEqual(only(await audit(files, text), 'no-module-download-step'), []);
  });

  test('-ldflags from a build arg with -s -w is stripped; an unknown $LDFLAGS is not judged', async () => {
    const files = { 'go.mod': MOD, 'main.go': 'package main\n\nfunc main() {}\n' };
    const build = (arg: string) =>
      `FROM golang:1.25 AS build\n${arg}WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -trimpath -ldflags "$LDFLAGS" -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER 1\n`;
    assert.deepEqual(only(await audit(files, build('ARG LDFLAGS="-s -w"\n')), 'no-strip-flags'), []);
    assert.deepEqual(only(await audit(files, build('ARG LDFLAGS\n')), 'no-strip-flags'), []);
    assert.equal(only(await audit(files, build('ARG LDFLAGS="-X main.v=1"\n')), 'no-strip-flags').length, 1);
  });
});

describe('missing-ca-certificates: CA roots linked into the binary, and images that start nothing', () => {
  const HTTPS_MAIN = (extra: string) =>
    `package main\n\nimport (\n\t"net/http"\n${extra})\n\nfunc main() { _, _ = http.Get("https://example.com/") }\n`;
  const SCRATCH = (tail: string) =>
    `FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n${tail}`;

  test('an HTTPS client on scratch without a CA bundle is reported', async () => {
    const f = only(
      await audit({ 'go.mod': MOD, 'main.go': HTTPS_MAIN('') }, SCRATCH('ENTRYPOINT ["/app"]\n')),
      'missing-ca-certificates',
    );
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /makes TLS calls/);
  });

  for (const roots of ['golang.org/x/crypto/x509roots/fallback', 'github.com/breml/rootcerts']) {
    test(`${roots} linked in: the binary carries its roots, no finding`, async () => {
      const files = { 'go.mod': MOD, 'main.go': HTTPS_MAIN(`\t_ "${roots}"\n`) };
      assert.deepEqual(
        only(await audit(files, SCRATCH('ENTRYPOINT ["/app"]\n')), 'missing-ca-certificates'),
        [],
      );
    });
  }

  test('an export stage (scratch, no CMD or ENTRYPOINT) runs nothing: no finding', async () => {
    const f = await audit({ 'go.mod': MOD, 'main.go': HTTPS_MAIN('') }, SCRATCH(''));
    assert.deepEqual(only(f, 'missing-ca-certificates'), []);
    assert.deepEqual(only(f, 'runs-as-root'), []);
  });
});

describe('runs-as-root: a program that needs root by design', () => {
  const ALPINE_RUN = (main: string) =>
    `FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./${main}\nFROM alpine:3.22\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n`;
  const files = {
    'go.mod': MOD,
    // Runs tasks as another user: a process credential only root may set.
    'internal/run/run.go':
      'package run\n\nimport (\n\t"os/exec"\n\tsc "syscall"\n)\n\nfunc As(uid uint32, c *exec.Cmd) {\n\tc.SysProcAttr = &sc.SysProcAttr{Credential: &sc.Credential{Uid: uid}}\n}\n',
    'cmd/worker/main.go':
      'package main\n\nimport "example.com/app/internal/run"\n\nfunc main() { run.As(1000, nil) }\n',
    // Reads the engine's socket.
    'cmd/watch/main.go':
      'package main\n\nimport "github.com/docker/docker/client"\n\nfunc main() { _, _ = client.NewClientWithOpts(client.FromEnv) }\n',
    'cmd/api/main.go':
      'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n',
  };

  test('a plain service is told to set a USER', async () => {
    assert.equal(only(await audit(files, ALPINE_RUN('cmd/api')), 'runs-as-root').length, 1);
  });

  test('a program that sets a process credential (through a package it imports) needs root: silent', async () => {
    assert.deepEqual(only(await audit(files, ALPINE_RUN('cmd/worker')), 'runs-as-root'), []);
  });

  test("a program that talks to the engine's socket needs root: silent", async () => {
    assert.deepEqual(only(await audit(files, ALPINE_RUN('cmd/watch')), 'runs-as-root'), []);
  });

  test('a build of every command counts only the programs the final stage ships', async () => {
    const all = (ships: string) =>
      `FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/ ./cmd/...\nFROM alpine:3.22\nCOPY --from=build /out/${ships} /usr/bin/${ships}\nENTRYPOINT ["${ships}"]\n`;
    assert.equal(only(await audit(files, all('api')), 'runs-as-root').length, 1);
    assert.deepEqual(only(await audit(files, all('watch')), 'runs-as-root'), []);
  });

  test('a prebuilt binary named after such a program: silent', async () => {
    const df = 'FROM alpine:3.22\nCOPY watch /usr/bin/watch\nENTRYPOINT ["watch"]\n';
    assert.deepEqual(only(await audit(files, df), 'runs-as-root'), []);
  });

  test('a program that writes into its working directory: no USER fix, and the message says what it writes', async () => {
    const writer = {
      'go.mod': MOD,
      'cmd/api/main.go':
        'package main\n\nimport "os"\n\nfunc main() {\n\tname := "server.json"\n\t_ = os.WriteFile(name, nil, 0o600)\n}\n',
    };
    const found = only(await audit(writer, ALPINE_RUN('cmd/api')), 'runs-as-root');
    assert.equal(found.length, 1);
    assert.match(
      found[0]!.message,
      /once that user owns what the program writes \(its working directory, where os\.WriteFile\("server\.json"\) at cmd\/api\/main\.go:7 writes\)$/,
    );
    assert.equal(found[0]!.fixable, false);
  });

  test("a plugin module (no main package) whose packages talk to the engine's socket: its host program needs root", async () => {
    const plugin = (imp: string, call: string) => ({
      'go.mod': MOD,
      'loader.go': `package plugin\n\nimport "${imp}"\n\nfunc Load() { ${call} }\n`,
    });
    const df =
      'FROM scratch\nARG TARGETPLATFORM\nCOPY artifacts/$TARGETPLATFORM/host /bin/\nENTRYPOINT ["/bin/host"]\n';
    const engine = plugin('github.com/moby/moby/client', '_, _ = client.New(client.FromEnv)');
    assert.deepEqual(only(await audit(engine, df), 'runs-as-root'), []);
    const plain = plugin('net/http', '_ = http.ListenAndServe(":8080", nil)');
    assert.equal(only(await audit(plain, df), 'runs-as-root').length, 1);
  });
});

describe('missing-ca-certificates: CA roots a dependency embeds', () => {
  test('go.mod lists the module of x509roots/fallback (imported by a dependency): no finding', async () => {
    const main =
      'package main\n\nimport "net/http"\n\nfunc main() { _, _ = http.Get("https://api.example.com") }\n';
    const dockerfile =
      'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n';
    const plain = only(
      await audit({ 'go.mod': MOD, 'main.go': main }, dockerfile),
      'missing-ca-certificates',
    );
    assert.equal(plain.length, 1);
    const withRoots = `${MOD}\nrequire golang.org/x/crypto/x509roots/fallback v0.0.0-20250101000000-000000000000 // indirect\n`;
    assert.deepEqual(
      only(await audit({ 'go.mod': withRoots, 'main.go': main }, dockerfile), 'missing-ca-certificates'),
      [],
    );
  });
});

test('a test harness named like the shipped program is not taken for it', async () => {
  const files = {
    'go.mod': 'module example.com/svc\n\ngo 1.25\n',
    'main.go': 'package main\n\nfunc main() {}\n',
    'tests/e2e/app/main.go':
      'package main\n\nimport "net/http"\n\nfunc main() { _, _ = http.Get("https://api.example.com") }\n',
  };
  const viaMake =
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN make\nFROM scratch\nCOPY --from=build /src/bin/app /app\nENTRYPOINT ["/app"]\n';
  assert.deepEqual(only(await audit(files, viaMake), 'missing-ca-certificates'), []);
  // The same program outside a test tree is the one the image ships.
  const shipped = { ...files, 'cmd/app/main.go': files['tests/e2e/app/main.go'] };
  delete (shipped as Record<string, string>)['tests/e2e/app/main.go'];
  assert.equal(only(await audit(shipped, viaMake), 'missing-ca-certificates').length, 1);
});
