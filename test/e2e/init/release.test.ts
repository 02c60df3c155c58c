/**
 * Projects that define their release build: goreleaser v1 and v2 configurations (two builds,
 * -X version injection, a toolchain line), a Makefile's injection and a //go:embed of a dist/
 * that npm run build writes. `goimg init` → a real BuildKit build on the stand-ins → the
 * container prints the injected version; `goimg build` → docker load → the same.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { buildkitBuild, DockerResources, dockerOk } from '../../helpers/docker.js';
import { hasEngine, hasImage } from '../../helpers/env.js';
import { ScratchRepo } from '../../helpers/git-repo.js';
import { need } from '../../helpers/requirements.js';

const resources = new DockerResources();
const dirs: string[] = [];
after(() => {
  resources.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ready = () => hasEngine() && hasImage('golang:1.23');

/** A git checkout of a fixture, tagged like a release. */
function checkout(fixture: string, tag: string): ScratchRepo {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-release-'));
  dirs.push(dir);
  cpSync(join(REPO_ROOT, 'test/fixtures/release', fixture), dir, { recursive: true });
  const repo = new ScratchRepo(dir);
  repo.commit('release');
  repo.git('tag', tag);
  return repo;
}

/** `goimg build` → docker-archive → docker load → the container's output. */
function goimgBuildAndRun(repo: ScratchRepo, extra: string[]): string {
  const tag = resources.imageTag('release-build');
  const archive = join(repo.dir, '..', `${tag.replace(/[/:]/g, '_')}.tar`);
  dirs.push(archive);
  const r = runGoimg(['build', repo.dir, '--docker-archive', archive, '--tag', tag, ...extra], {
    env: { GOIMG_CACHE_DIR: join(repo.dir, '..', 'goimg-cache-release') },
  });
  assert.equal(r.status, 0, r.stderr);
  dockerOk(['load', '-i', archive]);
  return dockerOk(['run', '--rm', '--network=host', tag]);
}

/** `goimg init` → BuildKit build with the given build args → the container's output. */
async function initBuildAndRun(
  repo: ScratchRepo,
  extra: string[],
  buildArgs: Record<string, string>,
): Promise<string> {
  const init = runGoimg(['init', repo.dir, '--no-syntax-directive', '--go', '1.23', ...extra]);
  assert.equal(init.status, 0, init.stderr);
  const tag = resources.imageTag('release-init');
  const built = await buildkitBuild(repo.dir, tag, { buildArgs });
  assert.equal(built.status, 0, built.output.slice(-3000));
  return dockerOk(['run', '--rm', '--network=host', tag]);
}

test('goreleaser v1, two builds: init asks which one; the chosen build keeps its binary, tags and -X injection', async (t) => {
  const repo = checkout('goreleaser-v1', 'v1.4.2');
  const short = repo.git('rev-parse', '--short', 'HEAD').trim();
  const asked = runGoimg(['init', repo.dir, '--stdout']);
  assert.equal(asked.status, 2);
  assert.match(asked.stderr, /\.goreleaser\.yml defines 2 builds \(hello, admin\)/);
  assert.match(asked.stderr, /--goreleaser-build hello/);

  const admin = runGoimg(['init', repo.dir, '--stdout', '--goreleaser-build', 'admin']);
  assert.equal(admin.status, 0, admin.stderr);
  assert.match(admin.stdout, /^ARG TARGETOS TARGETARCH$/m);
  assert.match(
    admin.stdout,
    /-X main\.version=\$\{VERSION\} -X main\.arch=\$\{TARGETARCH\}"/,
    '{{.Arch}} is the target',
  );

  const text = runGoimg(['init', repo.dir, '--stdout', '--goreleaser-build', 'hello']).stdout;
  assert.match(
    text,
    /Go \d+\.\d+, the newest release \(release table of [\d-]+\); go\.mod's go 1\.21 is a minimum/,
  );
  assert.match(text, /^ARG VERSION=dev SHORT_COMMIT=unknown DATE=unknown$/m);
  assert.match(
    text,
    /-tags=netgo -ldflags="-s -w -X main\.version=\$\{VERSION\} -X main\.commit=\$\{SHORT_COMMIT\}/,
  );
  assert.match(text, /-o \/out\/hello \.\/cmd\/hello/);
  assert.match(text, /--platform linux\/amd64,linux\/arm64 --build-arg VERSION=/);

  if (!need(t, ready(), 'a Docker engine with BuildKit and the golang:1.23 stand-in')) return;
  const fromInit = await initBuildAndRun(repo, ['--goreleaser-build', 'hello'], {
    VERSION: '1.4.2',
    SHORT_COMMIT: short,
    DATE: '2026-01-02T03:04:05Z',
  });
  assert.equal(fromInit, `hello version=1.4.2 commit=${short} date=2026-01-02T03:04:05Z`);
  // goimg build derives the same values from git: the tag without its v, HEAD, the commit date.
  const fromBuild = goimgBuildAndRun(repo, ['--goreleaser-build', 'hello']);
  assert.match(fromBuild, new RegExp(`^hello version=1\\.4\\.2 commit=${short} date=\\d{4}-\\d\\d-\\d\\dT`));
  // The admin build's {{.Arch}}: BuildKit's TARGETARCH in the Dockerfile, the platform built in goimg build.
  assert.equal(
    await initBuildAndRun(repo, ['--goreleaser-build', 'admin', '--force'], { VERSION: '1.4.2' }),
    'admin version=1.4.2 arch=amd64',
  );
  assert.equal(goimgBuildAndRun(repo, ['--goreleaser-build', 'admin']), 'admin version=1.4.2 arch=amd64');
  // Without --platform, an OCI layout holds the release build's linux platforms.
  const oci = runGoimg([
    'build',
    repo.dir,
    '--goreleaser-build',
    'hello',
    '--oci',
    join(repo.dir, '..', 'oci-v1'),
    '--format',
    'json',
  ]);
  assert.equal(oci.status, 0, oci.stderr);
  const report = JSON.parse(oci.stdout) as { images: { platform: string }[] };
  assert.deepEqual(
    report.images.map((i) => i.platform),
    ['linux/amd64', 'linux/arm64'],
  );
});

