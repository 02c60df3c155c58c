import { isStale } from '../../releases/calendar.js';
import { compareVersions, goMajor, releasedGo } from './base-images.js';
import type { AuditContext, RuleHit } from './context.js';
import { baseSetByBuild } from './support.js';

export const id = 'go-version-unsupported';

export const examples = {
  bad: 'FROM golang:1.20 AS build',
  good: 'FROM golang:1.27 AS build',
};

export function check(ctx: AuditContext): RuleHit[] {
  const supported = releasedGo(ctx.releases.go, ctx.now).slice(0, 2);
  if (supported.length === 0) return [];
  const oldest = supported[supported.length - 1]!.version;
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
    // The version is an ARG default the project's build replaces.
    if (baseSetByBuild(ctx, root)) continue;
    const major = goMajor(have);
    if (compareVersions(major, oldest) >= 0) continue;
    const date = ctx.releases.go.date;
    const names = supported.map((r) => r.version).join(' and ');
    // With old data, Go's calendar says which majors must be out by now.
    const basis = supported.some((r) => r.projected)
      ? `by Go's release calendar (release data from ${date}; newer releases likely)`
      : isStale(date, ctx.now)
        ? `per release data from ${date}; newer releases likely`
        : `per the release data of ${date}`;
    hits.push({
      message: `Go ${major} is out of upstream support (supported: ${names}, ${basis}); it gets no security fixes`,
      span: root.from.args[0]!.span,
    });
  }
  return hits;
}
