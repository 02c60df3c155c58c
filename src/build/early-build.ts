/**
 * The early start of `go build`. A rebuild's cost is mostly `go build` itself, so it starts before
 * Node does: bin/goimg.js sources `<cache>/early/plans.sh` (early-plans.ts), which starts the
 * `go build`s this command line (same directory, same arguments) ran last time, one per platform,
 * in the background. When goimg has worked out a build it really needs, adopt() takes a run over
 * if it is exactly that invocation (toolchain, arguments, directory, environment, output);
 * otherwise the run for that platform is killed and its directory removed, and the real one runs
 * as usual. Either way the result is what the real invocation produces: the early start only
 * moves it earlier.
 *
 * Without the shell launcher (`node bin/goimg.js`, or no POSIX sh) nothing starts early; the plans
 * are still remembered.
 */
import { existsSync, type FSWatcher, readFileSync, rmSync, statSync, watch } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { trace } from '../core/trace.js';
import { canonicalPlan, type Plan, readPlans, withPlan, writePlans } from './early-plans.js';
import { canonicalInvocation, type GoInvocation, type GoRun, isInvocation, runGo } from './go-run.js';

/** The `go build`s started early, until the build adopts them, or abandons them. */
export interface EarlyBuild {
  /**
   * The early run that is exactly `inv`; otherwise undefined (and an early run for the same
   * platform, if any, is killed). An early run that could not even start is replaced by a fresh
   * run of `inv`.
   */
  adopt(inv: GoInvocation): Promise<GoRun> | undefined;
  /**
   * Records `invocations` (one per platform, in order) as this command line's plan for next time
   * (once; atomic; best effort).
   */
  remember(invocations: readonly GoInvocation[]): void;
  /** Kills the early runs nobody adopted and removes what is left of them. Call it last. */
  abandon(): void;
}

/** How often the wait looks at the run directory besides watching it (a missed event costs this). */
const POLL_MS = 50;
/** A started run that shows no `go` process (pid file) after this long never started. */
const START_GRACE_MS = 2000;

/** Exit statuses of a shell that could not run the command: `cd` or exec failed. */
const NOT_STARTED = new Set([126, 127]);

/** Best effort: a directory left in TMPDIR is not worth failing a build for. */
function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 5 });
  } catch {
    // Left behind.
  }
}

/**
 * The run the launcher started in `dir` (early-plans.ts): the shell waits for `go` and writes its
 * exit status to `status`; go's output is in `out`, its pid in `pid`.
 */
class LaunchedRun {
  private readonly started = Date.now();

  constructor(readonly dir: string) {}

