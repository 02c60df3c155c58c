/**
 * Lints one open document with the audit: a Dockerfile alone (the others in its directory are not
 * read again), a .dockerignore through the Dockerfiles beside it. Unsaved texts of open documents
 * come in as the overlay; the project model comes from the cache, so a keystroke costs a parse
 * and the rules. Findings are grouped by the absolute path of the file they are in.
 */
import { dirname, resolve } from 'node:path';
import type { AuditFinding } from '../audit/engine.js';
import { type AuditOptions, auditDirectory, findDockerfiles } from '../audit/load.js';
import type { DocumentKind } from './files.js';
import type { ProjectModels } from './project-models.js';

export interface LintResult {
  /** The audited directory: fixes' relative paths start here. */
  root: string;
  /** Visible findings by absolute file path. */
  byFile: Map<string, AuditFinding[]>;
}

/** The audit options for a document; undefined for a .dockerignore with no Dockerfile beside it. */
export async function lintOptions(
  models: ProjectModels,
  path: string,
  kind: DocumentKind,
  overlay: ReadonlyMap<string, string>,
): Promise<{ root: string; options: AuditOptions } | undefined> {
  const root = dirname(path);
  const settings = await models.settings(root);
  const options: AuditOptions = { overlay, cache: models.cache(root) };
  if (settings.context) options.context = settings.context;
  if (kind === 'dockerfile') options.dockerfile = path;
  else if (findDockerfiles(root).length === 0) return undefined;
  return { root, options };
}

export async function lintDocument(
  models: ProjectModels,
  path: string,
  kind: DocumentKind,
  overlay: ReadonlyMap<string, string>,
): Promise<LintResult> {
  const byFile = new Map<string, AuditFinding[]>();
  const how = await lintOptions(models, path, kind, overlay);
  if (!how) return { root: dirname(path), byFile };
  const result = await auditDirectory(how.root, how.options);
  const settings = await models.settings(how.root);
  for (const f of settings.visible(result.root, result.findings)) {
    const file = resolve(result.root, f.file);
    // A .dockerignore shows only its own findings: the Dockerfiles show theirs when open.
    if (kind === 'dockerignore' && file !== path) continue;
    const list = byFile.get(file) ?? [];
    list.push(f);
    byFile.set(file, list);
  }
  return { root: result.root, byFile };
}