test('goreleaser v2 (toolchain line, main given as a file, ldflags list, -buildvcs=false): init and build inject the version', async (t) => {
  const repo = checkout('goreleaser-v2', 'v2.0.1');
  const commit = repo.git('rev-parse', 'HEAD').trim();
  const text = runGoimg(['init', repo.dir, '--stdout', '--goreleaser-build', 'api']).stdout;
  assert.match(
    text,
    /go build -trimpath -buildvcs=false -ldflags="-s -w -X example\.com\/relv2\/internal\/buildinfo\.Version=\$\{VERSION\}/,
  );
  assert.match(text, /-o \/out\/relv2-api \.\/cmd\/api$/m);
  if (!need(t, ready(), 'a Docker engine with BuildKit and the golang:1.23 stand-in')) return;
  const fromInit = await initBuildAndRun(repo, ['--goreleaser-build', 'api'], {
    VERSION: '2.0.1',
    COMMIT: commit,
  });
  assert.equal(fromInit, `api version=2.0.1 commit=${commit}`);
  assert.equal(goimgBuildAndRun(repo, ['--goreleaser-build', 'api']), `api version=2.0.1 commit=${commit}`);
  // A later --ldflags -X wins over the configuration's, as in go.
  assert.equal(
    goimgBuildAndRun(repo, [
      '--goreleaser-build',
      'api',
      '--ldflags=-X example.com/relv2/internal/buildinfo.Version=9.9.9',
    ]),
    `api version=9.9.9 commit=${commit}`,
  );
});

test('embed of a dist/ that npm run build writes: init adds the asset stage; goimg build refuses until it is built, then injects the Makefile version', (t) => {
  const repo = checkout('embed-dist', 'v0.3.0');
  const text = runGoimg(['init', repo.dir, '--stdout', '--go', '1.23']).stdout;
  assert.match(text, /^FROM --platform=\$BUILDPLATFORM node:\d+-bookworm-slim AS assets$/m);
  assert.match(text, /^RUN --mount=type=cache,target=\/root\/\.npm npm ci$/m);
  assert.match(text, /^RUN npm run build$/m);
  const copyAt = text.indexOf('COPY --from=assets /web/dist dist');
  assert.ok(
    copyAt > text.indexOf('COPY . .') && copyAt < text.indexOf('go build'),
    'assets land before go build',
  );
  assert.match(text, /Version injection taken from Makefile/);

  const refused = runGoimg(['build', repo.dir, '--oci', join(repo.dir, '..', 'oci-refused')]);
  assert.equal(refused.status, 2);
  assert.match(
    refused.stderr,
    /\/\/go:embed dist matches no file, so go build fails .*written by npm run build/,
  );

  // Without a producer, init says why the build will fail.
  const bare = mkdtempSync(join(tmpdir(), 'goimg-release-bare-'));
  dirs.push(bare);
  cpSync(repo.dir, bare, { recursive: true });
  rmSync(join(bare, 'package.json'));
  writeFileSync(join(bare, 'Makefile'), 'build:\n\tgo build .\n');
  const noted = runGoimg(['init', bare, '--stdout']);
  assert.match(noted.stderr, /\/\/go:embed dist matches no file.*nothing in the tree produces it/);

  if (!need(t, ready(), 'a Docker engine with BuildKit and the golang:1.23 stand-in')) return;
  execFileSync('npm', ['run', 'build'], { cwd: repo.dir, stdio: 'ignore' });
  assert.equal(readFileSync(join(repo.dir, 'dist/index.html'), 'utf8'), '<h1>built</h1>');
  // The Makefile's git describe keeps the v, as make would inject it.
  assert.equal(goimgBuildAndRun(repo, []), 'embeddist version=v0.3.0 page=<h1>built</h1>');
});

