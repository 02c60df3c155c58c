import { scopeAt } from '../../dockerfile/instruction.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { substitute } from '../../dockerfile/parse.js';
import type { Edit } from '../../fix/edit.js';
import {
  type AuditContext,
  copiesFromContext,
  isContextMount,
  mountTarget,
  type RuleHit,
} from './context.js';
import {
  goBefore,
  goCachePaths,
  goRuns,
  indentAt,
  insert,
  installsBuildTools,
  isToolInstall,
  normPath,
  runsGo,
  syntaxDirectiveEdit,
} from './support.js';

export const id = 'no-go-cache-mount';

export const examples = {
  bad: 'RUN go mod download\nRUN go build -o /app .',
  good: '# syntax=docker/dockerfile:1\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    go build -o /app .',
};

/** Emptying the Go caches within the RUN: go clean -modcache/-cache, or removing the cache directories. */
const CACHE_CLEAN =
  /\bgo\s+clean\s[^;&|]*-(?:modcache|cache)\b[^;&|]*|\brm\s+-\w*r\w*\s[^;&|]*(?:\.cache|go-build|pkg\/mod)\S*/;

export const fixDescription =
  "Adds `--mount=type=cache` for the module cache and the build cache at the builder's real GOMODCACHE/GOCACHE paths, and the `# syntax=docker/dockerfile:1` directive.";

/** What a cache mount target caches, judged by the path. */
export function mountKind(
  target: string,
  paths: { gocache?: string; gomodcache?: string },
): 'build' | 'mod' | undefined {
  const t = target.replace(/\/+$/, '');
  // The builder's own paths first: a GOMODCACHE under ~/.cache is still the module cache.
  if (t === paths.gocache) return 'build';
  if (t === paths.gomodcache) return 'mod';
  if (/go-build$/.test(t) || /\.cache\/go/.test(t)) return 'build';
  if (/pkg\/mod$/.test(t)) return 'mod';
  return undefined;
}

/** The caches a cache mount at `target` holds: GOCACHE or GOMODCACHE themselves, or a directory above them. */
export function mountCovers(
  target: string,
  paths: { gocache?: string; gomodcache?: string },
): Set<'build' | 'mod'> {
  const t = normPath(target);
  const out = new Set<'build' | 'mod'>();
  const kind = mountKind(t, paths);
  if (kind) out.add(kind);
  const under = (p: string | undefined): boolean =>
    p !== undefined && (t === '/' || normPath(p).startsWith(`${t}/`));
  if (under(paths.gocache)) out.add('build');
  if (under(paths.gomodcache)) out.add('mod');
  return out;
}

/** Cache kinds the RUN instruction mounts. */
export function mountedCaches(
  ins: Instruction,
  paths: { gocache?: string; gomodcache?: string },
): Set<'build' | 'mod'> {
  const out = new Set<'build' | 'mod'>();
  for (const f of ins.flags) {
    if (f.name !== 'mount' || (f.options.type ?? 'bind') !== 'cache') continue;
    const target = substitute(mountTarget(f) ?? '', scopeAt(ins));
    // A target goimg cannot resolve may be either cache: it is not asked for again.
    if (target.includes('$')) {
      out.add('build');
      out.add('mod');
    }
    for (const k of mountCovers(target, paths)) out.add(k);
  }
  return out;
}

/**
 * A go mod download (or vendor, or tidy, which downloads what the packages need) earlier in the
 * lineage left the modules in an image layer (no cache mount on it).
 */
function modulesInLayer(ctx: AuditContext, stage: Stage, before: Instruction): boolean {
  return ctx.facts
    .lineage(stage)
    .some((s) =>
      ctx.facts
        .go(s)
        .modSteps.some(
          (m) =>
            (m.action === 'download' || m.action === 'vendor' || m.action === 'tidy') &&
            (s !== stage || m.instruction.index < before.index) &&
            !mountedCaches(m.instruction, goCachePaths(ctx, m.instruction)).has('mod'),
        ),
    );
}

/** The stages built on `stage` (itself included): they start from its layers. */
function builtOn(ctx: AuditContext, stage: Stage): Stage[] {
  return ctx.df.stages.filter((s) => ctx.facts.lineage(s).includes(stage));
}

