import type { Stage } from '../../dockerfile/model.js';
import { shippedPrograms } from './binaries.js';
import { type AuditContext, flagValue, type RuleHit } from './context.js';
import { discardsOutput, installsBuildTools, runsGo, startsNothing } from './support.js';

export const id = 'single-stage';

export const examples = {
  bad: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]',
  good: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
};

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final) return [];
  const base = ctx.facts.base(final);
  const lineage = ctx.facts.lineage(final);
  const all = lineage.flatMap((s) => ctx.facts.go(s).builds);
  const builds = all.filter((b) => !discardsOutput(b));
  if (builds.length === 0 && base.kind !== 'golang') return [];
  // A stage that only compile-checks (-o /dev/null), or whose program is go itself (an
  // ENTRYPOINT running go test), needs the toolchain: it is a CI step, not a runtime image.
  if (builds.length === 0 && all.length > 0 && startsNothing(ctx, final)) return [];
  if (runsGo(ctx, final)) return [];
  // A program that runs the go command (go/packages, exec of go) needs the toolchain it ships with.
  if (shippedPrograms(ctx)?.some((p) => p.needs.goToolEvidence.length > 0)) return [];
  if (builds.length === 0 && installsBuildTools(ctx, final)) return [];
  // Already split into stages, yet the final one is the toolchain image again and ships no
  // program of the project: a tool that runs go itself (a code generator, a linter).
  if (builds.length === 0 && copiesFromStage(ctx, final) && !shippedPrograms(ctx)?.length) return [];
  const why =
    builds.length > 0
      ? 'the final stage runs go build'
      : `the final stage starts from the Go toolchain image ${final.base}`;
  return [
    {
      message: `${why}, so the image ships the whole toolchain with the binary; compile in a builder stage and copy only the binary into a small runtime stage`,
      span: final.from.span,
    },
  ];
}

function copiesFromStage(ctx: AuditContext, final: Stage): boolean {
  return ctx.facts
    .lineage(final)
    .flatMap((s) => s.instructions)
    .some((i) => i.keyword === 'COPY' && ctx.facts.stageRef(flagValue(i, 'from') ?? '') !== undefined);
}
