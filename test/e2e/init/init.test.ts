/**
 * `goimg init` end to end: the generated Dockerfile and .dockerignore build with the real engine
 * (BuildKit, stand-in bases), the image starts and answers HTTP, cgo gets a glibc base, vendored
 * and local-replace projects build, arm64 cross-builds, and `goimg audit` finds nothing to warn on.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { freePort } from '../../../src/bench/probe.js';
import { guardDockerignore, pathsTheBuildReads } from '../../../src/generate/dockerignore-guard.js';
import { scanProject } from '../../../src/project/index.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { BUILDKIT_DOCKER, dockerEnv, hasEngine, hasImage } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const engine = hasEngine();
const tags = new Set<string>();
const dirs: string[] = [];

after(() => {
  if (tags.size > 0) docker(['rmi', '-f', ...tags], true);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function docker(args: string[], allowFail = false): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(BUILDKIT_DOCKER, args, {
    env: dockerEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0 && !allowFail)
    throw new Error(`docker ${args.join(' ')} failed:\n${r.stderr?.slice(-3000)}`);
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A private copy of an example or fixture, without its own Dockerfile. */
function copyOf(rel: string, keepDockerfile = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-init-e2e-'));
  dirs.push(dir);
  cpSync(join(REPO_ROOT, rel), dir, { recursive: true });
  if (!keepDockerfile) rmSync(join(dir, 'Dockerfile'), { force: true });
  return dir;
}

/**
 * The builder's Go: the version policy picks the newest release, whose golang image this engine
 * may not have; the stand-ins hold golang:1.23.
 */
const STANDIN_GO = ['--go', '1.23'];

function init(dir: string, extra: string[] = []): void {
  const go = extra.includes('--go') ? [] : STANDIN_GO;
  const r = runGoimg(['init', dir, '--no-syntax-directive', ...go, ...extra]);
  assert.equal(r.status, 0, r.stderr);
}

function build(dir: string, name: string, platform?: string): string {
  const tag = `goimg-e2e-init/${name}:test`;
  tags.add(tag);
  docker(['build', '--network=host', '-q', '-t', tag, ...(platform ? ['--platform', platform] : []), dir]);
  return tag;
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Starts the image with PORT set, waits for an HTTP answer on `path`, removes the container. */
async function answers(tag: string, path: string): Promise<{ status: number; body: string }> {
  const port = await freePort();
  const cid = docker(['run', '-d', '--network=host', '-e', `PORT=${port}`, tag]).stdout.trim();
  try {
    for (let i = 0; i < 60; i++) {
      const r = await httpGet(port, path);
      if (r) return r;
      await new Promise((res) => setTimeout(res, 250));
    }
    const logs = docker(['logs', cid], true);
    throw new Error(`${tag} did not answer on :${port}${path}\n${logs.stdout}${logs.stderr}`);
  } finally {
    docker(['rm', '-f', cid], true);
  }
}

function configOf(tag: string): {
  User: string;
  Entrypoint: string[];
  ExposedPorts?: Record<string, unknown>;
} {
  return JSON.parse(docker(['image', 'inspect', '--format', '{{json .Config}}', tag]).stdout);
}

test('seed-article: an existing Dockerfile is never overwritten (diff, exit 2); with --force the image builds, runs as non-root and answers HTTP', async (t) => {
  const dir = copyOf('examples/seed-article', true);
  const article = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const refused = runGoimg(['init', dir, '--no-syntax-directive']);
  assert.equal(refused.status, 2);
  assert.match(refused.stdout, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ /m);
  assert.match(refused.stdout, /^-FROM alpine:latest$/m);
  assert.match(refused.stdout, /^\+FROM scratch$/m);
  assert.match(refused.stderr, /--force/);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), article, 'the Dockerfile was not touched');
  init(dir, ['--force']);
  const again = runGoimg(['init', dir, '--no-syntax-directive', ...STANDIN_GO]);
  assert.equal(again.status, 0, 'same content again is not a conflict');
  assert.match(again.stderr, /unchanged\s+Dockerfile/);
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  const tag = build(dir, 'seed-article');
  const cfg = configOf(tag);
  assert.equal(cfg.User, '65532:65532');
  assert.deepEqual(cfg.Entrypoint, ['/app']);
  assert.ok(cfg.ExposedPorts && '8080/tcp' in cfg.ExposedPorts);
  const r = await answers(tag, '/healthz');
  assert.equal(r.status, 200);
  assert.match(r.body, /"status":"ok"/);
});

