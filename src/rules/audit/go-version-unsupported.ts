import { compareVersions, goMajor, goReleases, releaseTableAges, supportedGo } from './base-images.js';
import type { AuditContext, RuleHit } from './context.js';

export const id = 'go-version-unsupported';

export const examples = {
  bad: 'FROM golang:1.20 AS build',
  good: 'FROM golang:1.27 AS build',
};

export function check(ctx: AuditContext): RuleHit[] {
  const supported = supportedGo(ctx.now);
  if (supported.length === 0) return [];
  const oldest = supported[supported.length - 1]!;
  const hits: RuleHit[] = [];
  const seen = new Set<number>();
  // Every stage that works in a golang image (go build, make, xx-go, a script, go install):
  // the builder image's own Go is what compiles.
  for (const stage of ctx.df.stages) {
    if (!stage.instructions.some((i) => i.keyword === 'RUN')) continue;
    const root = ctx.facts.root(stage);
    if (seen.has(root.index)) continue;
    const have = ctx.facts.base(root).goVersion;
    if (!have || have === 'latest' || !have.includes('.')) continue;
    seen.add(root.index);
    const major = goMajor(have);
    if (compareVersions(major, oldest) >= 0) continue;
    const table = goReleases();
    const stale = releaseTableAges(ctx.now).some((t) => t.name === 'go-releases' && t.stale);
    hits.push({
      message: `Go ${major} is out of upstream support (supported: ${supported.join(' and ')}, per the release table of ${table.date}${stale ? ', which may miss newer releases: update goimg' : ''}); it gets no security fixes`,
      span: root.from.args[0]!.span,
    });
  }
  return hits;
}
