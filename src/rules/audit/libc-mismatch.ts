import type { GoBuild } from '../../dockerfile/go-commands.js';
import type { Stage } from '../../dockerfile/model.js';
import { type CgoEvidence, compilesC } from '../../project/model.js';
import { compareVersions, glibcRelease, type Libc } from './base-images.js';
import { buildNeeds, cgoOn } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { baseSetByBuild, buildSpan, disableCgoEdit, exportedScratch, linksStatically } from './support.js';

export const id = 'libc-mismatch';

export const examples = {
  bad: 'FROM golang:1.21 AS builder\nRUN go build -o main .      # net/http + gcc: cgo on, glibc\nFROM alpine:latest            # musl only\nCOPY --from=builder /app/main .',
  good: 'FROM golang:1.21 AS builder\nRUN CGO_ENABLED=0 go build -o main .\nFROM alpine:3.22\nCOPY --from=builder /app/main .',
};

export const fixDescription =
  'When the project needs no cgo, sets CGO_ENABLED=0 on the go build so the binary is static.';

export function evidenceText(e: CgoEvidence): string {
  switch (e.kind) {
    case 'net': {
      // A standard package (no dot in its first element) or a network library that uses net.
      const via = e.via ?? e.package;
      return via.split('/')[0]!.includes('.')
        ? `imports ${via}, which uses net (the cgo DNS resolver links libc)`
        : `imports ${via} (the cgo DNS resolver links libc)`;
    }
    case 'os-user':
      return `imports ${e.via ?? e.package} (cgo user lookup links libc)`;
    case 'import-c':
      return `uses import "C" (${e.file}:${e.line})`;
    default:
      return `imports the cgo module ${e.via ?? e.package}${e.file ? ` (${e.file}:${e.line})` : ''}`;
  }
}

/** The stage of a build that ships and the final image it ships in, with the libc of each. */
export function shippedLibcs(
  ctx: AuditContext,
  build: GoBuild,
): { final: Stage; builder: Stage; have?: Libc; run?: Libc } | undefined {
  const final = ctx.facts.finalStage;
  const builder = ctx.df.stages[build.instruction.stage];
  if (!final || !builder || !ctx.facts.shippedStages().includes(builder)) return undefined;
  return { final, builder, have: ctx.facts.base(builder).libc, run: ctx.facts.base(final).libc };
}

/** A build that links libc dynamically (cgo on, not -static) in a stage that ships, and where it ships. */
function shippedDynamicCgo(
  ctx: AuditContext,
  build: GoBuild,
): { final: Stage; builder: Stage; have?: Libc; run?: Libc; on: 'explicit' | 'default' } | undefined {
  const on = cgoOn(ctx, build);
  if (!on || linksStatically(build.ldflags)) return undefined;
  const shipped = shippedLibcs(ctx, build);
  return shipped && { ...shipped, on };
}

/** The libc mismatch for a build, if its binary links a libc the final image lacks. */
export function mismatch(
  ctx: AuditContext,
  build: GoBuild,
): { message: string; cgoRequired: boolean } | undefined {
  const shipped = shippedDynamicCgo(ctx, build);
  if (!shipped) return undefined;
  const { final, builder, have, run, on } = shipped;
  if (!have || have === 'none' || !run || have === run) return undefined;
  // A scratch stage that starts nothing is exported (`--output`): the binary runs elsewhere.
  if (exportedScratch(ctx, final)) return undefined;
  // What this build's own packages import; when that cannot be told, say nothing.
  const needs = buildNeeds(ctx, build);
  if (!needs || (needs.cgoEvidence.length === 0 && !needs.cgoRequired)) return undefined;
  if (needs.cgoRequired && run === 'none') return undefined; // cgo-required-static-base
  if (build.tags.includes('netgo') && build.tags.includes('osusergo') && !needs.cgoRequired) return undefined;
  const how =
    on === 'explicit'
      ? 'CGO_ENABLED=1'
      : `cgo is on by default in ${ctx.facts.root(builder).base} (it has gcc)`;
  const why = needs.cgoEvidence[0] ? evidenceText(needs.cgoEvidence[0]) : 'needs cgo';
  const runtime = run === 'none' ? 'no libc at all' : `${run} only`;
  return {
    message: `${how} and the program ${why}, so go build links ${have} dynamically; the final image ${final.base} has ${runtime}: the container dies with "exec ...: no such file or directory"`,
    cgoRequired: needs.cgoRequired,
  };
}

/**
 * A cgo build on a newer glibc than the final image's: C code compiled there may call symbols
 * the older glibc lacks ("GLIBC_2.38 not found"). Go's own cgo uses (net, os/user) only need
 * old ones, so only C code of the project or of a cgo module counts, and it is advice (info):
 * it depends on what that C code calls.
 */
function glibcSkew(ctx: AuditContext, build: GoBuild): string | undefined {
  const shipped = shippedDynamicCgo(ctx, build);
  if (!shipped) return undefined;
  const { final, builder } = shipped;
  if (baseSetByBuild(ctx, builder) || baseSetByBuild(ctx, final)) return undefined;
  const have = glibcRelease(ctx.facts.base(builder));
  const run = glibcRelease(ctx.facts.base(final));
  if (!have || !run || compareVersions(have.glibc, run.glibc) <= 0) return undefined;
  const c = buildNeeds(ctx, build)?.cgoEvidence.find(compilesC);
  if (!c) return undefined;
  const advice = run.golangSuffix
    ? `build on golang:<version>-${run.golangSuffix}, the runtime's release`
    : "build on the runtime's release";
  return `cgo compiles C code (the program ${evidenceText(c)}) against ${have.name}'s glibc ${have.glibc} in ${ctx.facts.root(builder).base}, but the final image ${final.base} is ${run.name} with glibc ${run.glibc}: C code that binds a newer glibc symbol (with _GNU_SOURCE, glibc 2.38 turns strtol and scanf calls into __isoc23_ ones) stops the binary with "GLIBC_2.38 not found"; ${advice}, or use a newer runtime`;
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const build of ctx.facts.allBuilds()) {
    const m = mismatch(ctx, build);
    if (!m) {
      const skew = glibcSkew(ctx, build);
      if (skew) hits.push({ message: skew, span: buildSpan(ctx, build), severity: 'info' });
      continue;
    }
    const hit: RuleHit = { message: m.message, span: buildSpan(ctx, build) };
    if (!m.cgoRequired) {
      hit.fix = {
        description: 'build a static binary with CGO_ENABLED=0',
        edits: [disableCgoEdit(ctx, build)],
      };
    }
    hits.push(hit);
  }
  return hits;
}
