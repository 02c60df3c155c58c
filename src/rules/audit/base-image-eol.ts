import { isStale } from '../../releases/calendar.js';
import type { AuditContext, RuleHit } from './context.js';
import { baseSetByBuild } from './support.js';

export const id = 'base-image-eol';

export const examples = {
  bad: 'FROM alpine:3.16',
  good: 'FROM alpine:3.24',
};

export function check(ctx: AuditContext): RuleHit[] {
  const table = ctx.releases.eol;
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    // An ARG default the project's build replaces is not the release its images run.
    if (!stage.image || baseSetByBuild(ctx, stage)) continue;
    const release = ctx.facts.base(stage).release;
    if (!release) continue;
    const entry = table.distros[release.distro].find((e) => e.version === release.version);
    if (!entry?.eol || new Date(`${entry.eol}T00:00:00Z`).getTime() > ctx.now.getTime()) continue;
    const newest = table.distros[release.distro][0]!;
    const old = isStale(table.date, ctx.now)
      ? ` (release data from ${table.date}; newer releases likely)`
      : '';
    // A build stage's system does not ship: only the tools that run the build miss their fixes.
    const final = ctx.facts.finalStage;
    const buildOnly = final !== undefined && !ctx.facts.lineage(final).includes(stage);
    hits.push({
      message: `${stage.base} is ${release.distro} ${release.version}${entry.codename ? ` (${entry.codename})` : ''}, end of life since ${entry.eol}: no more security updates${buildOnly ? ' for the tools the build runs (nothing of it ships)' : ''}; move to ${release.distro} ${newest.version}${old}`,
      span: stage.from.args[0]!.span,
      ...(buildOnly ? { severity: 'info' as const } : {}),
    });
  }
  return hits;
}
