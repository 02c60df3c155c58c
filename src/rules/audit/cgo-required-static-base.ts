import { compilesC } from '../../project/model.js';
import { shippedPrograms } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { evidenceText } from './libc-mismatch.js';
import { exportedScratch, linksStatically } from './support.js';

export const id = 'cgo-required-static-base';

export const examples = {
  bad: '# main.go imports github.com/mattn/go-sqlite3\nFROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app',
  good: '# main.go imports github.com/mattn/go-sqlite3\nFROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /app /app',
};

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  // A scratch stage that starts nothing is exported (`--output`): the binary runs elsewhere.
  if (!final || ctx.facts.base(final).libc !== 'none' || exportedScratch(ctx, final)) return [];
  const programs = shippedPrograms(ctx) ?? [];
  for (const p of programs) {
    // CGO_ENABLED=0 makes a static binary (or a failed build, which go build reports itself).
    if (p.cgoOff || !p.needs.cgoRequired) continue;
    if (linksStatically(p.build?.ldflags)) continue;
    const evidence = p.needs.cgoEvidence.find((e) => compilesC(e) && !e.optional);
    const what = p.mains.length === 1 ? `the program built from ${p.mains[0]}` : 'the program';
    const needs = `${what} needs cgo${evidence ? ` (it ${evidenceText(evidence)})` : ''}`;
    const advice =
      "use gcr.io/distroless/base-debian12 or debian:bookworm-slim, or link fully statically (-ldflags '-linkmode external -extldflags -static')";
    // Built outside this Dockerfile (make, a script, a prebuilt binary): how it was linked is not
    // visible here, and a static link runs on any base.
    if (!p.build && ctx.facts.shippedBuilds().length === 0) {
      // The project's build files link statically: such a binary needs no libc.
      if (ctx.context.staticLink) continue;
      return [
        {
          message: `${needs} and ${final.base} has no libc: unless its build links it statically, it cannot start; ${advice}`,
          span: ctx.facts.root(final).from.span,
          severity: 'warning',
        },
      ];
    }
    return [
      {
        message: `${needs} but ${final.base} has no libc: ${advice}`,
        span: ctx.facts.root(final).from.span,
      },
    ];
  }
  return [];
}