  private read(name: string): string | undefined {
    try {
      return readFileSync(join(this.dir, name), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** A number the shell wrote on a line of its own (undefined until the line is complete). */
  private number(name: 'status' | 'pid'): number | undefined {
    const text = this.read(name);
    return text && /^\d+\n$/.test(text) ? Number(text) : undefined;
  }

  private status(): number | undefined {
    return this.number('status');
  }

  private pid(): number | undefined {
    return this.number('pid');
  }

  /**
   * go's wall time: from the launcher making `tmp` (right before it starts go) to the status file
   * (right after go exits). Node's own clock, which starts a little after go, if the file system
   * keeps no birth times.
   */
  private elapsed(): number {
    try {
      const started = statSync(join(this.dir, 'tmp')).birthtimeMs;
      const ended = statSync(join(this.dir, 'status')).mtimeMs;
      if (started > 0 && ended >= started) return ended - started;
    } catch {
      // Fall through.
    }
    return performance.now();
  }

  /** True once it is certain no status will come: go is gone, or never appeared. */
  private lost(): boolean {
    const pid = this.pid();
    // No directory (the launcher makes it before Node starts): removed since, nothing to wait for.
    if (pid === undefined) return !existsSync(this.dir) || Date.now() - this.started > START_GRACE_MS;
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      // Gone: the shell writes the status right after; one more look decides.
      return this.status() === undefined;
    }
  }

  /** go's result; undefined if it never ran (then nothing of it is left to wait for). */
  wait(): Promise<GoRun | undefined> {
    return new Promise((resolve) => {
      let watcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (run: GoRun | undefined) => {
        if (settled) return;
        settled = true;
        watcher?.close();
        clearTimeout(timer);
        resolve(run);
      };
      const check = (polled: boolean) => {
        const code = this.status();
        if (code !== undefined)
          return finish({ code, output: this.read('out') ?? '', millis: this.elapsed(), early: true });
        if (polled && this.lost()) return finish(undefined);
        if (polled) timer = setTimeout(() => check(true), POLL_MS);
      };
      try {
        watcher = watch(this.dir, (_event, name) => {
          if (name === 'status') check(false);
        });
      } catch {
        // Not there yet, or no inotify: the poll finds the status.
      }
      check(true);
    });
  }

  /** Stops go (if still running) and removes the directory. */
  discard(): void {
    // No directory (the launcher makes it before Node starts): removed since, nothing to stop.
    if (!existsSync(this.dir)) return;
    if (this.status() === undefined) {
      // The shell writes the pid right after starting go: wait for it briefly if it is not there.
      this.waitFor(() => this.pid() ?? this.status(), START_GRACE_MS);
      const pid = this.pid();
      if (pid !== undefined && this.status() === undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        // The shell records the status as soon as go is gone: let it, so that it does not write
        // into the directory while it is being removed.
        this.waitFor(() => this.status(), 200);
      }
    }
    this.remove();
  }

  /** Polls `found` (synchronously: this is goimg giving up on the run) until it gives a value. */
  private waitFor<T>(found: () => T | undefined, millis: number): T | undefined {
    const deadline = Date.now() + millis;
    let value = found();
    while (value === undefined && Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      value = found();
    }
    return value;
  }

  remove(): void {
    removeQuietly(this.dir);
  }
}

/** The platform an invocation builds for: a stale run for it is stopped at once. */
const platformOf = (inv: GoInvocation) => ['GOOS', 'GOARCH', 'GOARM'].map((k) => inv.env[k] ?? '').join('/');

interface StartedRun {
  invocation: GoInvocation;
  run: LaunchedRun;
}

class EarlyStart implements EarlyBuild {
  private remembered = false;

  constructor(
    /** Where plans are kept; none: nothing is remembered. */
    private readonly cacheDir: string | undefined,
    /** This command line: the launcher's directory and goimg's arguments. */
    private readonly command: Omit<Plan, 'invocations'>,
    /** canonicalPlan of what the launcher started (undefined: nothing, or an older launcher's plan). */
    private readonly startedPlan: string | undefined,
    /** The runs not adopted yet. */
    private runs: StartedRun[],
    /** The launcher's directory for this command (GOIMG_EARLY_RUN), removed last. */
    private readonly base: string | undefined,
  ) {}

  adopt(inv: GoInvocation): Promise<GoRun> | undefined {
    const key = canonicalInvocation(inv);
    const match = this.runs.find((r) => canonicalInvocation(r.invocation) === key);
    if (!match) {
      const stale = this.runs.filter((r) => platformOf(r.invocation) === platformOf(inv));
      for (const r of stale) r.run.discard();
      this.runs = this.runs.filter((r) => !stale.includes(r));
      return undefined;
    }
    this.runs = this.runs.filter((r) => r !== match);
    return match.run.wait().then((run) => {
      match.run.remove();
      return run && !NOT_STARTED.has(run.code) ? run : runGo(inv);
    });
  }

  remember(invocations: readonly GoInvocation[]): void {
    if (this.remembered || !this.cacheDir || invocations.length === 0) return;
    this.remembered = true;
    if (this.startedPlan === canonicalPlan(invocations)) return;
    try {
      writePlans(
        this.cacheDir,
        withPlan(readPlans(this.cacheDir), { ...this.command, invocations: [...invocations] }),
      );
    } catch {
      // A plan that cannot be written only costs the early start.
    }
  }

  abandon(): void {
    for (const r of this.runs) r.run.discard();
    this.runs = [];
    if (this.base) removeQuietly(this.base);
  }
}

/** The launcher's $PWD when it names the current directory (the shell compares that), else cwd. */
function launchDirectory(env: NodeJS.ProcessEnv): string {
  const cwd = process.cwd();
  const pwd = env.PWD;
  if (!pwd || pwd === cwd) return cwd;
  try {
    const [a, b] = [statSync(pwd), statSync(cwd)];
    return a.dev === b.dev && a.ino === b.ino ? pwd : cwd;
  } catch {
    return cwd;
  }
}

/** True unless no process has this pid (another user's live process counts as alive). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the run directories (`goimg-early-PID`, named after the goimg process) of goimg
 * processes that are gone: one killed before it could remove its own leaves it behind. Best
 * effort; another user's directory is not ours to remove and stays.
 */
export async function sweepOrphanRuns(tmp: string): Promise<void> {
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    const m = /^goimg-early-(\d+)$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    await rm(join(tmp, name), { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * The early start of `goimg build ARGV` (ARGV as the launcher got it, "build" first): what the
 * launcher started, taken out of `env` so that goimg's children do not inherit it. Orphaned run
 * directories are swept meanwhile, in the background.
 */
export function openEarlyBuild(
  cacheDir: string | undefined,
  argv: readonly string[],
  env = process.env,
): EarlyBuild {
  const dir = env.GOIMG_EARLY_RUN;
  const planText = env.GOIMG_EARLY_PLAN;
  delete env.GOIMG_EARLY_RUN;
  delete env.GOIMG_EARLY_PLAN;
  void sweepOrphanRuns(env.TMPDIR || '/tmp');
  let runs: StartedRun[] = [];
  let startedPlan: string | undefined;
  try {
    const plan: unknown = planText && dir ? JSON.parse(planText) : undefined;
    if (Array.isArray(plan) && plan.length > 0 && plan.every(isInvocation)) {
      runs = plan.map((invocation, n) => ({
        invocation,
        run: new LaunchedRun(join(dir as string, String(n))),
      }));
      startedPlan = canonicalPlan(plan);
    } else if (isInvocation(plan)) {
      // An older goimg's plans.sh: one run, in the directory itself. Adopted; its plan is rewritten.
      runs = [{ invocation: plan, run: new LaunchedRun(dir as string) }];
    }
  } catch {
    // Not ours: ignored.
  }
  if (runs.length > 0)
    trace(`early start of go build${runs.length > 1 ? ` (${runs.length} platforms)` : ''}`);
  return new EarlyStart(
    cacheDir,
    { cwd: launchDirectory(env), argv: [...argv] },
    startedPlan,
    runs,
    runs.length > 0 ? dir : undefined,
  );
}
