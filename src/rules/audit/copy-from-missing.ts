import { posix } from 'node:path';
import type { ContextInventory } from '../../context/inventory.js';
import { type GoBuild, isGoCommand } from '../../dockerfile/go-commands.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { unwrapCommand } from '../../dockerfile/shell.js';
import { buildDir, buildTarget } from './binaries.js';
import { BuildModel } from './build-reads.js';
import {
  type AuditContext,
  abs,
  contextRel,
  copySources,
  flagValue,
  mountTarget,
  type RuleHit,
} from './context.js';
import { BUILD_PLATFORM, platformOf } from './support.js';

export const id = 'copy-from-missing';

export const examples = {
  bad: '# go.mod: module example.com/shop\nFROM golang:1.25 AS build\nWORKDIR /app\nCOPY . .\nRUN go build\nFROM alpine:3.22\nCOPY --from=build /app/app /usr/bin/app',
  good: 'FROM golang:1.25 AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/app .\nFROM alpine:3.22\nCOPY --from=build /app/app /usr/bin/app',
};

/** Directories a base image may fill: a path there is not known to be missing. */
const IMAGE_DIRS =
  /^\/(bin|sbin|usr|lib|lib32|lib64|libx32|etc|var|opt|root|home|tmp|go|srv|run|dev|proc|sys|mnt|media|boot|nix)(\/|$)/;

/** Bases whose contents goimg knows (none of them holds a project directory such as /app). */
const KNOWN_BASES = new Set(['scratch', 'golang', 'alpine', 'debian', 'ubuntu', 'distroless', 'busybox']);

const GO_SUBCOMMANDS = new Set(['build', 'install', 'get', 'vet', 'version', 'env', 'list']);
const MOD_ACTIONS = new Set(['download', 'tidy', 'verify', 'graph', 'why']);
const QUIET_COMMANDS = new Set(['apk', 'apt-get', 'apt', 'cd', 'set', 'export', 'true', 'echo', 'ls']);

