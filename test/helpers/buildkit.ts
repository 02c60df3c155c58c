/** Runs real BuildKit builds on the test engine and reads which steps it reported CACHED. */
import { spawnSync } from 'node:child_process';
import { BUILDKIT_DOCKER, dockerEnv } from './env.js';

export interface BuildKitStep {
  /** Stage as BuildKit names it: the AS name, or stage-N. */
  stage: string;
  /** 1-based position in the stage as BuildKit counts it (1 is FROM). */
  position: number;
  text: string;
  cached: boolean;
}

export interface BuildKitRun {
  ok: boolean;
  output: string;
  steps: BuildKitStep[];
}

/** Parses `--progress=plain` output into the stage steps and whether each was CACHED. */
export function parsePlainProgress(output: string): BuildKitStep[] {
  const byVertex = new Map<string, BuildKitStep>();
  for (const line of output.split('\n')) {
    const head = /^#(\d+) \[([^\]\s]+) (\d+)\/(\d+)\] (.*)$/.exec(line);
    if (head) {
      if (head[2] === 'internal') continue;
      byVertex.set(head[1]!, { stage: head[2]!, position: Number(head[3]), text: head[5]!, cached: false });
      continue;
    }
    const cached = /^#(\d+) CACHED$/.exec(line);
    if (cached) {
      const step = byVertex.get(cached[1]!);
      if (step) step.cached = true;
    }
  }
  return [...byVertex.values()];
}

export function buildkitBuild(contextDir: string, tag: string, extraArgs: string[] = []): BuildKitRun {
  const r = spawnSync(
    BUILDKIT_DOCKER,
    ['build', '--progress=plain', '--network=host', '-t', tag, ...extraArgs, contextDir],
    { env: dockerEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
  );
  const output = `${r.stdout}${r.stderr}`;
  return { ok: r.status === 0, output, steps: parsePlainProgress(output) };
}

export function removeImage(tag: string): void {
  spawnSync(BUILDKIT_DOCKER, ['rmi', '-f', tag], { env: dockerEnv(), stdio: 'ignore' });
}
