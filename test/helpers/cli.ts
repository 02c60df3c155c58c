/**
 * Runs the built goimg CLI as a child process, the way users run it: bin/goimg.js executed itself
 * (through its `#!/usr/bin/env node` line), with this test's Node first on PATH.
 */
import { execFile, spawnSync } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const GOIMG_BIN = fileURLToPath(new URL('../../../bin/goimg.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runGoimg(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer } = {},
): CliResult {
  const r = spawnSync(GOIMG_BIN, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: goimgEnv(options.env),
    encoding: 'utf8',
    input: options.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The environment goimg runs in: ours, no colour, this Node first on PATH, release data never
 * fetched (GOIMG_OFFLINE=1: tests of fetching serve it themselves and say so), then `extra`.
 */
export function goimgEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const path = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
  return { ...process.env, NO_COLOR: '1', GOIMG_OFFLINE: '1', PATH: path, ...extra };
}

/** runGoimg without blocking the event loop: for tests that serve goimg from this process. */
export function runGoimgAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      GOIMG_BIN,
      args,
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: goimgEnv(options.env),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        resolve({ status: err ? (typeof code === 'number' ? code : -1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}