/** A RUN whose every command is known to write nothing outside package and Go caches but go build's output. */
function writesOnlyKnown(ins: Instruction): boolean {
  if (ins.exec !== null || ins.heredocs.length > 0 || /[>`]|\$\(/.test(ins.argsText)) return false;
  return ins.commands.every((c) => {
    const { name, args } = unwrapCommand(c);
    const sub = args[0]?.value ?? '';
    if (isGoCommand(name))
      return GO_SUBCOMMANDS.has(sub) || (sub === 'mod' && MOD_ACTIONS.has(args[1]?.value ?? ''));
    if (name === 'git') return sub === 'config';
    return QUIET_COMMANDS.has(name);
  });
}

/** An ADD of a context file: BuildKit unpacks any tar it recognises, whatever its name. */
function addsFiles(ins: Instruction, inv: ContextInventory): boolean {
  if (ins.keyword !== 'ADD' || flagValue(ins, 'from') !== undefined) return false;
  return copySources(ins).sources.some((raw) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || raw.startsWith('git@')) return false;
    return !inv.isDir(contextRel(raw));
  });
}

/** The file a go build without -o writes: named after its one main package (or first .go file). */
function defaultOutput(ctx: AuditContext, build: GoBuild): string | undefined {
  if (build.goos === 'windows' || build.packages.some((p) => p.includes('$') || p.includes('...')))
    return undefined;
  const files = build.packages.filter((p) => p.endsWith('.go'));
  if (files.length > 0) return posix.basename(files[0]!, '.go');
  const target = buildTarget(ctx, build);
  const module = ctx.project?.goMod?.module;
  if (target.kind !== 'project' || target.mains.length !== 1 || !module || build.packages.length > 1)
    return undefined;
  const dir = target.mains[0]!;
  const parts = `${module}${dir === '.' ? '' : `/${dir}`}`.split('/');
  // A major-version suffix (example.com/app/v2) is not the name.
  if (parts.length > 1 && /^v\d+$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts[parts.length - 1];
}

/** go install writes to $GOBIN or $GOPATH/bin, under the image's directories unless one is moved. */
function movesInstallDir(ctx: AuditContext, stage: Stage): boolean {
  return ctx.facts
    .lineage(stage)
    .some((s) => s.instructions.some((i) => /\bGO(BIN|PATH)\b|\bgo\s+env\s+-w\b/.test(i.argsText)));
}

/** The file a go build (or a go install with -o) writes, when goimg can tell. */
function buildOutput(ctx: AuditContext, b: GoBuild): string | undefined {
  const dir = buildDir(ctx, b);
  if (dir === undefined) return undefined;
  if (b.output !== undefined) {
    // -o naming a directory writes into it, under a name goimg would have to guess.
    if (b.output.includes('$') || b.output.endsWith('/')) return undefined;
    return abs(dir, b.output);
  }
  const name = defaultOutput(ctx, b);
  return name === undefined ? undefined : abs(dir, name);
}

/** The files the go builds of a stage's lineage write, or undefined when one cannot be told. */
function goOutputs(ctx: AuditContext, stage: Stage, dirs: ReadonlySet<string>): string[] | undefined {
  const out: string[] = [];
  const moved = movesInstallDir(ctx, stage);
  for (const s of ctx.facts.lineage(stage))
    for (const b of ctx.facts.go(s).builds) {
      if (b.subcommand === 'install') {
        if (moved) return undefined;
        continue;
      }
      const path = buildOutput(ctx, b);
      if (path === undefined || (b.output !== undefined && dirs.has(path))) return undefined;
      out.push(path);
    }
  return out;
}

/** Where a go build/install of the stage writes its program, when goimg can tell. */
function outputPath(ctx: AuditContext, stage: Stage, b: GoBuild): string | undefined {
  if (b.output !== undefined || b.subcommand !== 'install') return buildOutput(ctx, b);
  // go install writes to /go/bin in the golang image unless GOBIN, GOPATH or a cross-compile
  // (bin/GOOS_GOARCH/) moves it.
  const lineage = ctx.facts.lineage(stage);
  if (ctx.facts.base(lineage[0]!).kind !== 'golang' || b.goos !== undefined || b.goarch !== undefined)
    return undefined;
  if (movesInstallDir(ctx, stage)) return undefined;
  const name = b.packages.length === 1 && !b.packages[0]!.includes('@') ? defaultOutput(ctx, b) : undefined;
  return name === undefined ? undefined : `/go/bin/${name}`;
}

/** Programs a go build writes inside a cache or tmpfs mount of its RUN: the layer keeps none of them. */
function mountedOutputs(ctx: AuditContext, stage: Stage): { path: string; mount: string }[] {
  const out: { path: string; mount: string }[] = [];
  for (const s of ctx.facts.lineage(stage))
    for (const b of ctx.facts.go(s).builds) {
      const mounts = b.instruction.flags
        .filter((f) => f.name === 'mount' && (f.options.type === 'cache' || f.options.type === 'tmpfs'))
        .map(mountTarget)
        .filter((t): t is string => t !== undefined && !t.includes('$'))
        .map((t) => abs('/', t));
      if (mounts.length === 0) continue;
      const path = outputPath(ctx, s, b);
      const mount = path && mounts.find((m) => path === m || path.startsWith(m === '/' ? '/' : `${m}/`));
      if (path && mount) out.push({ path, mount });
    }
  return out;
}

/** A COPY --from of a program its stage wrote only into a mount. */
function copiesMountedOutput(ctx: AuditContext, ins: Instruction, from: Stage): RuleHit[] {
  const mounted = mountedOutputs(ctx, from);
  if (mounted.length === 0) return [];
  const runs = ctx.facts
    .lineage(from)
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'RUN' || i.keyword === 'COPY' || i.keyword === 'ADD');
  const hits: RuleHit[] = [];
  for (const raw of copySources(ins).sources) {
    if (/[$*?[]/.test(raw)) continue;
    const src = abs('/', raw);
    const m = mounted.find((o) => o.path === src);
    // Another instruction naming the file (a copy out of the mount, a second build) may write it.
    const named = (i: Instruction) => i.argsText.includes(posix.basename(src));
    if (!m || runs.filter(named).length > 1) continue;
    hits.push({
      message: `stage ${from.name ?? from.index} writes ${src} inside the cache mount at ${m.mount}, which the image does not keep: this COPY fails with "not found"`,
      span: ins.span,
    });
  }
  return hits;
}

const FOLLOWS_TARGET = /\$\{?TARGET(ARCH|PLATFORM)\b/;

/**
 * A COPY of /go/bin/NAME from a builder on $BUILDPLATFORM whose go install follows the target
 * architecture: cross-compiled, go install writes to /go/bin/GOOS_GOARCH/NAME instead, so the
 * copy fails for every target that is not the build machine's architecture.
 */
function copiesCrossInstall(ctx: AuditContext, ins: Instruction, from: Stage): RuleHit[] {
  const lineage = ctx.facts.lineage(from);
  if (ctx.facts.base(lineage[0]!).kind !== 'golang' || !BUILD_PLATFORM.test(platformOf(ctx, from) ?? ''))
    return [];
  if (movesInstallDir(ctx, from)) return [];
  const installed = new Map<string, GoBuild>();
  for (const s of lineage)
    for (const b of ctx.facts.go(s).builds) {
      if (b.subcommand !== 'install' || b.output !== undefined || !FOLLOWS_TARGET.test(b.goarch ?? ''))
        continue;
      if (unwrapCommand(b.command).name !== 'go' || b.packages.length !== 1 || b.packages[0]!.includes('@'))
        continue;
      const name = defaultOutput(ctx, b);
      if (name !== undefined) installed.set(`/go/bin/${name}`, b);
    }
  const hits: RuleHit[] = [];
  for (const raw of copySources(ins).sources) {
    const src = abs('/', raw);
    if (!installed.has(src)) continue;
    const name = posix.basename(src);
    hits.push({
      message: `stage ${from.name ?? from.index} cross-compiles with go install, which writes to /go/bin/<os>_<arch>/${name} when the target architecture is not the build machine's: this COPY fails with "not found" for those platforms; build with go build -o ${src}`,
      span: ins.span,
      severity: 'warning',
    });
  }
  return hits;
}

