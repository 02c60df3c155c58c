/**
 * The real-world corpus in end-to-end tests: where it is, which of its projects build offline
 * here, stand-in names for the golang tags they use, and whether an image's command starts.
 * The corpus is read from GOIMG_REALWORLD_CORPUS, or from `shared/corpus/realworld` (see
 * shared-data.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { removeImage } from './buildkit.js';
import { docker } from './docker.js';
import { hasImage } from './env.js';
import { findSharedData } from './shared-data.js';

/** The golang stand-in other golang tags are second names of. */
export const GOLANG_STAND_IN = 'golang:1.23';

export function findCorpus(): string | undefined {
  return findSharedData(join('corpus', 'realworld'), 'score.py', 'GOIMG_REALWORLD_CORPUS');
}

/** A scratch directory and a list of image tags, both removed when the test file ends. */
export function corpusWorkspace(prefix: string): { scratch: string; tags: string[] } {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const tags: string[] = [];
  after(() => {
    for (const t of tags) removeImage(t);
    rmSync(scratch, { recursive: true, force: true });
  });
  return { scratch, tags };
}

/** go.mod's `go` line, and whether it requires any module (which would need the network). */
function goMod(dir: string): { go: string; requires: boolean } | undefined {
  const path = join(dir, 'go.mod');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  return {
    go: /^go\s+(\S+)/m.exec(text)?.[1] ?? '1.0',
    requires: /^require\b/m.test(text),
  };
}

function goAtMost(version: string, limit: string): boolean {
  const [a1 = 0, a2 = 0] = version.split('.').map(Number);
  const [b1 = 0, b2 = 0] = limit.split('.').map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}

/**
 * Projects whose root go.mod requires no module and accepts Go 1.23 (the newest toolchain here;
 * nothing can be downloaded); with `needDockerfile`, only those with a Dockerfile at the root.
 */
export function offlineProjects(root: string, needDockerfile: boolean): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .filter((name) => {
      const dir = join(root, name);
      const mod = goMod(dir);
      return (
        (!needDockerfile || existsSync(join(dir, 'Dockerfile'))) &&
        mod !== undefined &&
        !mod.requires &&
        goAtMost(mod.go, '1.23')
      );
    })
    .sort();
}

/**
 * Names the golang stand-in under each golang tag the Dockerfile uses and the engine lacks (the
 * projects accept Go 1.23); pushes the names given to `tags` for removal. Returns why a base
 * cannot be provided, or undefined.
 */
export function provideBases(dockerfile: string, tags: string[]): string | undefined {
  const stages = new Set<string>(['scratch']);
  for (const m of dockerfile.matchAll(/^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const ref = m[1]!;
    if (m[2]) stages.add(m[2].toLowerCase());
    if (stages.has(ref.toLowerCase()) || hasImage(ref)) continue;
    if (!/^golang:/.test(ref)) return `base image ${ref} has no stand-in`;
    const tagged = docker(['tag', GOLANG_STAND_IN, ref]);
    assert.equal(tagged.status, 0, tagged.stderr);
    tags.push(ref);
  }
  return undefined;
}

/**
 * Runs the image's command when it has one: the program may want arguments or a service, but it
 * must start (no exec failure: missing loader, file or permission, wrong architecture).
 */
export function assertStarts(tag: string, what: string): void {
  const config = JSON.parse(docker(['image', 'inspect', '--format', '{{json .Config}}', tag]).stdout) as {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
  };
  if (!config.Entrypoint?.length && !config.Cmd?.length) return;
  const run = docker(['run', '--rm', '--network=host', tag], { timeoutMs: 30_000 });
  assert.ok(run.status !== 126 && run.status !== 127, `${what}: the image does not start:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /exec .*(no such file or directory|permission denied|exec format error)/);
}