test('embed of a dist/ that npm run build writes, dist/ not in the tree: the init Dockerfile builds it in the node stage with BuildKit; the image prints the page', async (t) => {
  const repo = checkout('embed-dist', 'v0.3.1');
  const text = runGoimg(['init', repo.dir, '--stdout', '--go', '1.23']).stdout;
  const node = /^FROM --platform=\$BUILDPLATFORM (node:\S+) AS assets$/m.exec(text)?.[1];
  assert.ok(node, text);
  if (
    !need(
      t,
      ready() && hasImage(node),
      `a Docker engine with BuildKit, the golang:1.23 and ${node} stand-ins`,
    )
  )
    return;
  assert.equal(
    await initBuildAndRun(repo, [], { VERSION: 'v0.3.1' }),
    'embeddist version=v0.3.1 page=<h1>built</h1>',
  );
  assert.equal(
    existsSync(join(repo.dir, 'dist')),
    false,
    'the page came from the asset stage, not the context',
  );
});

test('go.work monorepo (a second module by local replace, several go.mod) with a Makefile -X: init and build inject the version', async (t) => {
  const repo = checkout('workspace', 'v3.1.0');
  const text = runGoimg(['init', repo.dir, '--stdout']).stdout;
  assert.match(text, /^COPY greet greet$/m);
  assert.match(
    text,
    /GOWORK=off go build -trimpath -ldflags="-s -w -X main\.Version=\$\{VERSION\}" -o \/out\/app \.\/cmd\/app/,
  );
  assert.match(text, /--build-arg VERSION=\$\(git describe --tags --always\)/);
  if (!need(t, ready(), 'a Docker engine with BuildKit and the golang:1.23 stand-in')) return;
  assert.equal(await initBuildAndRun(repo, [], { VERSION: 'v3.1.0' }), 'hello from v3.1.0');
  assert.equal(goimgBuildAndRun(repo, []), 'hello from v3.1.0');
});

test('go.mod newer than every installed Go: GOTOOLCHAIN=local (or no way to fetch it) exits 3 naming the version', () => {
  const repo = checkout('goreleaser-v2', 'v2.0.2');
  writeFileSync(join(repo.dir, 'go.mod'), 'module example.com/relv2\n\ngo 1.99.0\n');
  const local = runGoimg(
    ['build', repo.dir, '--main', './cmd/api', '--oci', join(repo.dir, '..', 'oci-local')],
    {
      env: { GOTOOLCHAIN: 'local' },
    },
  );
  assert.equal(local.status, 3, local.stderr);
  assert.match(local.stderr, /go\.mod needs go1\.99\.0/);
  assert.match(local.stderr, /install go1\.99\.0 or newer/);
  const offline = runGoimg(
    ['build', repo.dir, '--main', './cmd/api', '--oci', join(repo.dir, '..', 'oci-auto')],
    {
      env: { GOTOOLCHAIN: 'auto', GOPROXY: 'off', GOFLAGS: '' },
    },
  );
  assert.equal(offline.status, 3, offline.stderr);
  assert.match(offline.stderr, /go\.mod needs go1\.99\.0/);
});

test('.ko.yaml: init follows its build (main, -X from {{.Env.VERSION}}) and its defaultBaseImage as the runtime', () => {
  const repo = checkout('goreleaser-v2', 'v2.0.3');
  rmSync(join(repo.dir, '.goreleaser.yaml'));
  writeFileSync(
    join(repo.dir, '.ko.yaml'),
    [
      'defaultBaseImage: gcr.io/distroless/static-debian12:nonroot',
      'builds:',
      '  - id: api',
      '    main: ./cmd/api',
      '    ldflags:',
      '      - -X example.com/relv2/internal/buildinfo.Version={{.Env.VERSION}}',
      '',
    ].join('\n'),
  );
  const r = runGoimg(['init', repo.dir, '--stdout']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
  assert.match(
    r.stdout,
    /-X example\.com\/relv2\/internal\/buildinfo\.Version=\$\{VERSION\}" -o \/out\/api \.\/cmd\/api/,
  );
  assert.match(r.stderr, /\.ko\.yaml: following build api/);
});
