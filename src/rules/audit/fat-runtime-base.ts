import { cgoOn } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { linksStatically, shippedProgramBuilds } from './support.js';

export const id = 'fat-runtime-base';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nCOPY --from=build /app /app',
  good: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app',
};

/** Packages that are only data a Go program reads (the CA bundle, zoneinfo): small bases have them too. */
const DATA_ONLY = new Set(['ca-certificates', 'tzdata']);

const SMALLER = {
  glibc: 'gcr.io/distroless/base-debian12 or debian:bookworm-slim',
  musl: 'alpine',
  none: 'gcr.io/distroless/static-debian12, alpine or scratch',
};

/**
 * The libc the shipped program needs: cgo left on (a builder with a C compiler turns it on by
 * default) links the builder's libc, so a static base would not start it. A program built
 * elsewhere (a release tool, a script) may link glibc too, unless the build files link statically.
 */
function runtimeLibc(ctx: AuditContext): keyof typeof SMALLER {
  const builds = shippedProgramBuilds(ctx);
  for (const build of builds) {
    if (!cgoOn(ctx, build) || linksStatically(build.ldflags)) continue;
    const builder = ctx.df.stages[build.instruction.stage];
    return builder && ctx.facts.base(builder).libc === 'musl' ? 'musl' : 'glibc';
  }
  if (ctx.project?.cgoRequired) return 'glibc';
  return builds.length === 0 && !ctx.context.staticLink ? 'glibc' : 'none';
}

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final) return [];
  const base = ctx.facts.base(final);
  // A golang final stage is single-stage's finding; a stage that installs packages (other than
  // data a Go program reads) uses the OS.
  if (!base.fat || base.kind === 'golang') return [];
  const installed = ctx.facts.lineage(final).flatMap((s) => ctx.facts.installed(s));
  if (installed.some((p) => !DATA_ONLY.has(p))) return [];
  const libc = runtimeLibc(ctx);
  // The CA bundle or zoneinfo installed: scratch has neither, distroless static both.
  const smaller =
    libc === 'none' && installed.length > 0
      ? 'gcr.io/distroless/static-debian12, which has the CA bundle and zoneinfo'
      : SMALLER[libc];
  return [
    {
      message: `the final stage starts from ${final.base}, a full OS image; a Go binary needs none of it: use ${smaller}`,
      span: ctx.facts.root(final).from.span,
    },
  ];
}
