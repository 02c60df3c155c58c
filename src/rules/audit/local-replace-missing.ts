import { posix } from 'node:path';
import { pathMatchRegExp } from '../../context/path-match.js';
import type { AuditContext, RuleHit } from './context.js';
import { copiesFromContext, copySources, isContextMount } from './context.js';
import { builderStages, projectBuilds } from './support.js';

export const id = 'local-replace-missing';

export const examples = {
  bad: '# go.mod: replace example.com/lib => ./lib\nCOPY go.mod go.sum ./\nRUN go mod download',
  good: '# go.mod: replace example.com/lib => ./lib\nCOPY go.mod go.sum ./\nCOPY lib/ lib/\nRUN go mod download',
};

/**
 * Whether a COPY source brings in what go mod download reads of a local replacement: its
 * go.mod (the directory itself, a parent, or the go.mod file by name or pattern).
 */
export function coversReplace(source: string, dir: string): boolean {
  const s = posix.normalize(source.replace(/\/+$/, '')).replace(/^\.\//, '');
  if (s === '.' || s === '' || s === '*') return true;
  if (dir === s || dir.startsWith(`${s}/`)) return true;
  const goMod = dir === '.' ? 'go.mod' : `${dir}/go.mod`;
  if (s === goMod) return true;
  return /[*?]/.test(s) && pathMatchRegExp(s).test(goMod);
}

/**
 * A directory named relative to the Go project's root, as COPY sources name it: relative to
 * the build context ('..' first when it lies outside); null when goimg cannot tell.
 */
function contextPath(ctx: AuditContext, path: string): string | null {
  const { projectDir, prefix } = ctx.context;
  if (projectDir !== undefined) return posix.normalize(posix.join(projectDir || '.', path));
  // The project is the audited directory's; `prefix` leads from there down to the context.
  const down = prefix ? posix.normalize(prefix).split('/') : [];
  if (down.includes('..')) return null;
  return posix.normalize(posix.join(...down.map(() => '..'), path));
}

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  if (!project || project.localReplaceDirs.length === 0) return [];
  const hits: RuleHit[] = [];
  for (const stage of builderStages(ctx)) {
    const download = ctx.facts.go(stage).modSteps.find((m) => m.action === 'download');
    const at = download?.instruction ?? projectBuilds(ctx, stage)[0]!.instruction;
    const lineage = ctx.facts.lineage(stage);
    for (const raw of project.localReplaceDirs) {
      const dir = contextPath(ctx, raw);
      if (dir === null) continue;
      if (dir.startsWith('..') || posix.isAbsolute(dir)) {
        // A vendored build reads the replacement from vendor/, not from its directory.
        if (project.vendored) continue;
        hits.push({
          message: `the local replace target ${raw} lies outside the build context: it can never be copied in, so the build fails`,
          span: at.span,
        });
        continue;
      }
      if (!download) continue;
      const copied = lineage.some((s) =>
        s.instructions.some(
          (i) =>
            (s !== stage || i.index < download.instruction.index) &&
            copiesFromContext(i) &&
            copySources(i).sources.some((src) => coversReplace(src, dir)),
        ),
      );
      const mounted = download.instruction.flags.some(
        (f) => isContextMount(f) && coversReplace(f.options.source ?? '.', dir),
      );
      if (!copied && !mounted) {
        hits.push({
          message: `go.mod replaces a module with the local directory ${raw}, whose go.mod is not copied before go mod download: the download step fails; COPY ${raw}/go.mod (or the directory) first`,
          span: download.instruction.span,
        });
      }
    }
  }
  return hits;
}
