/**
 * Proves the test environment is real: the private engine answers, the stand-in base images keep
 * the properties of the real ones that goimg reasons about, the loopback registry serves the
 * distribution API, and the examples build with BuildKit and run. In particular the first
 * article's Dockerfile, unchanged, yields a binary that dies on alpine with
 * `no such file or directory`, and the same service built with CGO_ENABLED=0 starts and answers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../../helpers/cli.js';
import {
  buildkitBuild,
  DockerResources,
  docker,
  dockerOk,
  freePort,
  imageFiles,
  waitForHttp,
} from '../../helpers/docker.js';
import { hasEngine, hasImage, hasTool, TEST_REGISTRY } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';

const SEED = join(REPO_ROOT, 'examples', 'seed-article');
const ORDERS = join(REPO_ROOT, 'examples', 'orders-service');
const BUILD_TIMEOUT = 10 * 60_000;

const made = new DockerResources();
const scratch = mkdtempSync(join(tmpdir(), 'goimg-smoke-'));
after(() => {
  made.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const STANDINS = [
  'golang:1.21',
  'golang:1.23',
  'alpine:3.20',
  'alpine:latest',
  'gcr.io/distroless/static-debian12',
  'gcr.io/distroless/static-debian12:nonroot',
  'gcr.io/distroless/static-debian12:arm64',
  'gcr.io/distroless/static-debian12:nonroot-arm64',
  'gcr.io/distroless/base-debian12',
  'gcr.io/distroless/base-debian12:nonroot',
  'debian:bookworm-slim',
  'node:24-bookworm-slim',
];

function engineReady(t: Parameters<typeof need>[0]): boolean {
  return need(t, hasEngine(), 'the Docker engine on the test socket');
}

function standinsReady(t: Parameters<typeof need>[0], refs: string[]): boolean {
  if (!engineReady(t)) return false;
  const missing = refs.filter((r) => !hasImage(r));
  return need(t, missing.length === 0, `the stand-in images ${missing.join(', ')}`);
}

function inspect(ref: string, format: string): string {
  return dockerOk(['image', 'inspect', '--format', format, ref]);
}

test('the engine answers on the private socket and is a 20.10 BuildKit-capable engine', (t) => {
  if (!engineReady(t)) return;
  const version = dockerOk(['version', '--format', '{{.Server.Version}}']);
  assert.match(version, /^20\.10\./);
  assert.equal(dockerOk(['info', '--format', '{{.Driver}}']), 'overlay2');
});

test('every stand-in base image exists under its real name', (t) => {
  if (!engineReady(t)) return;
  for (const ref of STANDINS) assert.ok(hasImage(ref), `${ref} is missing`);
});

test('golang stand-ins: Go at /usr/local/go, cgo on by default, HOME=/root so GOCACHE is /root/.cache/go-build', (t) => {
  if (!standinsReady(t, ['golang:1.21', 'golang:1.23'])) return;
  for (const v of ['1.21', '1.23']) {
    const out = dockerOk([
      'run',
      '--rm',
      '--network=host',
      `golang:${v}`,
      'sh',
      '-c',
      'go version; go env CGO_ENABLED GOROOT GOPATH GOCACHE; echo "HOME=$HOME"; command -v gcc',
    ]).split('\n');
    assert.match(out[0], new RegExp(`^go version go${v.replace('.', '\\.')}\\.\\d+ linux/amd64$`));
    assert.deepEqual(out.slice(1), [
      '1',
      '/usr/local/go',
      '/go',
      '/root/.cache/go-build',
      'HOME=/root',
      '/usr/bin/gcc',
    ]);
    assert.match(inspect(`golang:${v}`, '{{json .Config.Env}}'), /"GOPATH=\/go"/);
  }
});

test('alpine stand-in: musl loader and busybox shell, no glibc loader', (t) => {
  if (!standinsReady(t, ['alpine:3.20', 'alpine:latest'])) return;
  assert.equal(inspect('alpine:latest', '{{.Id}}'), inspect('alpine:3.20', '{{.Id}}'));
  const files = imageFiles(made, 'alpine:3.20');
  for (const f of ['/lib/ld-musl-x86_64.so.1', '/bin/busybox', '/bin/sh', '/etc/passwd', '/etc/os-release']) {
    assert.ok(files.has(f), `alpine lacks ${f}`);
  }
  assert.ok(!files.has('/lib64/ld-linux-x86-64.so.2'), 'alpine must not have the glibc loader');
  assert.ok(![...files].some((f) => f.endsWith('/libc.so.6')), 'alpine must not have glibc');
  const osRelease = dockerOk(['run', '--rm', '--network=host', 'alpine:3.20', 'cat', '/etc/os-release']);
  assert.match(osRelease, /^ID=alpine$/m);
});

test('distroless static stand-ins: no shell, CA bundle, zoneinfo, passwd/group with 65532, /tmp, USER', (t) => {
  const refs = ['gcr.io/distroless/static-debian12', 'gcr.io/distroless/static-debian12:nonroot'];
  if (!standinsReady(t, refs)) return;
  for (const ref of refs) {
    const files = imageFiles(made, ref);
    for (const f of [
      '/etc/ssl/certs/ca-certificates.crt',
      '/usr/share/zoneinfo/Europe/Berlin',
      '/etc/passwd',
      '/etc/group',
      '/tmp',
      '/home/nonroot',
    ]) {
      assert.ok(files.has(f), `${ref} lacks ${f}`);
    }
    for (const f of ['/bin/sh', '/bin/busybox', '/lib64/ld-linux-x86-64.so.2', '/lib/ld-musl-x86_64.so.1']) {
      assert.ok(!files.has(f), `${ref} must not have ${f}`);
    }
  }
  assert.equal(inspect('gcr.io/distroless/static-debian12:nonroot', '{{.Config.User}}'), '65532');
  assert.equal(inspect('gcr.io/distroless/static-debian12', '{{.Config.User}}'), '0');
});

test('distroless static arm64 stand-ins record linux/arm64 and hold no executables', (t) => {
  const refs = ['gcr.io/distroless/static-debian12:arm64', 'gcr.io/distroless/static-debian12:nonroot-arm64'];
  if (!standinsReady(t, refs)) return;
  for (const ref of refs) assert.equal(inspect(ref, '{{.Os}}/{{.Architecture}}'), 'linux/arm64');
  assert.equal(inspect('gcr.io/distroless/static-debian12:nonroot-arm64', '{{.Config.User}}'), '65532');
  assert.equal(inspect('gcr.io/distroless/static-debian12', '{{.Architecture}}'), 'amd64');
});

test('distroless base stand-in adds glibc (loader and libc) to static', (t) => {
  if (!standinsReady(t, ['gcr.io/distroless/base-debian12:nonroot'])) return;
  const files = imageFiles(made, 'gcr.io/distroless/base-debian12:nonroot');
  for (const f of [
    '/lib64/ld-linux-x86-64.so.2',
    '/lib/x86_64-linux-gnu/libc.so.6',
    '/etc/ssl/certs/ca-certificates.crt',
  ]) {
    assert.ok(files.has(f), `base-debian12 lacks ${f}`);
  }
  assert.ok(!files.has('/bin/sh'), 'base-debian12 must not have a shell');
  // The loader really runs: it is the same glibc the builder links against.
  const r = docker([
    'run',
    '--rm',
    '--network=host',
    '--entrypoint',
    '/lib64/ld-linux-x86-64.so.2',
    'gcr.io/distroless/base-debian12:nonroot',
    '--version',
  ]);
  assert.equal(r.status, 0, r.output);
  assert.match(r.stdout, /GLIBC 2\.36/);
});

test('node stand-in: node and npm on PATH, HOME=/root, and npm ci installs a package without dependencies', (t) => {
  if (!standinsReady(t, ['node:24-bookworm-slim'])) return;
  const pkg = JSON.stringify({ name: 'smoke', version: '1.0.0', private: true });
  const lock = JSON.stringify({
    name: 'smoke',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'smoke', version: '1.0.0' } },
  });
  const out = dockerOk([
    'run',
    '--rm',
    '--network=host',
    'node:24-bookworm-slim',
    'sh',
    '-c',
    `command -v node; command -v npm; echo "HOME=$HOME"; mkdir /w && cd /w && echo '${pkg}' > package.json && echo '${lock}' > package-lock.json && npm ci --offline >/dev/null && echo installed`,
  ]).split('\n');
  assert.match(out[0], /^\/usr(\/local)?\/bin\/node$/);
  assert.match(out[1], /^\/usr(\/local)?\/bin\/npm$/);
  assert.deepEqual(out.slice(2), ['HOME=/root', 'installed']);
});

test('the loopback registry answers the distribution API', async (t) => {
  let ok = false;
  try {
    ok = (await fetch(`http://${TEST_REGISTRY}/v2/`, { signal: AbortSignal.timeout(5_000) })).status === 200;
  } catch {
    ok = false;
  }
  need(t, ok, `the registry at ${TEST_REGISTRY}`);
});

test('seed article Dockerfile as written: its glibc-linked binary fails on alpine with "no such file or directory"', async (t) => {
  if (!standinsReady(t, ['golang:1.21', 'alpine:latest'])) return;
  const tag = made.imageTag('seed-as-written');
  const build = await buildkitBuild(SEED, tag, { timeoutMs: BUILD_TIMEOUT });
  assert.equal(build.status, 0, build.output);

  // The evidence, from the image's bytes: cgo was on, so the binary wants glibc's loader.
  const holder = made.containerName('seed-binary');
  dockerOk(['create', '--name', holder, tag]);
  const binary = join(scratch, 'seed-main');
  dockerOk(['cp', `${holder}:/app/main`, binary]);
  if (hasTool('file')) {
    const kind = spawnSync('file', [binary], { encoding: 'utf8' }).stdout;
    assert.match(kind, /dynamically linked, interpreter \/lib64\/ld-linux-x86-64\.so\.2/);
  }

  const run = docker(['run', '--rm', '--name', made.containerName('seed-run'), '--network=host', tag], {
    timeoutMs: 60_000,
  });
  assert.notEqual(run.status, 0, `the container should not start:\n${run.output}`);
  assert.match(run.output, /exec \.\/main: no such file or directory/);
});

test('seed article with CGO_ENABLED=0: the same service starts on alpine and answers HTTP', async (t) => {
  if (!standinsReady(t, ['golang:1.21', 'alpine:latest'])) return;
  const original = readFileSync(join(SEED, 'Dockerfile'), 'utf8');
  const derived = original.replace('RUN go build -o main .', 'RUN CGO_ENABLED=0 go build -o main .');
  assert.notEqual(derived, original, 'the seed Dockerfile no longer has the article build line');
  const dockerfile = join(scratch, 'Dockerfile.seed-static');
  writeFileSync(dockerfile, derived);

  const tag = made.imageTag('seed-static');
  const build = await buildkitBuild(SEED, tag, { dockerfile, timeoutMs: BUILD_TIMEOUT });
  assert.equal(build.status, 0, build.output);

  const port = await freePort();
  const name = made.containerName('seed-static');
  dockerOk(['run', '-d', '--name', name, '--network=host', '-e', `PORT=${port}`, tag]);
  const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
  assert.equal(health.status, 200, docker(['logs', name]).output);
  assert.equal(JSON.parse(health.body).status, 'ok');

  const created = await fetch(`http://127.0.0.1:${port}/api/notes`, {
    method: 'POST',
    body: JSON.stringify({ text: 'built static' }),
  });
  assert.equal(created.status, 201);
  const note = (await (await fetch(`http://127.0.0.1:${port}/api/notes/1`)).json()) as { text: string };
  assert.equal(note.text, 'built static');
});

test('orders-service: its naive Dockerfile builds offline (vendor/, local replace) and /healthz answers', async (t) => {
  if (!standinsReady(t, ['golang:1.23'])) return;
  const tag = made.imageTag('orders-naive');
  const build = await buildkitBuild(ORDERS, tag, { timeoutMs: BUILD_TIMEOUT });
  assert.equal(build.status, 0, build.output);

  const port = await freePort();
  const name = made.containerName('orders-naive');
  dockerOk(['run', '-d', '--name', name, '--network=host', '-e', `PORT=${port}`, tag]);
  const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
  assert.equal(health.status, 200, docker(['logs', name]).output);
  assert.equal(JSON.parse(health.body).zone, 'Europe/Berlin');
  const index = await fetch(`http://127.0.0.1:${port}/`);
  assert.match(await index.text(), /<h1>Orders<\/h1>/, 'the embedded static page is served');
});

test('orders-service: a static build runs as 65532 on distroless static:nonroot and loads its zone', async (t) => {
  if (!standinsReady(t, ['golang:1.23', 'gcr.io/distroless/static-debian12:nonroot'])) return;
  const dockerfile = join(scratch, 'Dockerfile.orders-distroless');
  writeFileSync(
    dockerfile,
    [
      'FROM golang:1.23 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/orders ./cmd/orders',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'COPY --from=build /out/orders /orders',
      'ENTRYPOINT ["/orders"]',
      '',
    ].join('\n'),
  );
  const tag = made.imageTag('orders-distroless');
  const build = await buildkitBuild(ORDERS, tag, { dockerfile, timeoutMs: BUILD_TIMEOUT });
  assert.equal(build.status, 0, build.output);
  assert.equal(inspect(tag, '{{.Config.User}}'), '65532');

  const port = await freePort();
  const name = made.containerName('orders-distroless');
  dockerOk([
    'run',
    '-d',
    '--name',
    name,
    '--network=host',
    '-e',
    `PORT=${port}`,
    '-e',
    'SHOP_TIMEZONE=Asia/Tokyo',
    tag,
  ]);
  const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
  assert.equal(health.status, 200, docker(['logs', name]).output);
  const body = JSON.parse(health.body) as { zone: string; time: string };
  assert.equal(body.zone, 'Asia/Tokyo');
  assert.match(body.time, /\+09:00$/);
});