/** The instructions after `ins`, in its stage or a stage built on it: what reads its layer. */
function laterOn(ctx: AuditContext, stage: Stage, ins: Instruction): Instruction[] {
  return builtOn(ctx, stage).flatMap((s) =>
    s === stage ? s.instructions.filter((i) => i.index > ins.index) : s.instructions,
  );
}

/**
 * A go build goimg sees after `ins`, in its stage or a stage built on it. When the compile runs
 * through something else (make, a script, a wrapper), a fix mounting the cache on the download
 * step alone would take the modules out of the layer the real build reads them from.
 */
function buildFollows(ctx: AuditContext, stage: Stage, ins: Instruction): boolean {
  const later = new Set(laterOn(ctx, stage, ins));
  // A go build -a gets no fix (a mount alone does not help it): it is not one to follow.
  return builtOn(ctx, stage).some((s) =>
    ctx.facts.go(s).builds.some((b) => !b.rebuildAll && later.has(b.instruction)),
  );
}

/** The final image's last instruction that writes files (RUN, COPY, ADD). */
function lastWrite(ctx: AuditContext, final: Stage): Instruction | undefined {
  const writes = ctx.facts
    .lineage(final)
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'RUN' || i.keyword === 'COPY' || i.keyword === 'ADD');
  return writes[writes.length - 1];
}

/**
 * A go mod download whose modules are what an image ships: it fills a build environment (the
 * final image adds build tools to the toolchain) and no RUN follows it, or the Dockerfile compiles
 * nothing and the download is the image's last step: its user compiles later. A cache mount would
 * leave the modules out.
 */
function modulesShipped(ctx: AuditContext, stage: Stage, ins: Instruction): boolean {
  // An image that runs go itself (tests, a toolchain image) needs its modules in its layers:
  // the final one, or a test stage built on this one that CI runs as a container.
  if (builtOn(ctx, stage).some((s) => runsGo(ctx, s))) return true;
  const final = ctx.facts.finalStage;
  if (!final || !ctx.facts.lineage(final).includes(stage)) return false;
  if (ctx.facts.allBuilds().length === 0 && lastWrite(ctx, final) === ins) return true;
  if (!installsBuildTools(ctx, final)) return false;
  return !laterOn(ctx, stage, ins).some((i) => i.keyword === 'RUN');
}

/** A RUN that has no network (`--network=none`). */
function offline(ins: Instruction): boolean {
  return ins.flags.some((f) => f.name === 'network' && f.value === 'none');
}

/**
 * A RUN without network after `ins`, in its stage or one built on it, that reads the modules from
 * the layers (no module cache mount of its own): the download must leave them there.
 */
function offlineReader(ctx: AuditContext, stage: Stage, ins: Instruction): boolean {
  return laterOn(ctx, stage, ins).some(
    (i) => i.keyword === 'RUN' && offline(i) && !mountedCaches(i, goCachePaths(ctx, i)).has('mod'),
  );
}

/**
 * The modules come with an image goimg does not know and no source is copied in: a project's
 * own builder image, which holds the source and downloaded its modules where it was built.
 */
