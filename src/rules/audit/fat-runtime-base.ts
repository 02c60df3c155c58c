import type { AuditContext, RuleHit } from './context.js';

export const id = 'fat-runtime-base';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nCOPY --from=build /app /app',
  good: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app',
};

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final || ctx.facts.df.stages.length < 2) return [];
  const base = ctx.facts.base(final);
  // A golang final stage is single-stage's finding; a stage that installs packages uses the OS.
  if (!base.fat || base.kind === 'golang') return [];
  if (ctx.facts.lineage(final).some((s) => ctx.facts.installed(s).length > 0)) return [];
  const smaller = ctx.project?.cgoRequired
    ? 'gcr.io/distroless/base-debian12 or debian:bookworm-slim'
    : 'gcr.io/distroless/static-debian12, alpine or scratch';
  return [
    {
      message: `the final stage starts from ${final.base}, a full OS image; a Go binary needs none of it: use ${smaller}`,
      span: ctx.facts.root(final).from.span,
    },
  ];
}
