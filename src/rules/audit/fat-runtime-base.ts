import { cgoOn } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { linksStatically, shippedProgramBuilds } from './support.js';

export const id = 'fat-runtime-base';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nCOPY --from=build /app /app',
  good: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app',
};

const SMALLER = {
  glibc: 'gcr.io/distroless/base-debian12 or debian:bookworm-slim',
  musl: 'alpine',
  none: 'gcr.io/distroless/static-debian12, alpine or scratch',
};

/**
 * The libc the shipped program links dynamically: cgo left on (a builder with a C compiler turns
 * it on by default) links the builder's libc, so a static base would not start it.
 */
function dynamicLibc(ctx: AuditContext): 'glibc' | 'musl' | undefined {
  for (const build of shippedProgramBuilds(ctx)) {
    if (!cgoOn(ctx, build) || linksStatically(build.ldflags)) continue;
    const builder = ctx.df.stages[build.instruction.stage];
    const libc = builder ? ctx.facts.base(builder).libc : undefined;
    if (libc === 'musl') return 'musl';
    return 'glibc';
  }
  return ctx.project?.cgoRequired ? 'glibc' : undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final || ctx.facts.df.stages.length < 2) return [];
  const base = ctx.facts.base(final);
  // A golang final stage is single-stage's finding; a stage that installs packages uses the OS.
  if (!base.fat || base.kind === 'golang') return [];
  if (ctx.facts.lineage(final).some((s) => ctx.facts.installed(s).length > 0)) return [];
  const smaller = SMALLER[dynamicLibc(ctx) ?? 'none'];
  return [
    {
      message: `the final stage starts from ${final.base}, a full OS image; a Go binary needs none of it: use ${smaller}`,
      span: ctx.facts.root(final).from.span,
    },
  ];
}
