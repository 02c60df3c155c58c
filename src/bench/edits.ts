/**
 * The changes a benchmark makes to its private copy of the project, the way a developer would:
 * a one-line source change in the main package, and a dependency change (go.mod, plus a vendored
 * or local-replace dependency's source, since no module proxy may be reachable).
 */
import { appendFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectModel } from '../project/model.js';

export interface AppliedEdit {
  /** Files changed, relative to the copy's root. */
  files: string[];
  description: string;
}

function firstGoFile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const entries = readdirSync(dir).sort();
  const direct = entries.find((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
  if (direct) return direct;
  for (const e of entries) {
    if (statSync(join(dir, e)).isDirectory()) {
      const inner = firstGoFile(join(dir, e));
      if (inner) return `${e}/${inner}`;
    }
  }
  return undefined;
}

/**
 * Appends one comment line to a .go file of the main package: changes its content hash only.
 * `token` is unique per run: BuildKit's layer cache is content-addressed, so an edit that an
 * earlier run already made would be a cache hit, not a rebuild.
 */
export function applySourceChange(copyRoot: string, mainDir: string, token: string): AppliedEdit {
  const rel = `${mainDir === '.' ? '' : `${mainDir}/`}${firstGoFile(join(copyRoot, mainDir)) ?? 'main.go'}`;
  appendFileSync(join(copyRoot, rel), `\n// goimg bench: source change ${token}\n`);
  return { files: [rel], description: `one comment line appended to ${rel}` };
}

/**
 * A dependency change: go.mod gains a comment line (what a version bump does to the download
 * layer's cache key), and the dependency's own code changes: a vendored package's file, or a
 * local replace target's file.
 */
export function applyDependencyChange(copyRoot: string, project: ProjectModel, token: string): AppliedEdit {
  const files = ['go.mod'];
  appendFileSync(join(copyRoot, 'go.mod'), `\n// goimg bench: dependency change ${token}\n`);
  let what = 'go.mod';
  const vendorDir = join(copyRoot, 'vendor');
  const replaceDir = project.localReplaceDirs
    .map((d) => d.replace(/^\.\//, ''))
    .find((d) => !d.startsWith('..'));
  const depDir = project.vendored ? vendorDir : replaceDir ? join(copyRoot, replaceDir) : undefined;
  const depFile = depDir ? firstGoFile(depDir) : undefined;
  if (depDir && depFile) {
    const rel = `${project.vendored ? 'vendor' : replaceDir}/${depFile}`;
    appendFileSync(join(copyRoot, rel), `\n// goimg bench: dependency change ${token}\n`);
    files.push(rel);
    what = `go.mod and ${project.vendored ? 'vendored' : 'local replace'} ${rel}`;
  }
  return { files, description: `one comment line appended to ${what}` };
}