function modulesFromBase(ctx: AuditContext, stage: Stage): boolean {
  const lineage = ctx.facts.lineage(stage);
  if (ctx.facts.base(lineage[0]!).kind !== 'other') return false;
  return !lineage.some((s) =>
    s.instructions.some((i) => copiesFromContext(i) || (i.keyword === 'RUN' && i.flags.some(isContextMount))),
  );
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    // A stage compose runs as a service (a development image) uses the modules in its layers.
    if (stage.name && ctx.context.serviceTargets?.has(stage.name)) continue;
    for (const run of goRuns(ctx, stage)) {
      if (!run.build && (modulesShipped(ctx, stage, run.ins) || offlineReader(ctx, stage, run.ins))) continue;
      const paths = goCachePaths(ctx, run.ins);
      const kinds = mountedCaches(run.ins, paths);
      // A build without network reads the modules from its layers: a module cache mount, empty
      // on a fresh builder, would hide them and the build could not fetch them.
      if (offline(run.ins)) kinds.add('mod');
      if (modulesFromBase(ctx, stage)) kinds.add('mod');
      if (run.build && !run.download && modulesInLayer(ctx, stage, run.ins)) kinds.add('mod');
      // A vendored build reads its modules from vendor/: no module cache to keep.
      const builds = ctx.facts.go(stage).builds.filter((b) => b.instruction === run.ins);
      const vendored =
        !run.download &&
        builds.length > 0 &&
        builds.every((b) => b.mod === 'vendor' || (b.mod === undefined && ctx.project?.vendored === true));
      if (vendored) kinds.add('mod');
      // Go before 1.11 has no modules: GOPATH holds what it builds.
      if (builds.length > 0 && builds.every((b) => goBefore(ctx, b, 11))) kinds.add('mod');
      // A module that requires nothing downloads nothing (tools installed at a version do).
      if (ctx.project?.goMod?.requires.length === 0 && !builds.some(isToolInstall)) kinds.add('mod');
      const missing: ('mod' | 'build')[] = [];
      if (!kinds.has('mod')) missing.push('mod');
      if (run.build && !kinds.has('build')) missing.push('build');
      if (missing.length === 0) continue;
      const names = missing.map((m) => (m === 'mod' ? 'module cache' : 'build cache')).join(' and the ');
      // The compile goimg cannot see (make, a script) reads the modules from this step's layer.
      const unseenBuild = !run.build && !buildFollows(ctx, stage, run.ins);
      // go build -a rebuilds every package and takes nothing from the build cache: a mount
      // alone changes nothing, so there is no fix; the advice says what does.
      const rebuildAll = missing.includes('build') && builds.length > 0 && builds.every((b) => b.rebuildAll);
      // A RUN that empties the caches it wrote keeps its layer small; a mount there would make
      // that clean fail on the mount point, so the fix would break the build.
      const cleans = CACHE_CLEAN.exec(run.ins.argsText)?.[0];
      // A later build that gets no fix (go build -a), or a later go mod vendor or tidy, would no
      // longer find the downloaded modules in the layer once they go to a mount: the download
      // keeps its layer then.
      const unmounted = (ins: Instruction) =>
        ins.index > run.ins.index && !mountedCaches(ins, goCachePaths(ctx, ins)).has('mod');
      const go = ctx.facts.go(stage);
      const laterStep = run.build
        ? undefined
        : go.modSteps.find((m) => (m.action === 'vendor' || m.action === 'tidy') && unmounted(m.instruction));
      const laterUnfixed =
        !run.build &&
        (go.builds.some((b) => b.rebuildAll && unmounted(b.instruction)) || laterStep !== undefined);
      const reader = laterStep ? `the later go mod ${laterStep.action}` : 'the RUN that compiles';
      const hit: RuleHit = {
        message: `${run.build ? 'go build' : 'go mod download'} runs without a BuildKit cache mount for the ${names}: every build starts cold${unseenBuild || laterUnfixed ? `; mount the same cache on ${reader} too, or it downloads the modules again` : ''}${cleans ? `; this RUN empties the caches (\`${cleans.trim()}\`) to keep its layer small: mount them and drop that clean, which would fail on the mount points` : ''}${rebuildAll ? `; and -a rebuilds every package (the standard library too) without looking in the build cache: drop -a${/-installsuffix\b/.test(run.ins.argsText) ? ' (and -installsuffix, which the build cache made unneeded in Go 1.10)' : ''}, then mount the cache` : ''}`,
        span: run.ins.span,
      };
      const targets = missing.map((m) => (m === 'mod' ? paths.gomodcache : paths.gocache));
      if (!unseenBuild && !rebuildAll && !cleans && !laterUnfixed && targets.every((t) => t !== undefined)) {
        // One mount per line, as in Docker's Go guide; on one line before a heredoc marker.
        const sep =
          run.ins.heredocs.length > 0
            ? ' '
            : ` ${ctx.df.escape}${ctx.df.eol}${indentAt(ctx, run.ins.span.start)}    `;
        const edits: Edit[] = [
          insert(ctx, run.ins.argsStart, targets.map((t) => `--mount=type=cache,target=${t}${sep}`).join('')),
        ];
        const directive = syntaxDirectiveEdit(ctx);
        if (directive) edits.push(directive);
        hit.fix = { description: `mount ${targets.join(' and ')} as caches`, edits };
      }
      hits.push(hit);
    }
  }
  return hits;
}