test('orders-service (vendored, local replace, embed, TLS, zoneinfo): distroless static, builds, starts, answers /healthz', async (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  const dir = copyOf('examples/orders-service');
  // go.mod says 1.22; the stand-ins are golang:1.21 and 1.23, so the builder is chosen with --go.
  init(dir, ['--go', '1.23']);
  const df = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(df, /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
  assert.match(df, /-mod=vendor/);
  const tag = build(dir, 'orders');
  const r = await answers(tag, '/healthz');
  assert.equal(r.status, 200);
  assert.match(r.body, /Europe\/Berlin/);
  const home = await answers(tag, '/');
  assert.equal(home.status, 200, 'the //go:embed assets made it into the binary');
});

test('cgo fixture (import "C"): glibc distroless base is chosen, and the image runs and answers', async (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  if (
    !need(
      t,
      hasImage('gcr.io/distroless/base-debian12:nonroot') && hasImage('golang:1.23-bookworm'),
      'the gcr.io/distroless/base-debian12:nonroot and golang:1.23-bookworm stand-ins',
    )
  )
    return;
  const dir = copyOf('test/fixtures/init/cgo');
  init(dir);
  const df = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(df, /CGO_ENABLED=1 go build/);
  // The builder's Debian release is the runtime's (bookworm), named in the tag.
  assert.match(df, /^FROM golang:1\.23-bookworm AS build$/m);
  assert.match(df, /^FROM gcr\.io\/distroless\/base-debian12:nonroot$/m);
  const tag = build(dir, 'cgo');
  const r = await answers(tag, '/');
  assert.equal(r.body, 'strlen=12\n');
});

for (const [fixture, expected] of [
  ['vendored', 'hello, vendored'],
  ['local-replace', '19.99 EUR'],
] as const) {
  test(`${fixture} fixture: the generated Dockerfile builds and the program runs`, (t) => {
    if (!need(t, engine, 'a Docker engine with BuildKit')) return;
    const dir = copyOf(`test/fixtures/init/${fixture}`);
    init(dir);
    const tag = build(dir, fixture);
    assert.equal(docker(['run', '--rm', '--network=host', tag]).stdout.trim(), expected);
  });
}

test('TLS-only program: scratch plus the CA bundle copied from the builder; the program finds its roots', (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  const dir = copyOf('test/fixtures/init/tls-only');
  init(dir);
  const df = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(df, /^FROM scratch$/m);
  assert.match(df, /^COPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt /m);
  // The real golang image ships ca-certificates; a stand-in must too, or this copy cannot work.
  const builderHasCa = docker(
    ['run', '--rm', '--entrypoint', 'test', 'golang:1.23', '-s', '/etc/ssl/certs/ca-certificates.crt'],
    true,
  );
  if (
    !need(
      t,
      builderHasCa.status === 0,
      'a golang:1.23 stand-in with /etc/ssl/certs/ca-certificates.crt, as the real image has',
    )
  )
    return;
  const tag = build(dir, 'tls-only');
  assert.match(docker(['run', '--rm', '--network=host', tag]).stdout, /^CA roots: [1-9]\d*$/m);
});

test('--platform linux/amd64,linux/arm64: the file cross-builds for linux/arm64 and goimg binary reports arm64', (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  const dir = copyOf('examples/seed-article');
  init(dir, ['--platform', 'linux/amd64,linux/arm64']);
  assert.match(
    readFileSync(join(dir, 'Dockerfile'), 'utf8'),
    /docker buildx build --platform linux\/amd64,linux\/arm64/,
  );
  const tag = build(dir, 'seed-arm64', 'linux/arm64');
  const cid = docker(['create', tag]).stdout.trim();
  const out = join(dir, 'app-from-image');
  try {
    docker(['cp', `${cid}:/app`, out]);
  } finally {
    docker(['rm', '-f', cid], true);
  }
  const r = runGoimg(['binary', out, '--format', 'json', '--quick']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout) as { arch: string; buildInfo?: { settings?: Record<string, string> } };
  assert.equal(info.arch, 'arm64');
  assert.equal(info.buildInfo?.settings?.CGO_ENABLED, '0');
  assert.equal(info.buildInfo?.settings?.['-trimpath'], 'true');
});

test('several main packages: init asks which one (exit 2); --main picks it', () => {
  const dir = copyOf('test/fixtures/init/multi-main');
  const r = runGoimg(['init', dir, '--stdout']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /several main packages \(\.\/cmd\/api, \.\/cmd\/worker\): which one/);
  assert.match(r.stderr, /hint: choose one with --main/);
  const ok = runGoimg(['init', dir, '--stdout', '--main', './cmd/worker']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /go build -trimpath -ldflags="-s -w" -o \/out\/worker \.\/cmd\/worker/);
});

test('--format json and --ci github: the CI job builds with BuildKit and a mode=max cache', () => {
  const dir = copyOf('examples/seed-article');
  const r = runGoimg([
    'init',
    dir,
    '--ci',
    'github',
    '--format',
    'json',
    '--platform',
    'linux/amd64,linux/arm64',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    version: number;
    files: { path: string; status: string }[];
    runtime: string;
  };
  assertMatchesSchema('init.schema.json', out);
  assert.equal(out.runtime, 'scratch');
  assert.deepEqual(
    out.files.map((f) => `${f.path}:${f.status}`),
    ['Dockerfile:created', '.dockerignore:created', '.github/workflows/image.yml:created'],
  );
  const ci = readFileSync(join(dir, '.github/workflows/image.yml'), 'utf8');
  assert.match(ci, /cache-to: type=gha,mode=max/);
  assert.match(ci, /platforms: linux\/amd64,linux\/arm64/);
});

test('goimg audit reports no warning or error on any generated Dockerfile', async () => {
  const cases: [string, string[]][] = [
    ['examples/seed-article', []],
    ['examples/orders-service', ['--go', '1.23']],
    ['test/fixtures/init/cgo', []],
    ['test/fixtures/init/vendored', []],
    ['test/fixtures/init/local-replace', []],
    ['test/fixtures/init/tls-only', []],
    ['test/fixtures/init/multi-main', ['--main', './cmd/api']],
    ['examples/seed-article', ['--base', 'distroless', '--private', 'github.com/acme/*']],
  ];
  for (const [rel, extra] of cases) {
    const dir = copyOf(rel);
    const r = runGoimg(['init', dir, ...extra]);
    assert.equal(r.status, 0, r.stderr);
    const audit = await auditDirectory(dir);
    const bad = audit.findings.filter((f) => f.severity !== 'info');
    assert.deepEqual(
      bad.map((f) => `${f.rule}: ${f.message}`),
      [],
      `${rel} ${extra.join(' ')}:\n${readFileSync(join(dir, 'Dockerfile'), 'utf8')}`,
    );
  }
});

test('the .dockerignore never excludes what the build copies (vendor/, replace targets, embeds)', async () => {
  const dir = copyOf('examples/orders-service');
  init(dir, ['--go', '1.23']);
  const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
  const keep = pathsTheBuildReads(await scanProject(dir));
  assert.ok(keep.includes('vendor/modules.txt') && keep.includes('libs/money/go.mod'));
  assert.ok(
    keep.some((p) => p.startsWith('internal/web/static')),
    keep.join(', '),
  );
  assert.deepEqual(guardDockerignore(ignore, keep).reincluded, []);
});
