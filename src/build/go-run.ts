/**
 * One `go build` run as a value: the exact invocation (what makes two runs interchangeable, see
 * early-build.ts), and running it.
 */
import { spawn } from 'node:child_process';

/** One `go build` run, completely: what makes two runs interchangeable. */
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
  /** True when the early start did this run. */
  early: boolean;
}

/** The invocation as canonical JSON: equal text, interchangeable runs. */
export const canonicalInvocation = (inv: GoInvocation): string =>
  JSON.stringify({ go: inv.go, args: inv.args, cwd: inv.cwd, env: inv.env, output: inv.output });

export function isInvocation(v: unknown): v is GoInvocation {
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

function invocationEnv(inv: GoInvocation, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(inv.env)) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `go`; rejects only when it cannot be started at all. */
export function runGo(inv: GoInvocation): Promise<GoRun> {
  const started = performance.now();
  const child = spawn(inv.go, inv.args, { cwd: inv.cwd, env: invocationEnv(inv, process.env) });
  return new Promise<GoRun>((resolve, reject) => {
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        output: Buffer.concat(chunks).toString('utf8'),
        millis: performance.now() - started,
        early: false,
      }),
    );
  });
}
