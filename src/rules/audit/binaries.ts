/**
 * Which of the project's main packages a Dockerfile builds and ships: a go build's package
 * arguments resolved through the stage's WORKDIR, `cd`, `-C` and the COPY/ADD/bind mounts that
 * put context paths at container paths; a binary built by make or a script, or copied in
 * prebuilt, recognised by its name. Needs (cgo, TLS, zones) then come from those packages'
 * import closure, not from every file of the repository. When the built package cannot be
 * told, the answer is `undefined` and the rules that depend on it say nothing.
 */
import { posix } from 'node:path';
import type { GoBuild } from '../../dockerfile/go-commands.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import type { BuildSettings } from '../../project/buildtags.js';
import { type BinaryNeeds, binaryName, binaryNeeds, mainPackagesInBuild } from '../../project/closure.js';
import type { GoPackage, ProjectModel } from '../../project/model.js';
import { type AuditContext, abs, copySources, flagValue, isContextMount, mountTarget } from './context.js';

export type BuildTarget =
  /** The project's own packages: the main ones (empty when only libraries are compiled). */
  | { kind: 'project'; mains: string[] }
  /** `go install tool@version` or a package of another module: not the project's program. */
  | { kind: 'external' }
  | { kind: 'unknown' };

interface Mapping {
  container: string;
  context: string;
  order: number;
}

