import type { Instruction, Stage } from '../../dockerfile/model.js';
import type { Edit } from '../../fix/edit.js';
import { compilesC } from '../../project/model.js';
import { buildNeeds, cgoOn } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { copySources, flagValue, installedPackages } from './context.js';
import {
  builderStages,
  insert,
  insertLinesAfter,
  isToolInstall,
  makeBuildRun,
  makeCommand,
  strippedLater,
} from './support.js';

export const id = 'emulated-cross-build';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app .',
  good: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
};

export const fixDescription =
  'Adds `--platform=$BUILDPLATFORM` to the builder FROM, declares the `ARG TARGETOS TARGETARCH` it lacks and prefixes go build with `GOOS=$TARGETOS GOARCH=$TARGETARCH` where unset. Tools installed with `go install tool@version` stay native; a project `go install` without -o (whose output path would move) is not rewritten.';

const TARGET_RE = /\$\{?TARGET(?:ARCH|OS|PLATFORM|VARIANT)\b/;

function multiPlatformIntent(ctx: AuditContext): boolean {
  if (ctx.context.targetPlatforms) return true;
  // The project builds other stages for several platforms and this one for one: TARGETARCH
  // in the text is for those stages.
  if (ctx.context.otherStagesMultiPlatform) return false;
  if (TARGET_RE.test(ctx.df.text)) return true;
  return ctx.df.instructions.some(
    (i) => i.keyword === 'ARG' && i.args.some((a) => /^TARGET(ARCH|OS|PLATFORM|VARIANT)\b/.test(a.value)),
  );
}

export function check(ctx: AuditContext): RuleHit[] {
  if (!multiPlatformIntent(ctx)) return [];
  const hits: RuleHit[] = [];
  const oldArm =
    ctx.context.targetPlatforms?.filter((p) => /^[a-z]+\/arm\/v[56]$/.test(p)).join(', ') || undefined;
  for (const stage of builderStages(ctx)) {
    const root = ctx.facts.root(stage);
    const platform = root.from.flags.find((f) => f.name === 'platform');
    if (platform?.value?.includes('BUILDPLATFORM')) continue;
    // A builder the image is made from: on the build platform, every image would carry the
    // build machine's userland. Compiling natively needs a builder stage of its own first.
    const final = ctx.facts.finalStage;
    if (final && ctx.facts.lineage(final).includes(stage)) continue;
    const builds = ctx.facts.go(stage).builds;
    // cgo cross-compiles only with a C cross toolchain for each target: emulation is the simple way.
    // A build where cgo is on by default (a C compiler in the builder) compiles the C code it can:
    // cross-compiling would turn cgo off and build the pure-Go fallback, a different program.
    // The C linker (-linkmode external) and binutils' strip after the build work on the host's
    // architecture only: without a cross toolchain, emulation is what makes them work.
    const buildsC = (b: (typeof builds)[number]): boolean => {
      if (/-linkmode[= ]external/.test(b.ldflags ?? '') || strippedLater(ctx, b)) return true;
      const on = cgoOn(ctx, b);
      if (on === 'explicit') return true;
      if (on === false) return false;
      // A build whose package goimg cannot tell may be any of the project's: what the project holds counts.
      const needs = buildNeeds(ctx, b) ?? ctx.project;
      return needs?.cgoRequired === true || (needs?.cgoEvidence.some(compilesC) ?? false);
    };
    if (builds.some(buildsC)) continue;
    const hit: RuleHit = {
      message: `the build targets several platforms (${platformsWhy(ctx)}) but the builder stage lacks --platform=$BUILDPLATFORM, so Go compiles under emulation; cross-compile natively with GOOS/GOARCH${oldArm ? `, and GOARM=\${TARGETVARIANT#v} for ${oldArm}: cross-compiling, Go builds for ARMv7 unless told` : ''}`,
      span: root.from.span,
    };
    // A go install without -o writes to $GOPATH/bin/<os>_<arch>/ once GOOS/GOARCH differ from the
    // host: the program would leave the path later instructions use. Tools (`go install x@v`) run
    // in the builder and stay native; a project go install cannot be rewritten safely.
    const installMoves = builds.some(
      (b) => b.subcommand === 'install' && b.output === undefined && !isToolInstall(b),
    );
    // A project file that reads this FROM line by pattern (`FROM golang:`) would no longer match
    // it with --platform inserted: the edit is left to the user.
    const readers = root.image ? ctx.context.fromReaders?.get(root.image.name) : undefined;
    if (readers)
      hit.message += `; ${readers.join(' and ')} ${readers.length > 1 ? 'match' : 'matches'} this FROM line by a pattern that --platform after FROM would break: change them together`;
    // A later stage that copies the builder's own programs (its go, a system tool) would get the
    // build machine's: the stage must stay on the target platform, or split the compile out.
    const system = systemCopy(ctx, stage);
    if (system)
      hit.message += `; but a later stage copies ${system} from this stage, which on the build platform would be the build machine's program: compile in a stage of its own on $BUILDPLATFORM`;
    // The fix sets GOOS and GOARCH only: an ARMv6 or v5 target needs GOARM too, so no fix then.
    if (!platform && root === stage && !installMoves && !oldArm && !readers && !system) {
      const edits: Edit[] = [insert(ctx, root.from.keywordSpan.end, ' --platform=$BUILDPLATFORM')];
      // Declare only what the stage lacks: a second ARG TARGETARCH would be noise.
      const undeclared = ['TARGETOS', 'TARGETARCH'].filter((name) => !stage.args.has(name));
      if (undeclared.length > 0)
        edits.push(insertLinesAfter(ctx, root.from, [`ARG ${undeclared.join(' ')}`]));
      for (const b of builds) {
        if (b.goarch === undefined && !isToolInstall(b)) {
          edits.push(
            insert(
              ctx,
              b.commandStart,
              `${b.goos === undefined ? 'GOOS=$TARGETOS ' : ''}GOARCH=$TARGETARCH `,
            ),
          );
        }
      }
      hit.fix = { description: 'build natively for the target platform', edits };
    }
    hits.push(hit);
  }
  hits.push(...makeBuilderHits(ctx));
  return hits;
}

/** Why the build is taken for multi-platform: the build files' platforms, or the Dockerfile's TARGET* arguments. */
function platformsWhy(ctx: AuditContext): string {
  return ctx.context.targetPlatforms
    ? `the project's build files build it for ${ctx.context.targetPlatforms.join(', ')}`
    : 'TARGETARCH/TARGETPLATFORM';
}

const C_COMPILERS = new Set(['gcc', 'clang', 'build-base', 'build-essential', 'musl-dev', 'libc6-dev']);

/**
 * Whether a make build in the stage may use cgo: CGO_ENABLED=0 is not set where goimg can see it
 * (the RUN, the stage's environment) and a C compiler is there (installed, or in a Debian golang
 * image) or the project has C code. The Makefile may decide either way: then it may.
 */
function makeMayUseCgo(ctx: AuditContext, stage: Stage, run: Instruction): boolean {
  const lineage = ctx.facts.lineage(stage);
  if (/\bCGO_ENABLED=0\b/.test(run.argsText) || lineage.some((s) => s.env.get('CGO_ENABLED') === '0'))
    return false;
  const needs = ctx.project;
  if (needs?.cgoRequired || needs?.cgoEvidence.some(compilesC)) return true;
  return (
    ctx.facts.base(stage).cc === true ||
    lineage.some((s) => installedPackages(s).some((p) => C_COMPILERS.has(p)))
  );
}

/**
 * The make build installs with go install: what a later stage copies from the builder's
 * $GOPATH/bin, or a GOBIN the stage sets. Cross-compiled, go install writes to bin/GOOS_GOARCH/
 * (or refuses, with GOBIN set), so the advice would break the copy.
 */
function installsThroughGo(ctx: AuditContext, stage: Stage): boolean {
  if (ctx.facts.lineage(stage).some((s) => s.env.has('GOBIN'))) return true;
  return ctx.df.stages.some((s) =>
    s.instructions.some(
      (i) =>
        i.keyword === 'COPY' &&
        ctx.facts.stageRef(flagValue(i, 'from') ?? '') === stage &&
        copySources(i).sources.some((src) => /^\/go\/bin(\/|$)/.test(src)),
    ),
  );
}

/** Where a base image keeps its own programs and libraries (its Go toolchain included). */
const SYSTEM_PATH = /^\/(?:usr|lib|lib64|bin|sbin)\//;

/**
 * A path a later stage copies from `stage` that the image of `stage` provides rather than its
 * go builds (`/usr/local/go/bin/go`): it follows the stage's platform.
 */
function systemCopy(ctx: AuditContext, stage: Stage): string | undefined {
  const outputs = new Set(
    ctx.facts
      .go(stage)
      .builds.map((b) => b.output)
      .filter((o) => o !== undefined),
  );
  for (const s of ctx.df.stages) {
    if (s.index <= stage.index) continue;
    for (const ins of s.instructions) {
      if (ins.keyword !== 'COPY' || ctx.facts.stageRef(flagValue(ins, 'from') ?? '') !== stage) continue;
      const found = copySources(ins).sources.find((src) => SYSTEM_PATH.test(src) && !outputs.has(src));
      if (found) return found;
    }
  }
  return undefined;
}

/** Builder stages that compile through make under emulation: reported without a fix (the Makefile runs go). */
function makeBuilderHits(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  const final = ctx.facts.finalStage;
  for (const stage of ctx.df.stages) {
    const run = makeBuildRun(ctx, stage);
    if (!run || (final && ctx.facts.lineage(final).includes(stage))) continue;
    const root = ctx.facts.root(stage);
    if (root.from.flags.some((f) => f.name === 'platform') || makeMayUseCgo(ctx, stage, run)) continue;
    if (installsThroughGo(ctx, stage)) continue;
    const command = makeCommand(run);
    hits.push({
      message: `the build targets several platforms (${platformsWhy(ctx)}) but the builder stage lacks --platform=$BUILDPLATFORM, so \`${command}\` compiles Go under emulation; run the builder on $BUILDPLATFORM and pass GOOS=$TARGETOS GOARCH=$TARGETARCH to the build`,
      span: root.from.span,
    });
  }
  return hits;
}
