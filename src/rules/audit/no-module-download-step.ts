import { compareVersions } from './base-images.js';
import type { AuditContext, RuleHit } from './context.js';
import { abs, copySources, flagValue, isContextMount } from './context.js';
import { mountedCaches } from './no-go-cache-mount.js';
import { copiesToWorkdir, downloadLines } from './source-before-deps.js';
import {
  builderStages,
  goBefore,
  goCachePaths,
  insertLinesBefore,
  isSourceCopy,
  makeBuildRun,
  makeCommand,
  moduleAtContextRoot,
  projectBuilds,
} from './support.js';

export const id = 'no-module-download-step';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .',
  good: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .',
};

export const fixDescription =
  'Inserts `COPY go.mod go.sum ./` and `RUN go mod download` before the source copy.';

/** Vendored builds need no download: -mod=vendor, or Go 1.14+ defaulting to vendor/. */
function vendoredBuild(ctx: AuditContext, mod: string | undefined): boolean {
  if (!ctx.project?.vendored) return false;
  if (mod === 'vendor') return true;
  if (mod === 'mod' || mod === 'readonly') return false;
  const go = ctx.project.goMod?.go;
  return go !== undefined && compareVersions(go, '1.14') >= 0;
}

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  if (!project?.goMod || project.goMod.requires.length === 0) return [];
  // The module is not in the build context (the source comes from a git clone or another
  // image): no COPY of go.mod can come first.
  if (ctx.context.inventory && ctx.context.projectDir === undefined) return [];
  const hits: RuleHit[] = [];
  for (const stage of builderStages(ctx)) {
    const builds = projectBuilds(ctx, stage);
    const first = builds[0]!;
    if (vendoredBuild(ctx, first.mod)) continue;
    // An old Go may build in GOPATH mode, from vendor/ or GOPATH, fetching no modules.
    if (goBefore(ctx, first, 13)) continue;
    // A download (or vendor) step in this stage before the build, or in a parent stage.
    const lineage = ctx.facts.lineage(stage);
    const stepBefore = lineage.some((s) =>
      ctx.facts
        .go(s)
        .modSteps.some(
          (m) =>
            (m.action === 'download' || m.action === 'vendor') &&
            (s !== stage || m.instruction.index < first.instruction.index),
        ),
    );
    if (stepBefore) continue;
    // source-before-deps covers a download step that comes too late.
    if (ctx.facts.go(stage).modSteps.some((m) => m.action === 'download')) continue;
    // The module cache copied in from another stage (one that ran the download) before the build.
    const modcache = goCachePaths(ctx, first.instruction).gomodcache;
    const copiedCache =
      modcache !== undefined &&
      lineage.some((s) =>
        s.instructions.some(
          (i) =>
            i.keyword === 'COPY' &&
            flagValue(i, 'from') !== undefined &&
            (s !== stage || i.index < first.instruction.index) &&
            copySources(i).sources.some((src) => abs('/', src) === modcache),
        ),
      );
    if (copiedCache) continue;
    // Modules kept in a cache mount survive source changes: nothing is fetched again.
    if (builds.every((b) => mountedCaches(b.instruction, goCachePaths(ctx, b.instruction)).has('mod')))
      continue;
    const source = stage.instructions.find((i) => i.index < first.instruction.index && isSourceCopy(ctx, i));
    // The source must come from the context (a COPY in the lineage, or a bind mount of it):
    // a stage that clones it with git is invalidated by the clone, not by local code changes.
    const fromContext =
      source !== undefined ||
      lineage.some((s) => s !== stage && s.instructions.some((i) => isSourceCopy(ctx, i))) ||
      builds.some((b) => b.instruction.flags.some(isContextMount));
    if (!fromContext) continue;
    const hit: RuleHit = {
      message: `no go mod download before the source copy: the ${project.goMod.requires.length} required module(s) are fetched inside go build, in a layer every code change invalidates`,
      span: (source ?? first.instruction).span,
    };
    if (source && moduleAtContextRoot(ctx) && copiesToWorkdir(source)) {
      hit.fix = {
        description: 'download modules before copying the source',
        edits: [insertLinesBefore(ctx, source, downloadLines(ctx))],
      };
    }
    hits.push(hit);
  }
  hits.push(...makeBuilds(ctx, project.goMod.requires.length));
  return hits;
}

/**
 * A golang stage that copies the whole source and then compiles through make: the modules
 * are fetched inside that RUN, in the layer every code change invalidates. Reported without a
 * fix: goimg cannot see what the Makefile does with modules.
 */
function makeBuilds(ctx: AuditContext, requires: number): RuleHit[] {
  if (ctx.project?.vendored) return [];
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    const make = makeBuildRun(ctx, stage);
    if (!make) continue;
    const lineage = ctx.facts.lineage(stage);
    if (
      lineage.some((s) =>
        ctx.facts.go(s).modSteps.some((m) => m.action === 'download' || m.action === 'vendor'),
      )
    )
      continue;
    if (mountedCaches(make, goCachePaths(ctx, make)).has('mod')) continue;
    const source = lineage
      .flatMap((s) => s.instructions)
      .find((i) => i.index < make.index && isSourceCopy(ctx, i));
    if (!source) continue;
    hits.push({
      message: `no go mod download before the source copy: \`${makeCommand(make)}\` fetches the ${requires} required module(s) inside the build, in a layer every code change invalidates; copy go.mod and go.sum and run go mod download first`,
      span: source.span,
    });
  }
  return hits;
}
