import type { AuditContext, RuleHit } from '../../audit/context.js';
import { copySources } from '../../audit/context.js';

export const id = 'missing-tzdata';

export const examples = {
  bad: '// main.go: time.LoadLocation("Europe/Paris")\nFROM scratch\nCOPY --from=build /app /app',
  good: '// main.go: import _ "time/tzdata"   (or go build -tags timetzdata)\nFROM scratch\nCOPY --from=build /app /app',
};

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  const project = ctx.project;
  if (!project?.loadsTimeZones || project.embedsTzdata || !final) return [];
  if (ctx.facts.base(final).tzdata !== false) return [];
  if (ctx.facts.allBuilds().some((b) => b.tags.includes('timetzdata'))) return [];
  const copied = ctx.facts
    .lineage(final)
    .some((s) =>
      s.instructions.some(
        (i) =>
          (i.keyword === 'COPY' || i.keyword === 'ADD') &&
          [...copySources(i).sources, copySources(i).dest].some((p) => p.includes('zoneinfo')),
      ),
    );
  if (copied) return [];
  return [
    {
      message: `the program loads time zones but ${final.base} has no /usr/share/zoneinfo: time.LoadLocation fails with "unknown time zone"; import _ "time/tzdata" or build with -tags timetzdata`,
      span: ctx.facts.root(final).from.span,
    },
  ];
}
