import { posix } from 'node:path';
import type { AuditContext, RuleHit } from '../../audit/context.js';
import { copySources } from '../../audit/context.js';
import { builderStages } from './support.js';

export const id = 'local-replace-missing';

export const examples = {
  bad: '# go.mod: replace example.com/lib => ./lib\nCOPY go.mod go.sum ./\nRUN go mod download',
  good: '# go.mod: replace example.com/lib => ./lib\nCOPY go.mod go.sum ./\nCOPY lib/ lib/\nRUN go mod download',
};

function covers(source: string, dir: string): boolean {
  const s = posix.normalize(source.replace(/\/+$/, '')).replace(/^\.\//, '');
  if (s === '.' || s === '' || s === '*') return true;
  return dir === s || dir.startsWith(`${s}/`);
}

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  if (!project || project.localReplaceDirs.length === 0) return [];
  const hits: RuleHit[] = [];
  for (const stage of builderStages(ctx)) {
    const download = ctx.facts.go(stage).modSteps.find((m) => m.action === 'download');
    const at = download?.instruction ?? ctx.facts.go(stage).builds[0]!.instruction;
    for (const raw of project.localReplaceDirs) {
      const dir = posix.normalize(posix.join(ctx.context.prefix || '.', raw));
      if (dir.startsWith('..') || posix.isAbsolute(dir)) {
        hits.push({
          message: `the local replace target ${raw} lies outside the build context: it can never be copied in, so the build fails`,
          span: at.span,
        });
        continue;
      }
      if (!download) continue;
      const copied = stage.instructions.some(
        (i) =>
          i.index < download.instruction.index &&
          (i.keyword === 'COPY' || i.keyword === 'ADD') &&
          !i.flags.some((f) => f.name === 'from') &&
          copySources(i).sources.some((s) => covers(s, dir)),
      );
      if (!copied) {
        hits.push({
          message: `go.mod replaces a module with the local directory ${raw}, which is not copied before go mod download: the download step fails; COPY it first`,
          span: download.instruction.span,
        });
      }
    }
  }
  return hits;
}
