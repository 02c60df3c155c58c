import type { ProjectModel } from '../../project/model.js';
import type { AuditContext, RuleHit } from './context.js';
import { contextRel, copiesFromContext, copySources } from './context.js';

export const id = 'copy-source-missing';

export const examples = {
  bad: '# built with `docker build deploy/` (compose: build: .)\nFROM golang:1.25\nCOPY go.mod go.sum ./\nCOPY cmd/ ./cmd/',
  good: '# built with `docker build -f deploy/Dockerfile .`\nFROM golang:1.25\nCOPY go.mod go.sum ./\nCOPY cmd/ ./cmd/',
};

/** A path of the Go project's own files: go.mod, go.sum, a package directory or one of its files. */
function projectHolds(project: ProjectModel, path: string): boolean {
  if (path === 'go.mod') return project.goMod !== undefined;
  if (path === 'go.sum') return project.hasGoSum;
  return project.packages.some(
    (p) =>
      p.dir === path ||
      p.dir.startsWith(`${path}/`) ||
      p.files.some((f) => (p.dir === '.' ? f : `${p.dir}/${f}`) === path),
  );
}

/**
 * COPY sources that are not in a stated context but are the project's own files at its root: the
 * Dockerfile was written for the project root as context, and the build stops with "not found".
 * Other missing sources may be made before the build (a binary, a web bundle): not judged.
 */
export function check(ctx: AuditContext): RuleHit[] {
  const sub = ctx.context.statedSubdirectory;
  const inv = ctx.context.inventory;
  const project = ctx.project;
  const rootFiles = ctx.context.moduleRootFiles;
  if (sub === undefined || !inv || (!project && !rootFiles) || ctx.context.assembledBy) return [];
  const holds = (p: string) => (project ? projectHolds(project, p) : rootFiles!.includes(p));
  const hits: RuleHit[] = [];
  const copies = ctx.facts
    .builtStages()
    .flatMap((s) => s.instructions)
    .filter(copiesFromContext)
    .map((ins) => ({
      ins,
      sources: copySources(ins)
        .sources.filter((src) => !/[*?[\]$]/.test(src) && !src.includes('://'))
        .map(contextRel)
        .filter((p) => p !== '' && !p.startsWith('..')),
    }));
  // Sources the stated context does hold: from the project root they need its path in front.
  const found = copies.flatMap((c) => c.sources.filter((p) => inv.isFile(p) || inv.isDir(p)));
  const advice =
    found.length === 0
      ? `build with the project root as context (docker build -f ${ctx.file} .)`
      : `build with the project root as context and name the sources found in ${sub}/ from it (${sub}/${found[0]})`;
  for (const { ins, sources } of copies) {
    const missing = sources.filter((p) => !inv.isFile(p) && !inv.isDir(p)).filter(holds);
    if (missing.length === 0) continue;
    hits.push({
      message: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the build context ${sub}/ but at the project root: this ${ins.keyword} fails with "not found"; ${advice}`,
      span: ins.span,
    });
  }
  return hits;
}
