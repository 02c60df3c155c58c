/**
 * Real Go fixture binaries, compiled on demand and cached.
 *
 * API (shared by the binary, image and build test suites):
 *
 *   buildFixture(name, variant) -> Promise<BuiltFixture>
 *     Compiles test/fixtures/go/<name>/ (a Go module, standard library only) with the named
 *     variant (a key of FIXTURE_VARIANTS) or an explicit FixtureSpec, and returns
 *     { path, name, variant, spec, toolchain }. `toolchain` is the Go toolchain that built it,
 *     so a test can cross-check with `${toolchain.go} version -m path`.
 *   fixtureAvailable(variant) -> string | null
 *     null when this machine can build the variant, else what is missing (for `need()`):
 *       if (!need(t, fixtureAvailable('musl') === null, 'musl-gcc')) return;
 *   FIXTURE_VARIANTS, FIXTURE_NAMES: the catalogue.
 *
 * Fixtures (test/fixtures/go/): app (pure Go, internal package, dependency module through a
 * local replace), netuser (net + os/user), netonly, useronly, cgocall (a package that does
 * import "C"), vulnapp (a vendored module the fixture vulnerability database names), inlineapp
 * (a vendored module whose functions are all inlined into main).
 *
 * Variants: static (CGO_ENABLED=0), cgo (glibc, dynamic), musl (CC=musl-gcc),
 * stripped (-s -w), dwarf (default build, DWARF kept), pie, trimpath, upx and upx-lzma (upx,
 * upx --lzma on a copy of static), go1.15 / go1.19 / go1.23, arm64, 386, s390x, arm, ppc64le, riscv64 (cross-compiled,
 * cgo off), and
 * windows / darwin (real PE and Mach-O files, for "not supported yet").
 *
 * Cache: <repo>/.cache/fixtures/<name>-<variant>-<hash>/<name>, where hash covers the fixture's
 * sources, the toolchain version, the spec and (for upx) the upx version. A cached binary is
 * reused until one of those changes. Builds write to a temporary name and rename, so parallel
 * test files and test runs can share the cache. Builds run with GOPROXY=off and, on Go >= 1.18,
 * -buildvcs=false (the repository's git state must not leak into build info).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { compareGoVersions, findGoToolchain, type GoToolchain } from '../../src/env/go-toolchains.js';
import { REPO_ROOT } from './cli.js';
import { hasTool } from './env.js';

const run = promisify(execFile);

export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures', 'go');
export const FIXTURE_CACHE = join(REPO_ROOT, '.cache', 'fixtures');

export const FIXTURE_NAMES = [
  'app',
  'netuser',
  'netonly',
  'useronly',
  'cgocall',
  'vulnapp',
  'inlineapp',
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export interface FixtureSpec {
  /** Go minor version, e.g. "1.23". */
  go: string;
  /** Default linux; windows and darwin give real PE and Mach-O files. */
  goos?: string;
  goarch: string;
  cgo: boolean;
  /** C compiler for cgo builds (musl-gcc); default gcc. */
  cc?: string;
  ldflags?: string;
  buildmode?: 'exe' | 'pie';
  trimpath?: boolean;
  /** Pack a copy with `upx` after building ('lzma': `upx --lzma`). */
  upx?: boolean | 'lzma';
}

export const FIXTURE_VARIANTS = {
  static: { go: '1.23', goarch: 'amd64', cgo: false },
  cgo: { go: '1.23', goarch: 'amd64', cgo: true },
  musl: { go: '1.23', goarch: 'amd64', cgo: true, cc: 'musl-gcc' },
  stripped: { go: '1.23', goarch: 'amd64', cgo: false, ldflags: '-s -w' },
  dwarf: { go: '1.23', goarch: 'amd64', cgo: false },
  pie: { go: '1.23', goarch: 'amd64', cgo: false, buildmode: 'pie' },
  trimpath: { go: '1.23', goarch: 'amd64', cgo: false, trimpath: true },
  upx: { go: '1.23', goarch: 'amd64', cgo: false, upx: true },
  'upx-lzma': { go: '1.23', goarch: 'amd64', cgo: false, upx: 'lzma' },
  'go1.15': { go: '1.15', goarch: 'amd64', cgo: false },
  'go1.15-cgo': { go: '1.15', goarch: 'amd64', cgo: true },
  'go1.19': { go: '1.19', goarch: 'amd64', cgo: false },
  'go1.19-cgo': { go: '1.19', goarch: 'amd64', cgo: true },
  'go1.23': { go: '1.23', goarch: 'amd64', cgo: false },
  arm64: { go: '1.23', goarch: 'arm64', cgo: false },
  '386': { go: '1.23', goarch: '386', cgo: false },
  s390x: { go: '1.23', goarch: 's390x', cgo: false },
  arm: { go: '1.23', goarch: 'arm', cgo: false },
  ppc64le: { go: '1.23', goarch: 'ppc64le', cgo: false },
  riscv64: { go: '1.23', goarch: 'riscv64', cgo: false },
  'go1.15-386': { go: '1.15', goarch: '386', cgo: false },
  'go1.15-s390x': { go: '1.15', goarch: 's390x', cgo: false },
  windows: { go: '1.23', goos: 'windows', goarch: 'amd64', cgo: false },
  darwin: { go: '1.23', goos: 'darwin', goarch: 'arm64', cgo: false },
} as const satisfies Record<string, FixtureSpec>;
export type FixtureVariant = keyof typeof FIXTURE_VARIANTS;

