/**
 * Runs `go build` on the host toolchain for one platform. The host's GOCACHE, GOMODCACHE,
 * GOFLAGS and GOPROXY are left as they are, so a rebuild costs an incremental `go build` and
 * offline machines (GOPROXY=off, vendored modules) work unchanged.
 */
import { EnvironmentError } from '../core/errors.js';
import { compareGoVersions, findGoToolchains, type GoToolchain } from '../env/go-toolchains.js';
import { type GoInvocation, runGo } from './go-run.js';
import type { Platform } from './platform.js';

/** GOTOOLCHAIN as the user set it; go's own default is auto. */
export function userGoToolchain(): string {
  return process.env.GOTOOLCHAIN || 'auto';
}

/** The version go.mod asks for ("go1.25.0"), the higher of its go and toolchain lines. */
function requiredGo(goLine?: string, toolchainLine?: string): string | undefined {
  const wanted = [goLine ? `go${goLine}` : undefined, toolchainLine].filter((v): v is string => Boolean(v));
  return wanted.sort((a, b) => compareGoVersions(b, a))[0];
}

/** The refusal when go.mod needs a Go that is neither installed nor fetchable: exit 3, with the way out. */
export function toolchainMissing(need: string, found: string, detail?: string): EnvironmentError {
  return new EnvironmentError(
    `go.mod needs ${need} and no installed toolchain has it (found: ${found})${detail ? `:\n${detail}` : ''}`,
    `install ${need} or newer (https://go.dev/dl/), or let go fetch it: GOTOOLCHAIN=auto (the default) with the module proxy reachable (GOPROXY)`,
  );
}

/**
 * The newest installed toolchain at least as new as go.mod's `go` and `toolchain` lines (newer
 * toolchains build older modules). When none is, the newest one that can switch toolchains
 * (Go 1.21+) runs, and go fetches the version go.mod names as it would for the user, unless
 * GOTOOLCHAIN forbids it.
 */
export function chooseToolchain(goLine?: string, toolchainLine?: string): GoToolchain {
  const all = findGoToolchains();
  const need = requiredGo(goLine, toolchainLine);
  const fit = all.filter((t) => need === undefined || compareGoVersions(t.version, need) >= 0);
  if (fit[0]) return fit[0];
  const found = all.map((t) => t.version).join(', ') || 'none';
  const switcher = all.find((t) => compareGoVersions(t.version, 'go1.21') >= 0);
  const mode = userGoToolchain();
  if (!switcher || need === undefined || mode === 'local' || mode.endsWith('+path')) {
    throw toolchainMissing(
      need ?? 'a Go toolchain',
      found,
      mode === 'local' ? 'GOTOOLCHAIN=local forbids fetching it' : undefined,
    );
  }
  return { ...switcher, switchTo: need };
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
  /** Extra go build flags (a release config's -mod=readonly, -buildvcs=false, ...). */
  flags?: string[];
  /** Extra environment (a release config's GOEXPERIMENT, GOFLAGS, ...). */
  env?: Record<string, string>;
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
  const args = [
    'build',
    '-trimpath',
    ...(req.flags ?? []),
    `-ldflags=${['-s', '-w', ...req.ldflags].join(' ')}`,
  ];
  if (req.tags.length > 0) args.push(`-tags=${req.tags.join(',')}`);
  args.push('-o', req.output, req.main);
  return args;
}

/** What goimg changes in its own environment for `go build` (null removes a variable). */
export function goBuildEnv(req: GoBuildRequest): Record<string, string | null> {
  return {
    ...req.env,
    CGO_ENABLED: req.cgo ? '1' : '0',
    GOOS: req.platform.os,
    GOARCH: req.platform.arch,
    // The user's choice, as go itself would read it: auto fetches the Go that go.mod names.
    GOTOOLCHAIN: userGoToolchain(),
    // A toolchain go switches to finds its own GOROOT; pinning the host's would mislead it.
    GOROOT: req.toolchain.switchTo ? null : req.toolchain.goroot,
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
  const switching = req.toolchain.switchTo;
  if (run.code !== 0 && switching && /toolchain|go: downloading go1|requires go >=/.test(run.output)) {
    throw toolchainMissing(switching, req.toolchain.version, run.output.trimEnd());
  }
  if (run.code !== 0) {
    throw new EnvironmentError(
      `go build failed for ${req.platform.os}/${req.platform.arch} (${req.toolchain.version}):\n${run.output.trimEnd()}`,
      `reproduce with: cd ${req.dir} && CGO_ENABLED=${req.cgo ? 1 : 0} GOOS=${req.platform.os} GOARCH=${req.platform.arch} ${req.toolchain.go} ${inv.args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`,
    );
  }
  return { invocation: inv, millis: Math.round(run.millis) };
}
