import type { AuditContext, RuleHit } from '../../audit/context.js';
import { evidenceText } from './libc-mismatch.js';

export const id = 'cgo-required-static-base';

export const examples = {
  bad: '# uses github.com/mattn/go-sqlite3\nFROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app',
  good: '# uses github.com/mattn/go-sqlite3\nFROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /app /app',
};

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  const final = ctx.facts.finalStage;
  if (!project?.cgoRequired || !final) return [];
  if (ctx.facts.base(final).libc !== 'none') return [];
  const builds = ctx.facts.shippedBuilds();
  if (builds.length > 0 && builds.every((b) => /-static\b/.test(b.ldflags ?? ''))) return [];
  const evidence = project.cgoEvidence.find((e) => e.kind === 'import-c' || e.kind === 'cgo-module');
  return [
    {
      message: `the project needs cgo${evidence ? ` (it ${evidenceText(evidence)})` : ''} but ${final.base} has no libc: use gcr.io/distroless/base-debian12 or debian:bookworm-slim, or link fully statically (-ldflags '-linkmode external -extldflags -static')`,
      span: ctx.facts.root(final).from.span,
    },
  ];
}
