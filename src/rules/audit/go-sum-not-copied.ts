import type { AuditContext, RuleHit } from '../../audit/context.js';
import { insert } from './support.js';

export const id = 'go-sum-not-copied';

export const examples = {
  bad: 'COPY go.mod ./\nRUN go mod download',
  good: 'COPY go.mod go.sum ./\nRUN go mod download',
};

export const fixDescription = 'Adds go.sum next to go.mod in the COPY.';

export function check(ctx: AuditContext): RuleHit[] {
  if (!ctx.project?.hasGoSum) return [];
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    for (const ins of stage.instructions) {
      if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || ins.flags.some((f) => f.name === 'from'))
        continue;
      if (ins.args.length < 2) continue;
      const sources = ins.args.slice(0, -1);
      const norm = (v: string) => v.replace(/^\.\//, '');
      const mod = sources.find((a) => norm(a.value) === 'go.mod');
      if (!mod) continue;
      if (sources.some((a) => ['go.sum', 'go.*', '*', '.', 'go.mod*', '*.sum'].includes(norm(a.value))))
        continue;
      hits.push({
        message:
          'go.mod is copied without go.sum: the download cannot verify checksums and go build fails with "missing go.sum entry"',
        span: ins.span,
        fix: { description: 'copy go.sum too', edits: [insert(ctx, mod.span.end, ' go.sum')] },
      });
    }
  }
  return hits;
}
