/**
 * One `go build` run: the exact invocation as a value (shown in errors and the report), and running
 * it so that nothing of it outlives goimg. go runs in a process group of its own (POSIX), so that an
 * interruption stops the compilers and the linker it started too, not only go itself.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { atInterrupt } from '../core/interrupt.js';

/** One `go build` run, completely. */
export interface GoInvocation {
  go: string;
  args: string[];
  cwd: string;
  /** Changes to goimg's environment: a value sets, null removes. */
  env: Record<string, string | null>;
  /** The -o path. */
  output: string;
}

export interface GoRun {
  code: number;
  /** stdout and stderr, interleaved. */
  output: string;
  millis: number;
}

function invocationEnv(inv: GoInvocation, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(inv.env)) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  return env;
}

const GROUPS = process.platform !== 'win32';

/**
 * Runs `go`; rejects only when it cannot be started at all. If goimg is interrupted meanwhile, go
 * and everything it started are killed and the output file, possibly half written, is removed.
 */
export function runGo(inv: GoInvocation): Promise<GoRun> {
  const started = performance.now();
  const child = spawn(inv.go, inv.args, {
    cwd: inv.cwd,
    env: invocationEnv(inv, process.env),
    // Its own process group (a new session): one kill reaches go's compilers and linker.
    detached: GROUPS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = atInterrupt(() => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      if (GROUPS) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    }
    rmSync(inv.output, { force: true });
  });
  return new Promise<GoRun>((resolve, reject) => {
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (err) => {
      forget();
      reject(err);
    });
    child.on('close', (code) => {
      forget();
      resolve({
        code: code ?? -1,
        output: Buffer.concat(chunks).toString('utf8'),
        millis: performance.now() - started,
      });
    });
  });
}