export interface BuiltFixture {
  path: string;
  name: string;
  variant: string;
  spec: FixtureSpec;
  toolchain: GoToolchain;
}

function specOf(variant: FixtureVariant | FixtureSpec): FixtureSpec {
  return typeof variant === 'string' ? FIXTURE_VARIANTS[variant] : variant;
}

/** null when the variant can be built here, else what is missing. */
export function fixtureAvailable(variant: FixtureVariant | FixtureSpec): string | null {
  const spec = specOf(variant);
  if (!findGoToolchain(spec.go)) return `Go ${spec.go} toolchain (/usr/lib/go-${spec.go})`;
  if (spec.cgo && !hasTool(spec.cc ?? 'gcc')) return spec.cc ?? 'gcc';
  if (spec.upx && !hasTool('upx')) return 'upx';
  return null;
}

function sourceHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else
        h.update(`${relative(dir, p)}\0`)
          .update(readFileSync(p))
          .update('\0');
    }
  };
  walk(dir);
  return h.digest('hex');
}

async function upxVersion(): Promise<string> {
  const { stdout } = await run('upx', ['--version']);
  return stdout.split('\n')[0] ?? '';
}

const inflight = new Map<string, Promise<BuiltFixture>>();

export function buildFixture(
  name: FixtureName,
  variant: FixtureVariant | FixtureSpec,
): Promise<BuiltFixture> {
  const key = `${name}:${JSON.stringify(variant)}`;
  let p = inflight.get(key);
  if (!p) {
    p = doBuild(name, variant);
    inflight.set(key, p);
    p.catch(() => inflight.delete(key));
  }
  return p;
}

async function doBuild(name: FixtureName, variant: FixtureVariant | FixtureSpec): Promise<BuiltFixture> {
  const spec = specOf(variant);
  const label = typeof variant === 'string' ? variant : 'custom';
  const missing = fixtureAvailable(spec);
  if (missing) throw new Error(`cannot build fixture ${name}/${label}: needs ${missing}`);
  const toolchain = findGoToolchain(spec.go) as GoToolchain;
  const src = join(FIXTURES_DIR, name);
  const hash = createHash('sha256')
    .update(sourceHash(src))
    .update(toolchain.version)
    .update(JSON.stringify(spec))
    .update(spec.upx ? await upxVersion() : '')
    .digest('hex')
    .slice(0, 16);
  const dir = join(FIXTURE_CACHE, `${name}-${label}-${hash}`);
  const out = join(dir, name);
  const built: BuiltFixture = { path: out, name, variant: label, spec, toolchain };
  if (existsSync(out)) return built;

  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.tmp-${process.pid}-${Date.now()}`;
  const args = ['build', '-o', tmp];
  const modern = compareGoVersions(toolchain.version, 'go1.18') >= 0;
  if (modern) args.push('-buildvcs=false');
  if (spec.ldflags) args.push(`-ldflags=${spec.ldflags}`);
  if (spec.buildmode) args.push(`-buildmode=${spec.buildmode}`);
  if (spec.trimpath) args.push('-trimpath');
  args.push('.');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOROOT: toolchain.goroot,
    GOPROXY: 'off',
    GOFLAGS: '',
    GO111MODULE: 'on',
    GOTOOLCHAIN: 'local',
    GOOS: spec.goos ?? 'linux',
    GOARCH: spec.goarch,
    CGO_ENABLED: spec.cgo ? '1' : '0',
    CC: spec.cc ?? 'gcc',
  };
  // Go 1.15 writes its build cache under HOME; keep it out of the way of newer toolchains.
  if (!modern) env.GOCACHE = join(FIXTURE_CACHE, `gocache-${toolchain.version}`);
  try {
    await run(toolchain.go, args, { cwd: src, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`go build of fixture ${name}/${label} failed: ${e.stderr || e.message}`);
  }
  if (spec.upx) {
    const packed = `${tmp}.upx`;
    copyFileSync(tmp, packed);
    // -q: quiet; --force-overwrite is not needed since the name is fresh.
    await run('upx', ['-q', ...(spec.upx === 'lzma' ? ['--lzma'] : []), packed]);
    rmSync(tmp);
    renameSync(packed, out);
  } else {
    renameSync(tmp, out);
  }
  return built;
}
