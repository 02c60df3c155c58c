/**
 * The runtime checks on real Go binaries (built here by the Go toolchain) placed into real OCI
 * layouts: each rule fires on the image that has the problem and stays silent on the fixed one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bufferSource, inspectBinary } from '../../../src/binary/index.js';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { analyzeImage, openImage } from '../../../src/image/index.js';
import { buildImageReport } from '../../../src/rules/image/report.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { type ImageSpec, type TestEntry, writeLayout } from './layout.js';

async function report(spec: ImageSpec) {
  const layout = await writeLayout(spec);
  return buildImageReport(await analyzeImage(await openImage(`oci:${layout.dir}`)));
}

const rules = (r: Awaited<ReturnType<typeof report>>) =>
  r.findings.map((f) => `${f.rule} ${f.path ?? ''}`.trim());

function tlstzBinary(): string | null {
  return goProgram('tlstz');
}

function goProgram(name: string): string | null {
  const go = findGoToolchain('1.23');
  if (!go) return null;
  const out = join(REPO_ROOT, '.cache', 'image-tests', name);
  if (!existsSync(out)) {
    mkdirSync(join(REPO_ROOT, '.cache', 'image-tests'), { recursive: true });
    execFileSync(go.go, ['build', '-buildvcs=false', '-o', out, '.'], {
      cwd: join(REPO_ROOT, 'test', 'unit', 'image', 'go', name),
      env: {
        ...process.env,
        GOROOT: go.goroot,
        CGO_ENABLED: '0',
        GOPROXY: 'off',
        GOFLAGS: '',
        GOTOOLCHAIN: 'local',
      },
    });
  }
  return out;
}

const nonroot = { User: '65532' };
const busybox: TestEntry[] = [{ name: 'bin/sh', data: '#!shell\n', mode: 0o755 }];

test('a cgo (glibc) binary on a musl-only image: missing-interpreter and missing-library', async (t) => {
  if (!need(t, fixtureAvailable('cgo') === null, 'Go 1.23 and gcc')) return;
  const bin = readFileSync((await buildFixture('netuser', 'cgo')).path);
  const r = await report({
    config: { Entrypoint: ['/app'], ...nonroot },
    layers: [
      { entries: [{ name: 'lib/ld-musl-x86_64.so.1', data: 'musl', mode: 0o755 }, ...busybox] },
      { entries: [{ name: 'app', data: bin, mode: 0o755 }] },
    ],
  });
  assert.deepEqual(rules(r), [
    'missing-interpreter /lib64/ld-linux-x86-64.so.2',
    'missing-library libc.so.6',
  ]);
  // The same binary with glibc's loader and libc present (through the usual symlinks) is fine.
  const ok = await report({
    config: { Entrypoint: ['/app'], ...nonroot },
    layers: [
      {
        entries: [
          { name: 'lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', data: 'ld', mode: 0o755 },
          { name: 'lib/x86_64-linux-gnu/libc.so.6', data: 'libc', mode: 0o755 },
          {
            name: 'lib64/ld-linux-x86-64.so.2',
            type: 'symlink',
            linkname: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
          },
        ],
      },
      { entries: [{ name: 'app', data: bin, mode: 0o755 }] },
    ],
  });
  assert.deepEqual(rules(ok), []);
});

test('shell form on an image without a shell; exec form is fine', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const bin = readFileSync((await buildFixture('app', 'static')).path);
  const layers = [{ entries: [{ name: 'app', data: bin, mode: 0o755 }] }];
  const r = await report({ config: { Cmd: ['/bin/sh', '-c', '/app --serve'], ...nonroot }, layers });
  assert.deepEqual(rules(r), ['shell-form-without-shell /bin/sh']);
  assert.equal(r.entrypoint.resolved, '/app');
  const ok = await report({ config: { Cmd: ['/app', '--serve'], ...nonroot }, layers });
  assert.deepEqual(rules(ok), []);
});

test('runs-as-root: no USER, and a user name that /etc/passwd maps to uid 0', async () => {
  const passwd = {
    name: 'etc/passwd',
    data: 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n',
  };
  const layers = [{ entries: [passwd, { name: 'bin/tool', data: '#!x\n', mode: 0o755 }] }];
  assert.deepEqual(rules(await report({ config: { Cmd: ['/bin/tool'] }, layers })), ['runs-as-root']);
  assert.deepEqual(rules(await report({ config: { Cmd: ['/bin/tool'], User: 'toor' }, layers })), [
    'runs-as-root',
  ]);
  assert.deepEqual(rules(await report({ config: { Cmd: ['/bin/tool'], User: 'app' }, layers })), []);
  assert.deepEqual(rules(await report({ config: { Cmd: ['/bin/tool'], User: '1000:1000' }, layers })), []);
});

test('TLS and time zones: missing-ca-certificates and missing-tzdata until the image has them', async (t) => {
  const path = tlstzBinary();
  if (!need(t, path !== null, 'Go 1.23')) return;
  const bin = readFileSync(path!);
  const app = { name: 'app', data: bin, mode: 0o755 };
  const bare = await report({ config: { Entrypoint: ['/app'], ...nonroot }, layers: [{ entries: [app] }] });
  assert.deepEqual(rules(bare), [
    'missing-ca-certificates /etc/ssl/certs/ca-certificates.crt',
    'missing-tzdata /usr/share/zoneinfo',
  ]);
  const fixed = await report({
    config: { Entrypoint: ['/app'], ...nonroot },
    layers: [
      {
        entries: [
          { name: 'etc/ssl/certs/ca-certificates.crt', data: '-----BEGIN CERTIFICATE-----\n' },
          { name: 'usr/share/zoneinfo/Asia/Shanghai', data: 'TZif' },
        ],
      },
      { entries: [app] },
    ],
  });
  assert.deepEqual(rules(fixed), []);
  // The binary's entry: its size and five largest modules, as goimg binary reads the same bytes.
  const direct = await inspectBinary(bufferSource(bin));
  assert.deepEqual(fixed.goBinaries, [
    {
      path: '/app',
      goVersion: direct.goVersion,
      module: 'example.com/tlstz',
      size: bin.length,
      modules: direct
        .sizes!.modules.slice(0, 5)
        .map((m) => ({ path: m.path, version: m.version, size: m.size })),
    },
  ]);
  assert.ok(fixed.goBinaries[0]!.modules!.some((m) => m.path === 'std'));
});

test('a static binary without TLS or zones needs neither', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const bin = readFileSync((await buildFixture('app', 'static')).path);
  const r = await report({
    config: { Entrypoint: ['/app'], ...nonroot },
    layers: [{ entries: [{ name: 'app', data: bin, mode: 0o755 }] }],
  });
  assert.deepEqual(rules(r), []);
  assert.equal(r.entrypoint.binary?.linkage.kind, 'static');
});

test('upx-packed binaries are flagged', async (t) => {
  if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
  const bin = readFileSync((await buildFixture('app', 'upx')).path);
  const r = await report({
    config: { Entrypoint: ['/app'], ...nonroot },
    layers: [{ entries: [{ name: 'app', data: bin, mode: 0o755 }] }],
  });
  assert.deepEqual(rules(r), ['upx-packed /app']);
});

test('a Go toolchain, a module cache and a source tree left in the image', async (t) => {
  const go = findGoToolchain('1.23');
  if (!need(t, go !== undefined, 'Go 1.23')) return;
  const goBin = readFileSync(go!.go);
  const r = await report({
    config: { Entrypoint: ['/usr/local/go/bin/go'], ...nonroot },
    layers: [
      {
        entries: [
          { name: 'usr/local/go/bin/go', data: goBin, mode: 0o755 },
          { name: 'usr/local/go/src/go.mod', data: 'module std\n' },
          { name: 'go/pkg/mod/cache/download/x', data: 'x' },
          { name: 'go/pkg/mod/example.com/m@v1/go.mod', data: 'module m\n' },
          { name: 'src/app/go.mod', data: 'module example.com/app\n' },
          { name: 'src/app/main.go', data: 'package main\n' },
        ],
      },
    ],
  });
  // cmd/go itself makes TLS calls (module downloads), so the missing bundle is reported too.
  assert.deepEqual(rules(r), [
    'missing-ca-certificates /etc/ssl/certs/ca-certificates.crt',
    'toolchain-in-image /go/pkg/mod',
    'toolchain-in-image /src/app',
    'toolchain-in-image /usr/local/go',
  ]);
  assert.ok(r.goBinaries.some((g) => g.path === '/usr/local/go/bin/go' && g.module === 'cmd/go'));
});

test('a script entrypoint whose #! interpreter is missing: missing-interpreter', async () => {
  const script = { name: 'entrypoint.sh', data: '#!/bin/bash -e\nexec /app\n', mode: 0o755 };
  const r = await report({
    config: { Entrypoint: ['/entrypoint.sh'], ...nonroot },
    layers: [{ entries: [script, ...busybox] }],
  });
  assert.deepEqual(rules(r), ['missing-interpreter /bin/bash']);
  const ok = await report({
    config: { Entrypoint: ['/entrypoint.sh'], ...nonroot },
    layers: [{ entries: [script, { name: 'bin/bash', type: 'symlink', linkname: 'sh' }, ...busybox] }],
  });
  assert.deepEqual(rules(ok), []);
});

test('a server-only net/http program needs neither a CA bundle nor zoneinfo', async (t) => {
  const path = goProgram('httpserver');
  if (!need(t, path !== null, 'Go 1.23')) return;
  const r = await report({
    config: { Entrypoint: ['/app'], ...nonroot },
    layers: [{ entries: [{ name: 'app', data: readFileSync(path!), mode: 0o755 }] }],
  });
  assert.deepEqual(rules(r), []);
});
