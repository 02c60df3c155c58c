import { evidenceWhere, shippedPrograms } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { copySources } from './context.js';
import { copiesRootTree, startsNothing } from './support.js';

export const id = 'missing-tzdata';

export const examples = {
  bad: '// main.go: time.LoadLocation("Europe/Paris")\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
  good: '// main.go: import _ "time/tzdata"   (or go build -tags timetzdata)\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
};

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  // An image that starts nothing is exported or unpacked: the program runs where zoneinfo is.
  if (!final || ctx.facts.base(final).tzdata !== false || copiesRootTree(ctx, final)) return [];
  if (startsNothing(ctx, final)) return [];
  const lineage = ctx.facts.lineage(final);
  // ZONEINFO names a zoneinfo.zip or directory Go reads instead of /usr/share/zoneinfo.
  if (lineage.some((s) => s.env.has('ZONEINFO'))) return [];
  const copied = lineage.some((s) =>
    s.instructions.some(
      (i) =>
        (i.keyword === 'COPY' || i.keyword === 'ADD') &&
        [...copySources(i).sources, copySources(i).dest].some((p) => p.includes('zoneinfo')),
    ),
  );
  if (copied) return [];
  for (const p of shippedPrograms(ctx) ?? []) {
    if (p.needs.embedsTzdata || p.needs.timeZoneEvidence.length === 0) continue;
    const e = p.needs.timeZoneEvidence[0]!;
    return [
      {
        message: `the program loads time zones${evidenceWhere(e)} but ${final.base} has no /usr/share/zoneinfo: time.LoadLocation fails with "unknown time zone"; import _ "time/tzdata" or build with -tags timetzdata`,
        span: ctx.facts.root(final).from.span,
      },
    ];
  }
  return [];
}
