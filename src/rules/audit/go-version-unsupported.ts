import { goMajor, goReleases } from '../../audit/base-images.js';
import type { AuditContext, RuleHit } from '../../audit/context.js';
import { builderStages } from './support.js';

export const id = 'go-version-unsupported';

export const examples = {
  bad: 'FROM golang:1.20 AS build',
  good: 'FROM golang:1.25 AS build',
};

export function check(ctx: AuditContext): RuleHit[] {
  const table = goReleases();
  const supported = table.releases.slice(0, 2).map((r) => r.version);
  const hits: RuleHit[] = [];
  const seen = new Set<number>();
  for (const stage of builderStages(ctx)) {
    const root = ctx.facts.root(stage);
    if (seen.has(root.index)) continue;
    seen.add(root.index);
    const have = ctx.facts.base(root).goVersion;
    if (!have || have === 'latest') continue;
    const major = goMajor(have);
    if (supported.includes(major)) continue;
    // A version newer than the table is not "unsupported": the table is merely older.
    if (!table.releases.some((r) => r.version === major)) continue;
    hits.push({
      message: `Go ${major} is out of upstream support (supported: ${supported.join(' and ')}, per the release table of ${table.date}); it gets no security fixes`,
      span: root.from.args[0]!.span,
    });
  }
  return hits;
}
