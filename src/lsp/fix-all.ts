/**
 * "Fix all" for one document: `goimg audit --fix`'s loop (fix, audit again, until nothing fixable
 * is left) run in memory on the unsaved texts, returning each changed file's text before and
 * after. A Dockerfile gets every fix its audit offers (a missing .dockerignore included); a
 * .dockerignore only its own.
 */
import { resolve } from 'node:path';
import type { DocumentKind } from './files.js';
import { lintOptions } from './lint.js';
import type { ProjectModels } from './project-models.js';

export interface FixAllOutcome {
  root: string;
  files: { path: string; before: string; after: string; created: boolean }[];
  /** Findings fixed over all rounds. */
  fixed: number;
}

export async function fixAll(
  models: ProjectModels,
  path: string,
  kind: DocumentKind,
  overlay: ReadonlyMap<string, string>,
): Promise<FixAllOutcome | undefined> {
  const how = await lintOptions(models, path, kind, overlay);
  if (!how) return undefined;
  const settings = await models.settings(how.root);
  const { fixUntilStable } = await import('../audit/fix-loop.js');
  const outcome = await fixUntilStable(
    how.root,
    how.options,
    (findings) =>
      settings
        .visible(how.root, findings)
        .filter((f) => kind === 'dockerfile' || resolve(how.root, f.file) === path),
    false,
  );
  return {
    root: how.root,
    files: outcome.files.map((f) => ({ ...f, path: resolve(how.root, f.file) })),
    fixed: outcome.fixed.length,
  };
}