export function check(ctx: AuditContext): RuleHit[] {
  const inv = ctx.context.inventory;
  if (!inv || !ctx.project) return [];
  const model = new BuildModel(ctx.facts, inv);
  const hits: RuleHit[] = [];
  for (const stage of ctx.facts.builtStages()) {
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'COPY') continue;
      const from = ctx.facts.stageRef(flagValue(ins, 'from') ?? '');
      if (!from || from.index >= stage.index) continue;
      const lineage = ctx.facts.lineage(from);
      if (!KNOWN_BASES.has(ctx.facts.base(lineage[0]!).kind)) continue;
      const mountedHits = [...copiesMountedOutput(ctx, ins, from), ...copiesCrossInstall(ctx, ins, from)];
      if (mountedHits.length > 0) {
        hits.push(...mountedHits);
        continue;
      }
      const runs = lineage.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN');
      if (!runs.every(writesOnlyKnown) || lineage.some((s) => s.instructions.some((i) => addsFiles(i, inv))))
        continue;
      const { mappings, dirs } = model.model(from);
      const outputs = goOutputs(ctx, from, dirs);
      if (!outputs) continue;
      for (const raw of copySources(ins).sources) {
        if (/[$*?[]/.test(raw)) continue;
        const src = abs('/', raw);
        if (IMAGE_DIRS.test(src) || dirs.has(src)) continue;
        if (outputs.some((o) => o === src || o.startsWith(`${src}/`))) continue;
        if (model.origin(mappings, src) !== undefined) continue;
        const wrote = outputs.length > 0 ? ` (its go build writes ${outputs.join(', ')})` : '';
        hits.push({
          message: `nothing in stage ${from.name ?? from.index} writes ${src}${wrote}: this COPY fails with "not found"`,
          span: ins.span,
        });
      }
    }
  }
  return hits;
}
