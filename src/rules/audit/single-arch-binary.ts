import { posix } from 'node:path';
import type { GoBuild } from '../../dockerfile/go-commands.js';
import type { Stage } from '../../dockerfile/model.js';
import { mainPackagesInBuild } from '../../project/closure.js';
import { namesProgram, programNames } from './binaries.js';
import { type AuditContext, copySources, flagValue, type RuleHit } from './context.js';
import { BUILD_PLATFORM, buildSpan, platformOf, shippedProgramBuilds, startsNothing } from './support.js';

export const id = 'single-arch-binary';

export const examples = {
  bad: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app',
  good: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM scratch\nCOPY --from=build /app /app',
};

/** The architectures of `os/arch[/variant]` platforms. */
function architectures(platforms: readonly string[]): Set<string> {
  return new Set(platforms.map((p) => p.split('/')[1] ?? '').filter(Boolean));
}

/** A stage where a build argument, the shell or a sourced file, not the go command's own environment, may set the architecture. */
function archChosenElsewhere(ctx: AuditContext, stage: Stage): boolean {
  return ctx.facts.lineage(stage).some(
    (s) =>
      s.args.has('GOARCH') ||
      s.instructions.some(
        (i) =>
          i.keyword === 'RUN' &&
          // A sourced file (`. /env`, `source env.sh`) may export GOARCH.
          (/GOARCH|\$\{?TARGET(ARCH|PLATFORM)\b/.test(i.argsText) ||
            i.commands.some((c) => c.words[0]?.value === 'source' || c.words[0]?.value === '.')),
      ),
  );
}

/** What go build compiles for, when it is one architecture whatever the target is. */
function oneArchitecture(ctx: AuditContext, stage: Stage, b: GoBuild): string | undefined {
  if (b.goarch !== undefined) {
    if (
      b.goarch.includes('$') ||
      b.goarch.trim() === '' ||
      ctx.facts.lineage(stage).some((s) => s.args.has('GOARCH'))
    )
      return undefined;
    return `GOARCH=${b.goarch}`;
  }
  if (!BUILD_PLATFORM.test(platformOf(ctx, stage) ?? '') || archChosenElsewhere(ctx, stage)) return undefined;
  return "no GOARCH in a builder on --platform=$BUILDPLATFORM: the build machine's";
}

/**
 * A cross-compile on the build platform whose GOARCH follows the target, with no GOARM anywhere:
 * Go defaults to GOARM=7 when cross-compiling. (xx-go sets GOARM from TARGETVARIANT itself.)
 */
function armv7ForOldArm(ctx: AuditContext, stage: Stage, b: GoBuild): boolean {
  if (b.goarch === undefined || !b.goarch.includes('$') || b.command.words[0]?.value === 'xx-go')
    return false;
  if (!BUILD_PLATFORM.test(platformOf(ctx, stage) ?? '')) return false;
  return !ctx.facts
    .lineage(stage)
    .some(
      (s) =>
        s.args.has('GOARM') ||
        s.env.has('GOARM') ||
        s.instructions.some((i) => /GOARM|TARGETVARIANT/.test(i.argsText)),
    );
}

export function check(ctx: AuditContext): RuleHit[] {
  const platforms = ctx.context.targetPlatforms ?? [];
  const final = ctx.facts.finalStage;
  if (architectures(platforms).size < 2 || !final) return [];
  // A final image pinned to one platform is that platform's whatever the build asks; the
  // program copied into it is still compiled for each target (ARMv7 for an ARMv6 one).
  const finalPlatform = platformOf(ctx, final);
  if (finalPlatform && !finalPlatform.includes('$'))
    return [...oldArmHits(ctx, platforms, shippedProgramBuilds(ctx)).values()];
  // The image itself on the build platform: every platform's image gets the build machine's
  // userland (its shell and libraries), whatever the program is compiled for.
  const root = ctx.facts.root(final);
  if (finalPlatform && BUILD_PLATFORM.test(finalPlatform) && !root.scratch && !startsNothing(ctx, final)) {
    return [
      {
        message: `the project's build files build this image for ${platforms.join(', ')}, but its base is taken for --platform=$BUILDPLATFORM: every image carries the build machine's userland, whose programs stop with exec format error on the other machines; drop --platform from this FROM`,
        span: root.from.span,
      },
    ];
  }
  const builds = shippedProgramBuilds(ctx);
  if (builds.length === 0) return oneBinaryForAll(ctx, final, platforms);
  // Several fixed architectures (a loop over amd64 and arm64, each copied by TARGETARCH) build for all.
  const fixed = new Set(builds.map((b) => b.goarch).filter((a) => a !== undefined && !a.includes('$')));
  if (fixed.size > 1) return [];
  const armv7 = oldArmHits(ctx, platforms, builds);
  const hits = [...armv7.values()];
  for (const b of builds) {
    if (armv7.has(b)) continue;
    const stage = ctx.df.stages.find((s) => s.instructions.includes(b.instruction));
    const built = stage && oneArchitecture(ctx, stage, b);
    if (!built) continue;
    hits.push({
      message: `the project's build files build this image for ${platforms.join(', ')}, but go build compiles for one architecture (${built}): the other images carry a program their machines cannot run (exec format error); set GOOS=$TARGETOS GOARCH=$TARGETARCH from ARG TARGETOS TARGETARCH`,
      span: buildSpan(ctx, b),
    });
  }
  return hits;
}

/** The builds that cross-compile for the ARMv6 or v5 targets as ARMv7 (no GOARM), with their finding. */
function oldArmHits(
  ctx: AuditContext,
  platforms: readonly string[],
  builds: readonly GoBuild[],
): Map<GoBuild, RuleHit> {
  const out = new Map<GoBuild, RuleHit>();
  const oldArm = platforms.filter((p) => /^[a-z]+\/arm\/v[56]$/.test(p));
  if (oldArm.length === 0) return out;
  for (const b of builds) {
    const stage = ctx.df.stages.find((s) => s.instructions.includes(b.instruction));
    if (!stage || !armv7ForOldArm(ctx, stage, b)) continue;
    out.set(b, {
      message: `the project's build files build this image for ${oldArm.join(', ')} too, but go build cross-compiles GOARCH from TARGETARCH without GOARM: Go then builds for ARMv7, whose runtime refuses to start on an ARMv6 CPU (no VFPv3); declare ARG TARGETVARIANT and set GOARM=\${TARGETVARIANT#v}`,
      span: buildSpan(ctx, b),
    });
  }
  return out;
}

/**
 * A prebuilt program of the project copied from the context by a path that names no platform:
 * every platform's image gets that one binary. (A context a release tool assembles per platform
 * is another matter.)
 */
function oneBinaryForAll(ctx: AuditContext, final: Stage, platforms: readonly string[]): RuleHit[] {
  if (ctx.context.assembledBy || !ctx.project) return [];
  const programs = mainPackagesInBuild(ctx.project).flatMap((p) => programNames(ctx, p));
  const hits: RuleHit[] = [];
  for (const ins of ctx.facts.lineage(final).flatMap((s) => s.instructions)) {
    if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || flagValue(ins, 'from') !== undefined) continue;
    const copied = copySources(ins).sources.find((src) => {
      if (/[$*?[]/.test(src) || src.endsWith('/')) return false;
      const name = new Set([posix.basename(src).toLowerCase()]);
      return programs.some((p) => namesProgram(name, p));
    });
    if (!copied) continue;
    hits.push({
      message: `the project's build files build this image for ${platforms.join(', ')}, but this ${ins.keyword} takes one prebuilt ${copied} from the context for all of them: the images for other architectures carry a program their machines cannot run (exec format error); copy a binary per platform (a path with $TARGETARCH) or compile it in a stage`,
      span: ins.span,
    });
  }
  return hits;
}
