/**
 * The early start of `go build`. A rebuild's cost is mostly `go build` itself, so goimg starts it
 * before it has loaded the rest of its code or scanned the project: bin/goimg.js calls
 * startEarlyBuild() first thing, which runs the `go build` that the same command line (same
 * directory, same arguments) ran last time, as remembered in `<cache>/plans/`, and hands the
 * returned EarlyBuild to main(). When goimg has worked out the build it really needs, adopt() takes
 * over the early one if it is exactly that invocation (toolchain, arguments, directory,
 * environment, output); otherwise the early one is killed and its temporary directory removed, and
 * the real one runs as usual. Either way the result is what the real invocation produces: the early
 * start only moves it earlier.
 *
 * This module is also bundled on its own (dist/cli/early-build.js, Node built-ins only, no shared
 * chunks), because it loads before everything else: so it keeps no module state; the handle
 * carries it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { launchEnvRestored } from '../core/launch-env.js';
import { trace } from '../core/trace.js';
import { defaultCacheDir } from './cache-dir.js';

/** One `go build` run, completely: what makes two runs interchangeable. */
export interface GoInvocation {
  go: string;
  args: string[];
  cwd: string;
  /** Changes to goimg's environment: a value sets, null removes. */
  env: Record<string, string | null>;
  /** The -o path (its directory is created before the early start). */
  output: string;
}

export interface GoRun {
  code: number;
  /** stdout and stderr, interleaved. */
  output: string;
  millis: number;
  /** True when the early start did this run. */
  early: boolean;
}

function invocationEnv(inv: GoInvocation, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(inv.env)) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Spawns `go`; `done` rejects only when it cannot be started at all. */
export function runGo(
  inv: GoInvocation,
  options: { base?: NodeJS.ProcessEnv; extra?: NodeJS.ProcessEnv; early?: boolean } = {},
): { child: ChildProcess; done: Promise<GoRun> } {
  const early = options.early ?? false;
  const started = performance.now();
  const env = { ...invocationEnv(inv, options.base), ...options.extra };
  const child = spawn(inv.go, inv.args, { cwd: inv.cwd, env });
  const done = new Promise<GoRun>((resolve, reject) => {
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        output: Buffer.concat(chunks).toString('utf8'),
        millis: performance.now() - started,
        early,
      }),
    );
  });
  done.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection meanwhile
  return { child, done };
}

const canonical = (inv: GoInvocation) =>
  JSON.stringify({ go: inv.go, args: inv.args, cwd: inv.cwd, env: inv.env, output: inv.output });

function isInvocation(v: unknown): v is GoInvocation {
  const i = v as GoInvocation;
  return (
    typeof i === 'object' &&
    i !== null &&
    typeof i.go === 'string' &&
    Array.isArray(i.args) &&
    i.args.every((a) => typeof a === 'string') &&
    typeof i.cwd === 'string' &&
    typeof i.env === 'object' &&
    i.env !== null &&
    Object.values(i.env).every((v) => v === null || typeof v === 'string') &&
    typeof i.output === 'string'
  );
}

/** The plan file of a command line run in a directory. */
function planPath(cacheDir: string, cwd: string, argv: readonly string[]): string {
  const key = createHash('sha256')
    .update(JSON.stringify([cwd, argv]))
    .digest('hex')
    .slice(0, 32);
  return join(cacheDir, 'plans', `${key}.json`);
}

/** A `go build` started early, until the build adopts it, lets it go, or abandons it. */
export interface EarlyBuild {
  /**
   * The early run if it is exactly `inv`; otherwise undefined (and the early run, if any, is
   * killed). An early run that could not even start is replaced by a fresh run of `inv`.
   */
  adopt(inv: GoInvocation): Promise<GoRun> | undefined;
  /** Records `inv` as this command line's plan for next time (once; atomic; best effort). */
  remember(inv: GoInvocation): void;
  /** Kills an early run nobody adopted (a build that failed before reaching `go build`). */
  abandon(): void;
}

interface Running {
  invocation: GoInvocation;
  run: ReturnType<typeof runGo>;
  gotmp: string;
}

class EarlyStart implements EarlyBuild {
  private remembered = false;

  constructor(
    private readonly plan: string,
    /** The plan as read (canonical JSON), if there was one. */
    private readonly previous: string | undefined,
    private running: Running | undefined,
  ) {}

  adopt(inv: GoInvocation): Promise<GoRun> | undefined {
    const running = this.running;
    if (!running) return undefined;
    this.running = undefined;
    if (canonical(running.invocation) !== canonical(inv)) {
      discard(running);
      return undefined;
    }
    const clean = () => rmSync(running.gotmp, { recursive: true, force: true });
    return running.run.done.then(
      (run) => {
        clean();
        return run;
      },
      () => {
        clean();
        return runGo(inv).done;
      },
    );
  }

  remember(inv: GoInvocation): void {
    if (this.remembered) return;
    this.remembered = true;
    const text = canonical(inv);
    if (text === this.previous) return;
    try {
      mkdirSync(dirname(this.plan), { recursive: true });
      const tmp = `${this.plan}.tmp-${process.pid}`;
      writeFileSync(tmp, text);
      renameSync(tmp, this.plan);
    } catch {
      // A plan that cannot be written only costs the early start.
    }
  }

  abandon(): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    discard(running);
  }
}

function discard(running: Running): void {
  running.run.child.kill('SIGKILL');
  // Now (goimg may exit before the child is reaped), and again once it is (a compiler it started
  // may still have been writing there).
  const clean = () => rmSync(running.gotmp, { recursive: true, force: true });
  clean();
  running.run.done.then(clean, clean);
}

/**
 * Starts last time's `go build` for `goimg build ARGV` in `cwd`, if there was one, and returns the
 * handle the build adopts it through (also when nothing started: it records the plan). Never
 * throws: anything unexpected only means no early start.
 */
export function startEarlyBuild(argv: readonly string[], cwd = process.cwd()): EarlyBuild | undefined {
  const cacheDir = defaultCacheDir();
  if (!cacheDir || argv.includes('--no-cache')) return undefined;
  const plan = planPath(cacheDir, cwd, argv);
  let previous: string | undefined;
  let running: Running | undefined;
  try {
    const invocation: unknown = JSON.parse(readFileSync(plan, 'utf8'));
    if (isInvocation(invocation)) {
      previous = canonical(invocation);
      mkdirSync(dirname(invocation.output), { recursive: true });
      // Its own GOTMPDIR, so that if it has to be killed, what it leaves behind can be removed.
      const gotmp = mkdtempSync(join(tmpdir(), 'goimg-early-'));
      // The environment goimg will have once it has put back what its launcher moved aside.
      const base = launchEnvRestored(process.env);
      const extra = base.GOTMPDIR ? {} : { GOTMPDIR: gotmp };
      running = { invocation, run: runGo(invocation, { base, extra, early: true }), gotmp };
      trace('early start of go build');
    }
  } catch {
    // No plan yet, or an unreadable one: the build starts `go` itself.
  }
  return new EarlyStart(plan, previous, running);
}
