/**
 * Shared helpers for audit rule checks: edits into the Dockerfile, line offsets, the builder
 * stages that compile Go, and cgo decisions.
 */

import { posix } from 'node:path';
import { type GoBuild, isGoCommand } from '../../dockerfile/go-commands.js';
import { scopeAt } from '../../dockerfile/instruction.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { substitute } from '../../dockerfile/parse.js';
import { isShell, type ShellCommand, unwrapCommand } from '../../dockerfile/shell.js';
import { spanAt } from '../../dockerfile/span.js';
import type { Edit } from '../../fix/edit.js';
import { binaryName } from '../../project/closure.js';
import { buildTarget } from './binaries.js';
import { type AuditContext, contextRel, copiesFromContext, copySources, flagValue } from './context.js';
import { startedScript } from './start-command.js';

export function replace(ctx: AuditContext, start: number, end: number, text: string): Edit {
  return { kind: 'replace', file: ctx.file, start, end, text };
}

export function insert(ctx: AuditContext, at: number, text: string): Edit {
  return replace(ctx, at, at, text);
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(ctx: AuditContext, offset: number): number {
  const text = ctx.df.text;
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The indentation of the line holding `offset`. */
export function indentAt(ctx: AuditContext, offset: number): string {
  const start = lineStart(ctx, offset);
  return /^[ \t]*/.exec(ctx.df.text.slice(start, offset))![0];
}

/** Inserts whole lines before the instruction `ins`, in the file's line-ending style. */
export function insertLinesBefore(ctx: AuditContext, ins: Instruction, lines: string[]): Edit {
  const at = lineStart(ctx, ins.span.start);
  const indent = indentAt(ctx, ins.span.start);
  return insert(ctx, at, lines.map((l) => `${indent}${l}${ctx.df.eol}`).join(''));
}

/** Inserts whole lines after the instruction `ins` (after its last line). */
export function insertLinesAfter(ctx: AuditContext, ins: Instruction, lines: string[]): Edit {
  const text = ctx.df.text;
  let at = ins.span.end;
  while (at < text.length && text[at] !== '\n') at++;
  if (at < text.length) {
    return insert(ctx, at + 1, lines.map((l) => `${l}${ctx.df.eol}`).join(''));
  }
  return insert(ctx, at, lines.map((l) => `${ctx.df.eol}${l}`).join(''));
}

/** The `# syntax=docker/dockerfile:1` edit, when the file has no syntax directive. */
export function syntaxDirectiveEdit(ctx: AuditContext): Edit | undefined {
  if (ctx.df.directives.some((d) => d.name === 'syntax')) return undefined;
  return insert(ctx, 0, `# syntax=docker/dockerfile:1${ctx.df.eol}`);
}

/**
 * Whether the Go of the image a build runs in is known and older than 1.`minor`: before 1.13 a
 * module build was not the default everywhere (GOPATH mode reads vendor/ and fetches nothing),
 * and -trimpath did not exist.
 */
export function goBefore(ctx: AuditContext, build: GoBuild, minor: number): boolean {
  const stage = ctx.df.stages[build.instruction.stage];
  const have = stage && ctx.facts.base(ctx.facts.lineage(stage)[0]!).goVersion;
  const m = have ? /^1\.(\d+)/.exec(have) : null;
  return m !== null && Number(m[1]) < minor;
}

/** `go install tool@version`: builds another module's program, ignoring the project's go.mod. */
export function isToolInstall(build: GoBuild): boolean {
  return build.packages.length > 0 && build.packages.every((p) => p.includes('@'));
}

/** The go build/install commands of a stage that compile the project (not `go install tool@version`). */
export function projectBuilds(ctx: AuditContext, stage: Stage): GoBuild[] {
  return ctx.facts.go(stage).builds.filter((b) => !isToolInstall(b));
}

/** Stages that compile the project with `go build`/`go install`. */
export function builderStages(ctx: AuditContext): Stage[] {
  return ctx.df.stages.filter((s) => projectBuilds(ctx, s).length > 0);
}

/** Edit setting CGO_ENABLED=0 for one build: in the command's prefix. */
export function disableCgoEdit(ctx: AuditContext, build: GoBuild): Edit {
  const existing = build.command.assignments.find((a) => a.name === 'CGO_ENABLED');
  if (existing) return replace(ctx, existing.word.start, existing.word.end, 'CGO_ENABLED=0');
  return insert(ctx, build.commandStart, 'CGO_ENABLED=0 ');
}

/** Where a go build is, as a span covering the command words. */
export function buildSpan(ctx: AuditContext, build: GoBuild) {
  return spanOfOffsets(ctx, build.command.start, build.command.end);
}

export function spanOfOffsets(ctx: AuditContext, start: number, end: number) {
  return spanAt(ctx.df.lineStarts, start, end);
}

/**
 * A COPY from the build context (no --from) whose sources bring in the whole tree or Go sources:
 * `.`, `*.go`, the usual source folders, or a folder holding the project's module or packages.
 */
export function isSourceCopy(ctx: AuditContext, ins: Instruction): boolean {
  if (!copiesFromContext(ins)) return false;
  return copySources(ins).sources.some((s) => {
    const v = s.replace(/^\.\//, '').replace(/\/$/, '');
    return (
      v === '.' ||
      v === '' ||
      v === '*' ||
      v.endsWith('.go') ||
      v === 'cmd' ||
      v === 'internal' ||
      v === 'pkg' ||
      holdsGoSources(ctx, contextRel(v))
    );
  });
}

/**
 * Whether a context folder holds the project's module root or one of its packages. A local
 * replace target (`replace example.com/api => ./api`) is a dependency go mod download reads.
 */
function holdsGoSources(ctx: AuditContext, dir: string): boolean {
  const projectDir = ctx.context.projectDir;
  if (!ctx.project || projectDir === undefined || dir === '' || /[*?[$]/.test(dir)) return false;
  const under = (p: string, d: string) => p === d || p.startsWith(`${d}/`);
  if (projectDir !== '' && under(projectDir, dir)) return true;
  const replaced = ctx.project.localReplaceDirs.map((r) => posix.join(projectDir, r));
  if (replaced.some((r) => under(dir, r))) return false;
  return ctx.project.packages.some((pkg) => under(posix.join(projectDir, pkg.dir), dir));
}

/** The module's go.mod relative to the build context, when the module sits at the context root. */
export function moduleAtContextRoot(ctx: AuditContext): boolean {
  return ctx.project?.goMod?.file === 'go.mod';
}

/** The USER in effect for `ins` in its stage lineage ("" when none was set: root). */
export function userAt(ctx: AuditContext, ins: Instruction): string {
  const stage = ctx.df.stages[ins.stage];
  if (!stage) return '';
  let user = '';
  for (const s of ctx.facts.lineage(stage)) {
    for (const i of s.instructions) {
      if (s === stage && i.index >= ins.index) break;
      if (i.keyword === 'USER') user = i.args[0]?.value ?? '';
    }
  }
  return user;
}

export function isRootUser(user: string): boolean {
  const name = user.split(':')[0]!;
  return name === '' || name === 'root' || name === '0';
}

/** The builder's real GOCACHE and GOMODCACHE at `ins`, when they can be told. */
export function goCachePaths(ctx: AuditContext, ins: Instruction): { gocache?: string; gomodcache?: string } {
  return ctx.facts.cached(`goCachePaths:${ins.index}`, () => computeGoCachePaths(ctx, ins));
}

/** What `go env -w NAME=VALUE` wrote to go's env file in the lineage before `ins` (last write wins). */
function goEnvWritten(ctx: AuditContext, stage: Stage, ins: Instruction): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of ctx.facts.lineage(stage)) {
    for (const i of s.instructions) {
      if (s === stage && i.index >= ins.index) break;
      for (const c of i.commands) {
        const words = c.words.map((w) => w.value);
        if (!/(^|\/)go$/.test(words[0] ?? '') || words[1] !== 'env' || words[2] !== '-w') continue;
        for (const w of words.slice(3)) {
          const eq = w.indexOf('=');
          if (eq > 0) out.set(w.slice(0, eq), w.slice(eq + 1));
        }
      }
    }
  }
  return out;
}

function computeGoCachePaths(ctx: AuditContext, ins: Instruction): { gocache?: string; gomodcache?: string } {
  const stage = ctx.df.stages[ins.stage]!;
  const scope = scopeAt(ins);
  const user = userAt(ctx, ins);
  const kind = ctx.facts.base(stage).kind;
  // A base goimg does not know may set HOME, GOPATH or GOCACHE itself (Go builder images do):
  // its defaults are not guessed.
  const home = scope.get('HOME') ?? (isRootUser(user) && kind !== 'other' ? '/root' : undefined);
  const out: { gocache?: string; gomodcache?: string } = {};
  // An ENV/ARG wins over `go env -w` (go's own order), which wins over the defaults.
  const written = goEnvWritten(ctx, stage, ins);
  const gocache =
    scope.get('GOCACHE') ?? written.get('GOCACHE') ?? (home ? `${home}/.cache/go-build` : undefined);
  if (gocache) out.gocache = gocache;
  const gopath =
    (scope.get('GOPATH') ?? written.get('GOPATH'))?.split(':')[0] ??
    (kind === 'golang' ? '/go' : home ? `${home}/go` : undefined);
  const gomodcache =
    scope.get('GOMODCACHE') ?? written.get('GOMODCACHE') ?? (gopath ? `${gopath}/pkg/mod` : undefined);
  if (gomodcache) out.gomodcache = gomodcache;
  return out;
}

export function normPath(p: string): string {
  const v = p.replace(/\/+$/, '').replace(/\/\.$/, '');
  return v === '' ? '/' : v;
}

/** RUN instructions in a stage that run go build/install or go mod download, with what they need. */
export function goRuns(
  ctx: AuditContext,
  stage: Stage,
): { ins: Instruction; build: boolean; download: boolean }[] {
  const { builds, modSteps } = ctx.facts.go(stage);
  const map = new Map<Instruction, { ins: Instruction; build: boolean; download: boolean }>();
  for (const b of builds) {
    const e = map.get(b.instruction) ?? { ins: b.instruction, build: false, download: false };
    e.build = true;
    map.set(b.instruction, e);
  }
  for (const m of modSteps) {
    if (m.action !== 'download') continue;
    const e = map.get(m.instruction) ?? { ins: m.instruction, build: false, download: false };
    e.download = true;
    map.set(m.instruction, e);
  }
  return [...map.values()].sort((a, b) => a.ins.index - b.ins.index);
}

/** Builds whose binary ships and is the project's program (not a library warm-up, not a tool). */
export function shippedProgramBuilds(ctx: AuditContext): GoBuild[] {
  return ctx.facts.shippedBuilds().filter((b) => {
    if (isToolInstall(b) || discardsOutput(b) || beforeSources(ctx, b)) return false;
    const target = buildTarget(ctx, b);
    return !(target.kind === 'project' && target.mains.length === 0) && target.kind !== 'external';
  });
}

/**
 * A build for a debugger: `-gcflags "all=-N -l"` turns optimisation and inlining off so that delve
 * can step through the source. Its symbols, DWARF and source paths are what the image is for.
 */
export function debugBuild(build: GoBuild): boolean {
  const words = build.command.words.map((w) => w.value);
  return words.some((w, k) => {
    const flag = /^--?gcflags(=|$)/.exec(w);
    if (!flag) return false;
    const value = flag[1] === '=' ? w.slice(flag[0].length) : (words[k + 1] ?? '');
    return /(^|[\s=])-N\b/.test(value) && /(^|\s)-l\b/.test(value);
  });
}

/** A word after the go verb that is a bare variable (`$GOFLAGS_EXTRA`): it may expand to any flags. */
export function hasVariableFlags(build: GoBuild): boolean {
  const words = build.command.words;
  const at = words.indexOf(build.verb);
  return words.slice(at + 1).some((w, k, rest) => {
    if (!/^\$\{?[A-Za-z_]/.test(w.value)) return false;
    // The value of a flag (`-ldflags $LDFLAGS`, `-o $OUT`) is not a flag of its own.
    const prev = rest[k - 1]?.value;
    return !(
      prev !== undefined &&
      /^--?[a-z]+$/.test(prev) &&
      prev !== '-trimpath' &&
      prev !== '-v' &&
      prev !== '-x'
    );
  });
}

/**
 * The -ldflags value with the stage's ARG/ENV values substituted; undefined when a variable
 * that stands for whole flags (`$LDFLAGS`) has no known value. A variable inside a value
 * (`-X main.version=$VERSION`) cannot add flags.
 */
export function resolvedLdflags(build: GoBuild): string | undefined {
  const v = build.ldflags ?? '';
  if (!v.includes('$')) return v;
  const out = substitute(v, scopeAt(build.instruction));
  return out.split(/\s+/).some((t) => /^['"]?\$\{?[A-Za-z_]/.test(t)) ? undefined : out;
}

/** What marks an image as one that runs a service: how it starts, or what it serves. */
const SERVICE_KEYWORDS = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'HEALTHCHECK']);

/**
 * Whether the final stage starts nothing: no CMD, ENTRYPOINT, EXPOSE or HEALTHCHECK in its
 * lineage, on a base goimg knows (none, or a shell). Such an image is exported (`--output`) or
 * built upon, not run as a service, so what a running service would need or run as is moot.
 */
export function startsNothing(ctx: AuditContext, final: Stage): boolean {
  if (ctx.facts.base(final).kind === 'other') return false;
  return !ctx.facts.lineage(final).some((s) => s.instructions.some((i) => SERVICE_KEYWORDS.has(i.keyword)));
}

/** A scratch final stage that starts nothing: a binary exported with `--output`, run elsewhere. */
export function exportedScratch(ctx: AuditContext, final: Stage): boolean {
  return ctx.facts.base(final).kind === 'scratch' && startsNothing(ctx, final);
}

/** `go build -o /dev/null`: a compile check whose binary is thrown away. */
export function discardsOutput(build: GoBuild): boolean {
  return build.output === '/dev/null';
}

/**
 * The final stage's ENTRYPOINT or CMD runs the go command (`go test ./...`, `go run .`): a test
 * runner or CI step that needs the toolchain, not a runtime image.
 */
export function runsGo(ctx: AuditContext, final: Stage): boolean {
  const direct = ctx.facts.lineage(final).some((s) =>
    s.instructions.some((ins) => {
      if (ins.keyword !== 'ENTRYPOINT' && ins.keyword !== 'CMD') return false;
      const words = ins.exec ?? ins.args.map((a) => a.value);
      const shell = words[0] !== undefined && isShell(words[0]) && words[1] === '-c';
      const first = shell ? (words[2] ?? '').trim().split(/\s+/)[0] : words[0];
      return first !== undefined && isGoCommand(first);
    }),
  );
  // A script of the context that runs go (`CMD ["script/test"]`, an ENTRYPOINT compiling plugins).
  const script = direct ? undefined : startedScript(ctx, final);
  return (
    direct ||
    (script !== undefined && /^[^#\n]*(^|[\s;&|(])go\s+(build|test|run|vet|generate)\b/m.test(script.text))
  );
}

/**
 * A strip command run on the build's output after the build in its stage (`strip /bin/app`,
 * `aarch64-linux-gnu-strip`): the symbols go there, with a tool that reads only its own architectures.
 */
export function strippedLater(ctx: AuditContext, build: GoBuild): boolean {
  const out = build.output;
  const stage = ctx.df.stages[build.instruction.stage];
  if (!out || out.includes('$') || !stage) return false;
  const name = posix.basename(out);
  return stage.instructions.some(
    (ins) =>
      ins.keyword === 'RUN' &&
      ins.index >= build.instruction.index &&
      ins.commands.some((c) => {
        const [tool = '', ...args] = c.words.map((w) => w.value);
        return (
          /(^|[-/])strip$/.test(tool) &&
          args.some((a) => !a.startsWith('-') && (a === out || posix.basename(a) === name))
        );
      }),
  );
}

/** -ldflags that link the binary statically (`-extldflags -static`): it needs no libc at run time. */
export function linksStatically(ldflags: string | undefined): boolean {
  return /-static\b/.test(ldflags ?? '');
}

/** The files a module's dependency step copies before the sources. */
const MODULE_FILES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum']);

/**
 * A go build or install that runs when only go.mod and go.sum have arrived from the context
 * (no sources, no bind mount, nothing from another stage): it compiles dependencies to warm the
 * cache (`go install github.com/mattn/go-sqlite3`), not the program.
 */
export function beforeSources(ctx: AuditContext, build: GoBuild): boolean {
  const stage = ctx.df.stages[build.instruction.stage];
  if (
    !stage ||
    build.instruction.flags.some((f) => f.name === 'mount' && (f.options.type ?? 'bind') === 'bind')
  )
    return false;
  let copied = false;
  for (const s of ctx.facts.lineage(stage)) {
    for (const i of s.instructions) {
      if (s === stage && i.index >= build.instruction.index) break;
      if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
      if (i.flags.some((f) => f.name === 'from')) return false;
      const { sources } = copySources(i);
      if (!sources.every((src) => MODULE_FILES.has(posix.basename(src)))) return false;
      copied = true;
    }
  }
  return copied;
}

/**
 * The build argument the base image of `stage` depends on (its FROM's variables, followed through
 * the global ARG defaults) that the project's build files pass, if any: the ARG's default is then
 * not what the project's images are built from, and what it implies is not certain.
 */
export function baseSetByBuild(ctx: AuditContext, stage: Stage): string | undefined {
  const passed = ctx.context.passedArgs;
  if (!passed || passed.size === 0) return undefined;
  const raw = new Map<string, string>();
  for (const ins of ctx.df.instructions)
    if (ins.stage === -1 && ins.keyword === 'ARG')
      for (const a of ins.args) {
        const eq = a.value.indexOf('=');
        raw.set(eq < 0 ? a.value : a.value.slice(0, eq), eq < 0 ? '' : a.value.slice(eq + 1));
      }
  const seen = new Set<string>();
  const pending = [ctx.facts.root(stage).baseRaw];
  while (pending.length > 0) {
    for (const m of pending.pop()!.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = m[1]!;
      if (seen.has(name)) continue;
      seen.add(name);
      if (passed.has(name)) return name;
      pending.push(raw.get(name) ?? '');
    }
  }
  return undefined;
}

/**
 * The stage lineage copies a whole directory tree from another stage to the image's root
 * (`COPY --from=rootfs /image/ /`: a file system assembled with `dnf --installroot`, `apk
 * --root`, debootstrap): what it holds (a CA bundle, zoneinfo) is not visible here.
 */
export function copiesRootTree(ctx: AuditContext, stage: Stage): boolean {
  return ctx.facts.lineage(stage).some((s) =>
    s.instructions.some((i) => {
      const from = flagValue(i, 'from');
      if (i.keyword !== 'COPY' || from === undefined) return false;
      const { sources, dest } = copySources(i);
      if (posix.normalize(dest) !== '/') return false;
      if (sources.some((src) => src.endsWith('/') || src.endsWith('/.') || src === '.')) return true;
      // A source named by a variable (`/$TARGETPLATFORM`) may be such a tree too, when its stage holds a system.
      const src = ctx.facts.stageRef(from);
      return sources.some((p) => p.includes('$')) && (src === undefined || holdsSystem(ctx, src, 0));
    }),
  );
}

/** A stage whose files may include a system (a distribution's): not scratch, or copies from such a stage or an image. */
function holdsSystem(ctx: AuditContext, stage: Stage, depth: number): boolean {
  const lineage = ctx.facts.lineage(stage);
  if (depth > 8 || ctx.facts.base(lineage[0]!).kind !== 'scratch') return true;
  return lineage.some((s) =>
    s.instructions.some((i) => {
      const from = i.keyword === 'COPY' ? flagValue(i, 'from') : undefined;
      if (from === undefined) return false;
      const src = ctx.facts.stageRef(from);
      return src === undefined || holdsSystem(ctx, src, depth + 1);
    }),
  );
}

/** The arguments of a make run (`make`, `gmake`, `/usr/bin/make`, through env or sudo); undefined for another command. */
export function makeArgs(cmd: ShellCommand): string[] | undefined {
  const { name, args } = unwrapCommand(cmd);
  return /^g?make$/.test(posix.basename(name)) ? args.map((a) => a.value) : undefined;
}

/** The --platform its stage's first FROM asks for (`$BUILDPLATFORM`, `linux/amd64`), if any. */
export function platformOf(ctx: AuditContext, stage: Stage): string | undefined {
  return flagValue(ctx.facts.root(stage).from, 'platform');
}

export const BUILD_PLATFORM = /\$\{?BUILDPLATFORM\b/;

/** The make command of a RUN, as written (the RUN may chain others before it). */
export function makeCommand(run: Instruction): string {
  const cmd = run.commands.find((c) => makeArgs(c) !== undefined);
  return cmd
    ? [...cmd.assignments.map((a) => a.word), ...cmd.words].map((w) => w.value).join(' ')
    : run.argsText.trim().split('\n')[0]!;
}

const BUILD_TARGET = /^(build|build-[\w.-]+|install|all|release|binary|binaries)$/;

/**
 * The RUN of a golang stage without a go build of its own that compiles through make: the default
 * target, a build-like one, or one named after a program of the project (`make server-static`).
 */
export function makeBuildRun(ctx: AuditContext, stage: Stage): Instruction | undefined {
  if (projectBuilds(ctx, stage).length > 0 || ctx.facts.base(stage).kind !== 'golang') return undefined;
  const programs = (ctx.project?.packages ?? [])
    .filter((p) => p.name === 'main')
    .map((p) => binaryName(ctx.project!, p));
  const buildsProgram = (t: string) => programs.some((n) => t === n || t.startsWith(`${n}-`));
  return stage.instructions.find(
    (i) =>
      i.keyword === 'RUN' &&
      i.commands.some((c) => {
        const args = makeArgs(c);
        if (args === undefined) return false;
        const targets = args.filter((w) => !w.startsWith('-') && !w.includes('='));
        return targets.length === 0 || targets.some((t) => BUILD_TARGET.test(t) || buildsProgram(t));
      }),
  );
}

// Packages a build environment adds to the toolchain (a compiler driver, make, version control).
const BUILD_TOOLS = new Set(['make', 'build-base', 'build-essential', 'gcc', 'clang', 'git', 'mercurial']);

/**
 * The final stage compiles nothing yet adds build tools to the toolchain image: it is a build
 * environment (a release tool, a CI image) whose program runs go, not a runtime left unsplit.
 */
export function installsBuildTools(ctx: AuditContext, final: Stage): boolean {
  return ctx.facts.lineage(final).some((s) => ctx.facts.installed(s).some((p) => BUILD_TOOLS.has(p)));
}