function cleanContext(p: string): string {
  const v = posix.normalize(p.replace(/^\.\//, '')).replace(/\/+$/, '');
  return v === '' || v === '.' || v === '*' ? '.' : v;
}

function isDirLike(project: ProjectModel, src: string): boolean {
  const c = cleanContext(src);
  if (c === '.' || src.endsWith('/')) return true;
  return project.packages.some((p) => p.dir === c || p.dir.startsWith(`${c}/`));
}

/** Container paths that hold context paths when `ins` runs: COPY/ADD from the context and bind mounts. */
function contextMappings(ctx: AuditContext, project: ProjectModel, ins: Instruction): Mapping[] {
  const stage = ctx.df.stages[ins.stage]!;
  const out: Mapping[] = [];
  for (const s of ctx.facts.lineage(stage)) {
    for (const i of s.instructions) {
      if (s === stage && i.index >= ins.index) break;
      if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || flagValue(i, 'from') !== undefined) continue;
      const wd = ctx.facts.workdirAt(i);
      if (wd === null) continue;
      const { sources, dest } = copySources(i);
      if (dest.includes('$')) continue;
      const destAbs = abs(wd, dest);
      for (const src of sources) {
        if (src.includes('://') || src.includes('$')) continue;
        if (isDirLike(project, src))
          out.push({ container: destAbs, context: cleanContext(src), order: i.index });
        else if (dest.endsWith('/') || sources.length > 1)
          out.push({
            container: `${destAbs}/${posix.basename(src)}`,
            context: cleanContext(src),
            order: i.index,
          });
      }
    }
  }
  const wd = ctx.facts.workdirAt(ins);
  for (const f of ins.flags) {
    if (!isContextMount(f)) continue;
    const target = mountTarget(f);
    if (target === undefined || wd === null) continue;
    out.push({
      container: abs(wd, target),
      context: cleanContext(f.options.source ?? '.'),
      order: ins.index,
    });
  }
  return out;
}

/** The context path a container path holds, when a mapping covers it. */
function toContext(mappings: readonly Mapping[], path: string): string | undefined {
  let best: Mapping | undefined;
  for (const m of mappings) {
    if (path !== m.container && !path.startsWith(m.container === '/' ? '/' : `${m.container}/`)) continue;
    if (
      !best ||
      m.container.length > best.container.length ||
      (m.container.length === best.container.length && m.order > best.order)
    )
      best = m;
  }
  if (!best) return undefined;
  const rest = path.slice(best.container.length).replace(/^\/+/, '');
  return cleanContext(rest === '' ? best.context : best.context === '.' ? rest : `${best.context}/${rest}`);
}

/** The directory the go command runs in: WORKDIR, then `cd` earlier in the same RUN, then -C. */
export function buildDir(ctx: AuditContext, build: GoBuild): string | undefined {
  let cwd = ctx.facts.workdirAt(build.instruction);
  if (cwd === null) return undefined;
  for (const cmd of build.instruction.commands) {
    if (cmd === build.command) break;
    if (cmd.words[0]?.value === 'cd') {
      const to = cmd.words[1]?.value;
      if (to === undefined || to.includes('$') || to === '-') return undefined;
      cwd = abs(cwd, to);
    }
  }
  const words = build.command.words;
  for (let k = 0; k < words.length; k++) {
    const v = words[k]!.value;
    if (v === '-C' && words[k + 1]) cwd = abs(cwd, words[k + 1]!.value);
    else if (v.startsWith('-C=')) cwd = abs(cwd, v.slice(3));
  }
  return cwd.includes('$') ? undefined : cwd;
}

function packagesUnder(project: ProjectModel, dir: string): GoPackage[] {
  return project.packages.filter(
    (p) => p.inBuild !== false && (dir === '.' || p.dir === dir || p.dir.startsWith(`${dir}/`)),
  );
}

/** What a go build/install compiles. */
export function buildTarget(ctx: AuditContext, build: GoBuild): BuildTarget {
  return ctx.facts.cached(`buildTarget:${build.instruction.index}:${build.command.start}`, () =>
    computeBuildTarget(ctx, build),
  );
}

function computeBuildTarget(ctx: AuditContext, build: GoBuild): BuildTarget {
  const args = build.packages.length > 0 ? build.packages : ['.'];
  if (args.every((a) => a.includes('@'))) return { kind: 'external' };
  const project = ctx.project;
  if (!project || project.packages.length === 0) return { kind: 'unknown' };
  const module = project.goMod?.module;
  const mains = new Set<string>();
  let external = 0;
  for (const arg of args) {
    if (arg.includes('@')) {
      external++;
      continue;
    }
    if (arg.includes('$')) return { kind: 'unknown' };
    const recursive = arg === '...' || arg.endsWith('/...');
    const bare = recursive ? arg.slice(0, -3).replace(/\/$/, '') || '.' : arg;
    let dir: string | undefined;
    if (bare.startsWith('.') || bare.startsWith('/') || bare.endsWith('.go')) {
      const cwd = buildDir(ctx, build);
      if (cwd === undefined) return { kind: 'unknown' };
      const path = abs(cwd, bare.endsWith('.go') ? posix.dirname(bare) : bare);
      dir = toContext(contextMappings(ctx, project, build.instruction), path);
      if (dir === undefined) return { kind: 'unknown' };
    } else {
      // An import path: the project's own, or another module's program (a tool).
      const own = project.packages.find((p) => p.inBuild !== false && p.importPath === bare);
      if (own) dir = own.dir;
      else if (module && (bare === module || bare.startsWith(`${module}/`)))
        dir = bare === module ? '.' : bare.slice(module.length + 1);
      else {
        external++;
        continue;
      }
    }
    const found = recursive ? packagesUnder(project, dir) : project.packages.filter((p) => p.dir === dir);
    if (found.length === 0) return { kind: 'unknown' };
    for (const p of found) if (p.name === 'main' && p.inBuild !== false) mains.add(p.dir);
  }
  if (external === args.length) return { kind: 'external' };
  return { kind: 'project', mains: [...mains].sort() };
}

/** The build settings that choose files: -tags, a literal GOARCH and whether cgo is on. */
export function buildSettings(ctx: AuditContext, build: GoBuild): BuildSettings {
  const settings: BuildSettings = { tags: build.tags, cgo: cgoOn(ctx, build) !== false };
  if (build.goarch && !build.goarch.includes('$')) settings.arch = build.goarch;
  return settings;
}

/** The needs of one build's binary, or undefined when the build's package cannot be told. */
export function buildNeeds(ctx: AuditContext, build: GoBuild): BinaryNeeds | undefined {
  return ctx.facts.cached(`buildNeeds:${build.instruction.index}:${build.command.start}`, () =>
    computeBuildNeeds(ctx, build),
  );
}

function computeBuildNeeds(ctx: AuditContext, build: GoBuild): BinaryNeeds | undefined {
  const project = ctx.project;
  if (!project) return undefined;
  if (project.packages.length === 0) return projectWideNeeds(project);
  const target = buildTarget(ctx, build);
  if (target.kind !== 'project' || target.mains.length === 0) return undefined;
  return binaryNeeds(project, target.mains, buildSettings(ctx, build));
}

/** A model without per-package facts (built by hand, not scanned): its project-wide facts are all there is. */
function projectWideNeeds(project: ProjectModel): BinaryNeeds {
  const unknown = { kind: 'project', detail: '', file: '', line: 0 };
  const tls = project.tlsEvidence ?? [];
  const tz = project.timeZoneEvidence ?? [];
  return {
    packages: [...project.mainPackages],
    cgoEvidence: project.cgoEvidence,
    cgoRequired: project.cgoRequired,
    tlsEvidence: tls.length > 0 || !project.usesTls ? tls : [unknown],
    timeZoneEvidence: tz.length > 0 || !project.loadsTimeZones ? tz : [unknown],
    embedsTzdata: project.embedsTzdata,
    embedsCaRoots: false,
    rootEvidence: [],
    goToolEvidence: [],
    fileStoreEvidence: [],
  };
}

/**
 * The evidence that a program makes TLS calls, or undefined. An https:// literal alone is text
 * the program may only write out (a link, a generated config): it counts beside client code.
 */
export function tlsCallEvidence(needs: BinaryNeeds): BinaryNeeds['tlsEvidence'][number] | undefined {
  return needs.tlsEvidence.some((e) => e.kind !== 'https-url') ? needs.tlsEvidence[0] : undefined;
}

/** " (detail at file:line)" for a message, when the evidence has a place. */
export function evidenceWhere(e: { detail: string; file: string; line: number }): string {
  return e.file ? ` (${e.detail} at ${e.file}:${e.line})` : '';
}

export interface ShippedProgram {
  /** Main package directories. */
  mains: string[];
  /** The go build that compiles them, when there is one goimg can read. */
  build?: GoBuild;
  needs: BinaryNeeds;
  /** CGO_ENABLED=0 is known for this binary. */
  cgoOff: boolean;
}

/** `migrate.linux-amd64`, `app_linux_arm64`, `/usr/bin/app` → the program name. */
export function programName(path: string): string {
  const base = posix.basename(path.replace(/\/+$/, ''));
  return base
    .replace(/[._-](linux|darwin|windows)([._-](amd64|arm64|386|arm|armv\d|ppc64le|s390x|riscv64))?$/i, '')
    .replace(/\.[A-Za-z0-9-]+$/, '')
    .toLowerCase();
}

/** Names of files a stage lineage copies in or runs: candidates for a prebuilt or script-built binary. */
export function shippedNames(ctx: AuditContext, stages: readonly Stage[]): Set<string> {
  const names = new Set<string>();
  for (const s of stages) {
    for (const i of s.instructions) {
      if (i.keyword === 'COPY' || i.keyword === 'ADD') {
        for (const src of copySources(i).sources) if (!src.includes('$')) names.add(programName(src));
      } else if (i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD') {
        const first = i.exec ? i.exec[0] : i.args[0]?.value;
        if (first) names.add(programName(first));
      }
    }
  }
  for (const b of stages.flatMap((s) => ctx.facts.go(s).builds))
    if (b.output && !b.output.includes('$')) names.add(programName(b.output));
  names.delete('');
  names.delete('.');
  return names;
}

/** The names a main package's program is built under: go build's, and a release build's (goreleaser: the project's name). */
export function programNames(ctx: AuditContext, pkg: GoPackage): string[] {
  const names = ctx.project ? [binaryName(ctx.project, pkg)] : [];
  for (const b of ctx.context.releaseBuilds ?? []) if (b.main === pkg.dir && b.binary) names.push(b.binary);
  return names;
}

/**
 * Whether a file name of the image is the program `bin`: its own name, or that name prefixed by
 * the project's (`-o dist/proj-agent ./cmd/agent`).
 */
export function namesProgram(names: ReadonlySet<string>, bin: string): boolean {
  const b = bin.toLowerCase();
  if (names.has(b)) return true;
  for (const n of names) if (n.endsWith(`-${b}`) || n.endsWith(`_${b}`)) return true;
  return false;
}

function stageCgoOff(ctx: AuditContext, stage: Stage): boolean {
  return ctx.facts.lineage(stage).some((s) => s.env.get('CGO_ENABLED') === '0');
}

/**
 * The project's programs that reach the final image, with what each needs; undefined when
 * the image carries a program of this project that goimg cannot identify.
 */
export function shippedPrograms(ctx: AuditContext): ShippedProgram[] | undefined {
  return ctx.facts.cached('shippedPrograms', () => computeShippedPrograms(ctx));
}

export const TEST_TREE = /(^|\/)(tests?|e2e|testing|integration|testdata|fixtures?)(\/|$)/;

function computeShippedPrograms(ctx: AuditContext): ShippedProgram[] | undefined {
  const project = ctx.project;
  if (!project) return undefined;
  const out: ShippedProgram[] = [];
  if (project.packages.length === 0) {
    const builds = ctx.facts.shippedBuilds();
    const needs = projectWideNeeds(project);
    if (builds.length === 0) return [{ mains: needs.packages, needs, cgoOff: false }];
    return builds.map((b) => ({
      mains: needs.packages,
      build: b,
      needs: b.tags.includes('timetzdata') ? { ...needs, embedsTzdata: true } : needs,
      cgoOff: b.cgo === '0',
    }));
  }
  let unresolved = false;
  // Builds whose packages goimg cannot name (`go build $(...)`): they may make the program.
  let unresolvedCgoOff = false;
  for (const build of ctx.facts.shippedBuilds()) {
    const target = buildTarget(ctx, build);
    if (target.kind === 'external') continue;
    if (target.kind === 'unknown') {
      unresolved = true;
      if (build.cgo === '0') unresolvedCgoOff = true;
      continue;
    }
    if (target.mains.length === 0) continue;
    out.push({
      mains: target.mains,
      build,
      needs: binaryNeeds(project, target.mains, buildSettings(ctx, build)),
      cgoOff: cgoOn(ctx, build) === false && build.cgo === '0',
    });
  }
  if (out.length > 0 && !unresolved) return out;
  // Built by make or a script, or copied in prebuilt: recognise the program by its name.
  const final = ctx.facts.finalStage;
  if (!final) return out;
  const shipped = ctx.facts.shippedStages();
  const names = shippedNames(ctx, shipped);
  const mains = mainPackagesInBuild(project);
  // A test harness named like the product (`tests/e2e/app`) is not the program an image ships.
  const byName = mains.filter(
    (p) => !TEST_TREE.test(p.dir) && programNames(ctx, p).some((n) => namesProgram(names, n)),
  );
  const chosen = byName.length > 0 ? byName : unresolved && mains.length === 1 ? mains : [];
  if (chosen.length === 0) return unresolved ? undefined : out;
  const dirs = chosen.map((p) => p.dir).filter((d) => !out.some((o) => o.mains.includes(d)));
  if (dirs.length === 0) return out;
  out.push({
    mains: dirs,
    needs: binaryNeeds(project, dirs, releaseSettings(ctx, dirs)),
    cgoOff:
      unresolvedCgoOff ||
      shipped.some((s) => ctx.facts.go(s).builds.length === 0 && stageCgoOff(ctx, s)) ||
      stageCgoOff(ctx, final),
  });
  return out;
}

/**
 * The build tags every goreleaser build of these main packages sets: a prebuilt binary was
 * compiled with them (`-tags timetzdata` embeds the zone database).
 */
function releaseSettings(ctx: AuditContext, dirs: readonly string[]): BuildSettings {
  const builds = (ctx.context.releaseBuilds ?? []).filter((b) => dirs.includes(b.main));
  if (builds.length === 0) return {};
  return { tags: builds[0]!.tags.filter((t) => builds.every((b) => b.tags.includes(t))) };
}

/** Whether cgo is on for a build: explicitly, or by default because the builder has a C compiler. */
export function cgoOn(ctx: AuditContext, build: GoBuild): 'explicit' | 'default' | false {
  if (build.cgo === '0') return false;
  if (build.cgo === '1') return 'explicit';
  if (build.cgo !== undefined && build.cgo !== '') return false;
  const stage = ctx.df.stages[build.instruction.stage];
  if (!stage) return false;
  return ctx.facts.base(stage).cc === true ? 'default' : false;
}
