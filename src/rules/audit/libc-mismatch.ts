import type { GoBuild } from '../../dockerfile/go-commands.js';
import type { CgoEvidence } from '../../project/model.js';
import { type BaseInfo, compareVersions } from './base-images.js';
import { buildNeeds, cgoOn } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { buildSpan, disableCgoEdit, exportedScratch } from './support.js';

export const id = 'libc-mismatch';

export const examples = {
  bad: 'FROM golang:1.21 AS builder\nRUN go build -o main .      # net/http + gcc: cgo on, glibc\nFROM alpine:latest            # musl only\nCOPY --from=builder /app/main .',
  good: 'FROM golang:1.21 AS builder\nRUN CGO_ENABLED=0 go build -o main .\nFROM alpine:3.22\nCOPY --from=builder /app/main .',
};

export const fixDescription =
  'When the project needs no cgo, sets CGO_ENABLED=0 on the go build so the binary is static.';

export function evidenceText(e: CgoEvidence): string {
  switch (e.kind) {
    case 'net':
      return `imports ${e.via ?? e.package} (the cgo DNS resolver links libc)`;
    case 'os-user':
      return `imports ${e.via ?? e.package} (cgo user lookup links libc)`;
    case 'import-c':
      return `uses import "C" (${e.file}:${e.line})`;
    default:
      return `imports the cgo module ${e.via ?? e.package}${e.file ? ` (${e.file}:${e.line})` : ''}`;
  }
}

/** The libc mismatch for a build, if its binary links a libc the final image lacks. */
export function mismatch(
  ctx: AuditContext,
  build: GoBuild,
): { message: string; cgoRequired: boolean } | undefined {
  const final = ctx.facts.finalStage;
  const builder = ctx.df.stages[build.instruction.stage];
  if (!final || !builder) return undefined;
  const on = cgoOn(ctx, build);
  if (!on) return undefined;
  if (/(^|\s)-static\b|-extldflags[= ]['"]?-static/.test(build.ldflags ?? '')) return undefined;
  if (!ctx.facts.shippedStages().includes(builder)) return undefined;
  const have = ctx.facts.base(builder).libc;
  const run = ctx.facts.base(final).libc;
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

/** glibc of the releases goimg knows, by "distro version", and the golang tag suffix of each Debian one. */
const GLIBC: Record<string, { glibc: string; golangSuffix?: string }> = {
  'debian 10': { glibc: '2.28', golangSuffix: 'buster' },
  'debian 11': { glibc: '2.31', golangSuffix: 'bullseye' },
  'debian 12': { glibc: '2.36', golangSuffix: 'bookworm' },
  'debian 13': { glibc: '2.41', golangSuffix: 'trixie' },
  'ubuntu 18.04': { glibc: '2.27' },
  'ubuntu 20.04': { glibc: '2.31' },
  'ubuntu 22.04': { glibc: '2.35' },
  'ubuntu 24.04': { glibc: '2.39' },
};

interface GlibcRelease {
  name: string;
  glibc: string;
  golangSuffix?: string;
}

/** A glibc base's release and glibc version, when its tag tells. */
function glibcOf(info: BaseInfo): GlibcRelease | undefined {
  let release = info.release;
  // The golang images follow Debian stable: a tag that names no release is Debian 13 (trixie)
  // for every Go release from 1.25 on and for the floating tags. Older tags are left alone:
  // a patch release pinned from before the switch is still Debian 12.
  if (!release && info.kind === 'golang' && info.libc === 'glibc') {
    const go = info.goVersion ?? '';
    if (go === 'latest' || go === '1' || compareVersions(go, '1.25', true) >= 0)
      release = { distro: 'debian', version: '13' };
  }
  if (!release || info.libc !== 'glibc') return undefined;
  const known = GLIBC[`${release.distro} ${release.version}`];
  if (!known) return undefined;
  return { name: `${release.distro === 'debian' ? 'Debian' : 'Ubuntu'} ${release.version}`, ...known };
}

/**
 * A cgo build on a newer glibc than the final image's: C code compiled there may call symbols
 * the older glibc lacks ("GLIBC_2.38 not found"). Go's own cgo uses (net, os/user) only need
 * old ones, so only C code of the project or of a cgo module counts, and it is advice (info):
 * it depends on what that C code calls.
 */
function glibcSkew(ctx: AuditContext, build: GoBuild): string | undefined {
  const final = ctx.facts.finalStage;
  const builder = ctx.df.stages[build.instruction.stage];
  if (!final || !builder || !cgoOn(ctx, build)) return undefined;
  if (/(^|\s)-static\b|-extldflags[= ]['"]?-static/.test(build.ldflags ?? '')) return undefined;
  if (!ctx.facts.shippedStages().includes(builder)) return undefined;
  const have = glibcOf(ctx.facts.base(builder));
  const run = glibcOf(ctx.facts.base(final));
  if (!have || !run || compareVersions(have.glibc, run.glibc) <= 0) return undefined;
  const c = buildNeeds(ctx, build)?.cgoEvidence.find((e) => e.kind === 'import-c' || e.kind === 'cgo-module');
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
