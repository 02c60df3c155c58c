/**
 * The early start of `go build`. A rebuild's cost is mostly `go build` itself, so goimg starts it
 * before it has loaded the rest of its code or scanned the project: bin/goimg.js calls
 * startEarlyBuild() first thing, which runs the `go build` that the same command line (same
 * directory, same arguments) ran last time, as remembered in `<cache>/plans/`. When goimg has
 * worked out the build it really needs, adoptEarlyBuild() hands over the early one if it is exactly
 * that invocation (toolchain, arguments, directory, environment, output); otherwise the early one
 * is killed and its temporary directory removed, and the real one runs as usual. Either way the
 * result is what the real invocation produces: the early start only moves it earlier.
 *
 * Only node: built-ins here: this module loads before everything else.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { restoreLaunchEnv } from '../core/launch-env.js';
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

export function invocationEnv(inv: GoInvocation, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(inv.env)) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  return env;
}

interface Running {
  child: ChildProcess;
  done: Promise<GoRun>;
}

/** Spawns `go`; `done` rejects only when it cannot be started at all. */
export function runGo(inv: GoInvocation, extraEnv: NodeJS.ProcessEnv = {}, early = false): Running {
  const started = performance.now();
  const child = spawn(inv.go, inv.args, { cwd: inv.cwd, env: { ...invocationEnv(inv), ...extraEnv } });
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
export function planPath(cacheDir: string, cwd: string, argv: readonly string[]): string {
  const key = createHash('sha256')
    .update(JSON.stringify([cwd, argv]))
    .digest('hex')
    .slice(0, 32);
  return join(cacheDir, 'plans', `${key}.json`);
}

/** Niceness of goimg's main thread once an early `go build` runs. */
const EARLY_NICENESS = 10;

interface EarlyState {
  plan: string;
  /** The plan as read (canonical JSON), if there was one. */
  previous?: string;
  running?: Running & { invocation: GoInvocation; gotmp: string };
  remembered: boolean;
}

let state: EarlyState | undefined;

/**
 * Starts last time's `go build` for `goimg build ARGV` in `cwd`, if there was one. Never throws:
 * anything unexpected only means no early start.
 */
export function startEarlyBuild(argv: readonly string[], cwd = process.cwd()): void {
  restoreLaunchEnv();
  const cacheDir = defaultCacheDir();
  if (!cacheDir || argv.includes('--no-cache')) return;
  const plan = planPath(cacheDir, cwd, argv);
  state = { plan, remembered: false };
  try {
    const invocation: unknown = JSON.parse(readFileSync(plan, 'utf8'));
    if (!isInvocation(invocation)) return;
    state.previous = canonical(invocation);
    mkdirSync(dirname(invocation.output), { recursive: true });
    // Its own GOTMPDIR, so that if it has to be killed, what it leaves behind can be removed.
    const gotmp = mkdtempSync(join(tmpdir(), 'goimg-early-'));
    const env = process.env.GOTMPDIR ? {} : { GOTMPDIR: gotmp };
    state.running = { ...runGo(invocation, env, true), invocation, gotmp };
    trace('early start of go build');
    // What goimg does meanwhile (load its code, scan, prepare layers) can wait; `go build` is the
    // critical path, so goimg's main thread yields the CPU to it. (Linux: this thread only, and
    // what it starts later; an unprivileged process cannot lower it again, nor needs to.)
    setPriority(Math.max(getPriority(), EARLY_NICENESS));
  } catch {
    // No plan yet, or an unreadable one: the build starts `go` itself.
  }
}

function discard(running: NonNullable<EarlyState['running']>): void {
  running.child.kill('SIGKILL');
  const clean = () => rmSync(running.gotmp, { recursive: true, force: true });
  running.done.then(clean, clean);
}

/**
 * The early run if it is exactly `inv`; otherwise undefined (and the early run, if any, is killed).
 * An early run that could not even start is not adopted: the caller runs `go` and reports why.
 */
export function adoptEarlyBuild(inv: GoInvocation): Promise<GoRun> | undefined {
  const running = state?.running;
  if (!running) return undefined;
  state!.running = undefined;
  if (canonical(running.invocation) !== canonical(inv)) {
    discard(running);
    return undefined;
  }
  return running.done.then(
    (run) => {
      rmSync(running.gotmp, { recursive: true, force: true });
      return run;
    },
    () => {
      rmSync(running.gotmp, { recursive: true, force: true });
      return runGo(inv).done;
    },
  );
}

/** Records `inv` as this command line's plan for next time (once per run; atomic; best effort). */
export function rememberInvocation(inv: GoInvocation): void {
  if (!state || state.remembered) return;
  state.remembered = true;
  const text = canonical(inv);
  if (text === state.previous) return;
  try {
    mkdirSync(dirname(state.plan), { recursive: true });
    const tmp = `${state.plan}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, state.plan);
  } catch {
    // A plan that cannot be written only costs the early start.
  }
}

/** Kills an early run nobody adopted (a build that failed before reaching `go build`). */
export function abandonEarlyBuild(): void {
  const running = state?.running;
  if (!running) return;
  state!.running = undefined;
  discard(running);
}
