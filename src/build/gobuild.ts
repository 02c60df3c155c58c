/**
 * Runs `go build` on the host toolchain for one platform. The host's GOCACHE, GOMODCACHE,
 * GOFLAGS and GOPROXY are left as they are, so a rebuild costs an incremental `go build` and
 * offline machines (GOPROXY=off, vendored modules) work unchanged.
 */
import { EnvironmentError } from '../core/errors.js';
import { compareGoVersions, findGoToolchains, type GoToolchain } from '../env/go-toolchains.js';
import { type GoInvocation, runGo } from './go-run.js';
import type { Platform } from './platform.js';

/**
 * The newest installed toolchain at least as new as go.mod's `go` line (and `toolchain` line):
 * newer toolchains build older modules, never the other way round.
 */
export function chooseToolchain(goLine?: string, toolchainLine?: string): GoToolchain {
  const all = findGoToolchains();
  const wanted = [goLine ? `go${goLine}` : undefined, toolchainLine].filter((v): v is string => Boolean(v));
  const fit = all.filter((t) => wanted.every((w) => compareGoVersions(t.version, w) >= 0));
  if (fit[0]) return fit[0];
  const found = all.map((t) => t.version).join(', ') || 'none';
  throw new EnvironmentError(
    `no Go toolchain satisfies go.mod (${wanted.join(', ') || 'any'}); found: ${found}`,
    'install a newer Go (on Debian: apt-get install golang-1.23-go from bookworm-backports) or put it on PATH',
  );
}

export interface GoBuildRequest {
  toolchain: GoToolchain;
  /** Module root: the working directory of `go build`. */
  dir: string;
  /** Main package, relative to dir ("." or "./cmd/x"). */
  main: string;
  platform: Platform;
  cgo: boolean;
  /** Extra -ldflags words appended after "-s -w". */
  ldflags: string[];
  tags: string[];
  output: string;
  /**
   * go's work directory parent (GOTMPDIR): goimg's own, removed with the build, so that a `go
   * build` killed by an interruption leaves nothing behind. Beside `output` (the same file system),
   * go renames its linked binary into place: readers never see a half-written one.
   */
  tmpDir?: string;
}

/** The exact go command line: shown in --verbose output and the JSON report. */
export function goBuildArgs(req: GoBuildRequest): string[] {
  const args = ['build', '-trimpath', `-ldflags=${['-s', '-w', ...req.ldflags].join(' ')}`];
  if (req.tags.length > 0) args.push(`-tags=${req.tags.join(',')}`);
  args.push('-o', req.output, req.main);
  return args;
}

/** What goimg changes in its own environment for `go build` (null removes a variable). */
export function goBuildEnv(req: GoBuildRequest): Record<string, string | null> {
  return {
    CGO_ENABLED: req.cgo ? '1' : '0',
    GOOS: req.platform.os,
    GOARCH: req.platform.arch,
    // Never fetch another toolchain behind the user's back: we chose this one on purpose.
    GOTOOLCHAIN: 'local',
    GOROOT: req.toolchain.goroot,
    GOAMD64: null,
    GOARM:
      req.platform.arch === 'arm' && req.platform.variant ? req.platform.variant.replace(/^v/, '') : null,
    ...(req.tmpDir ? { GOTMPDIR: req.tmpDir } : {}),
  };
}

export function goBuildInvocation(req: GoBuildRequest): GoInvocation {
  return {
    go: req.toolchain.go,
    args: goBuildArgs(req),
    cwd: req.dir,
    env: goBuildEnv(req),
    output: req.output,
  };
}

/** What a successful `go build` gives: the binary at `output`, and how long go took. */
export interface GoBuilt {
  invocation: GoInvocation;
  millis: number;
}

/** Runs the build; a failure is an EnvironmentError with go's output and the command to reproduce it. */
export async function goBuild(req: GoBuildRequest): Promise<GoBuilt> {
  const inv = goBuildInvocation(req);
  const run = await runGo(inv);
  if (run.code !== 0) {
    throw new EnvironmentError(
      `go build failed for ${req.platform.os}/${req.platform.arch} (${req.toolchain.version}):\n${run.output.trimEnd()}`,
      `reproduce with: cd ${req.dir} && CGO_ENABLED=${req.cgo ? 1 : 0} GOOS=${req.platform.os} GOARCH=${req.platform.arch} ${req.toolchain.go} ${inv.args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`,
    );
  }
  return { invocation: inv, millis: Math.round(run.millis) };
}
