/**
 * The audit's I/O edge: finds the Dockerfiles in a directory, reads them, scans the Go
 * project and the build context, and runs the engine. An overlay of file texts lets the fix
 * loop audit edited files without writing them (for --fix-dry-run); a cache lets a long-lived
 * caller (the language server) keep the project model and the context facts between audits.
 */
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { type BuildFileFacts, readBuildFiles, refAndTarget } from '../context/build-files.js';
import { trackedPaths } from '../context/git-index.js';
import type { ContextReads } from '../context/suggest.js';
import { InputError } from '../core/errors.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { readReleaseConfigs } from '../project/goreleaser.js';
import type { ProjectModel } from '../project/model.js';
import type { ReleaseData } from '../releases/types.js';
import { type BuildReads, buildReads, contextReads } from '../rules/audit/build-reads.js';
import {
  type BuildContextInfo,
  copiesFromContext,
  copySources,
  Facts,
  followedContextPaths,
} from '../rules/audit/context.js';
import { credentialFiles } from './credential-files.js';
import { type AuditFinding, auditDockerfile, EMPTY_CONTEXT } from './engine.js';
import { entrypointScripts } from './entrypoint-scripts.js';

export interface AuditOptions {
  /** One Dockerfile to audit (relative to the current directory or absolute). */
  dockerfile?: string;
  /** The build context when it differs from the audited directory. */
  context?: string;
  /** The stage the build stops at (`docker build --target`). */
  target?: string;
  /** Values the build passes (`docker build --build-arg NAME=VALUE`). */
  buildArgs?: ReadonlyMap<string, string>;
  now?: Date;
  /** Go releases and base-image lifecycles; default: the bundled snapshot. */
  releases?: ReleaseData;
  /** Absolute path → text, read instead of the disk (edited but unwritten files). */
  overlay?: ReadonlyMap<string, string>;
  /** Facts kept between audits; the caller clears it when the files behind them change. */
  cache?: AuditCache;
}

/**
 * What an audit reads from disk besides the Dockerfile: the Go project, and each Dockerfile's
 * context facts, keyed by the .dockerignore text and the instructions that decide what the build
 * reads, so an edit that leaves both alone reuses them.
 */
export interface AuditCache {
  projects: Map<string, ProjectModel | undefined>;
  contexts: Map<string, BuildContextInfo>;
  inventories: Map<string, BuildContextInfo['inventory']>;
}

export function newAuditCache(): AuditCache {
  return { projects: new Map(), contexts: new Map(), inventories: new Map() };
}

/** A cached value, moved to the end of the map's order so trimming the oldest keeps what is in use. */
function remembered<T>(map: Map<string, T>, key: string): T | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}

export interface AuditResult {
  /** The audited directory (absolute). */
  root: string;
  findings: AuditFinding[];
  /** Text of every Dockerfile audited, by relative path (for renderers that show source lines). */
  sources: Map<string, string>;
}

/** True for a name the audit reads as a Dockerfile (the lowercase one only when alone: see below). */
export function isDockerfileName(name: string): boolean {
  if (name === 'dockerfile') return true;
  return (
    (name === 'Dockerfile' || name.endsWith('.Dockerfile') || name.startsWith('Dockerfile.')) &&
    !name.endsWith('.dockerignore')
  );
}

/**
 * `Dockerfile`, `*.Dockerfile`, `Dockerfile.*` (not `*.dockerignore`), sorted. Like the Docker
 * CLI, BuildKit and buildx, a lowercase `dockerfile` is used when there is no `Dockerfile`.
 */
export function findDockerfiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new InputError(`cannot read directory ${dir}: ${(err as Error).message}`);
  }
  const isFile = (n: string): boolean => {
    try {
      return statSync(join(dir, n)).isFile();
    } catch {
      return false; // a dangling link or a file removed meanwhile: not a Dockerfile to audit
    }
  };
  const found = names.filter((n) => n !== 'dockerfile' && isDockerfileName(n) && isFile(n));
  if (!found.includes('Dockerfile') && names.includes('dockerfile') && isFile('dockerfile')) {
    found.push('dockerfile');
  }
  return found.sort();
}

function slash(p: string): string {
  return p.split('\\').join('/');
}

function read(path: string, overlay: ReadonlyMap<string, string> | undefined): string {
  const o = overlay?.get(path);
  if (o !== undefined) return o;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** The largest git index read (a repository of a million files has one of about 100 MB). */
const MAX_INDEX = 256 * 1024 * 1024;

/**
 * The files git tracks in the repository whose .git is at `gitDir` (context-relative), as
 * context paths; undefined when its index cannot be read. Read from the index, never by
 * running git, whose config a repository controls.
 */
function trackedFiles(contextDir: string, gitDir: string): Set<string> | undefined {
  try {
    const index = join(contextDir, gitDir, 'index');
    const stat = statSync(index);
    if (!stat.isFile() || stat.size > MAX_INDEX) return undefined;
    const config = join(contextDir, gitDir, 'config');
    const sha256 = existsSync(config) && /objectformat\s*=\s*sha256/i.test(readFileSync(config, 'utf8'));
    const paths = trackedPaths(readFileSync(index), sha256 ? 32 : 20);
    if (!paths) return undefined;
    const top = posix.dirname(gitDir);
    return new Set(top === '.' ? paths : paths.map((p) => `${top}/${p}`));
  } catch {
    return undefined; // no index (a bare .git file, a worktree): the advice stays as it was
  }
}

/** Instructions that never make a build read its context: editing only these keeps the context facts. */
const READS_NOTHING = new Set([
  'CMD',
  'ENTRYPOINT',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'STOPSIGNAL',
  'USER',
]);

/** What of a Dockerfile decides what its build reads from the context (the text of the other instructions). */
function readsShape(df: DockerfileModel): string {
  const shape = df.instructions
    .filter((i) => !READS_NOTHING.has(i.keyword))
    .map((i) => [df.text.slice(i.span.start, i.span.end), i.heredocs.map((h) => h.body)]);
  return JSON.stringify([df.escape, shape]);
}

/** The Go project for a build context: the module at the context root, else at the audited directory. */
async function loadProject(contextDir: string, dir: string): Promise<ProjectModel | undefined> {
  // A context inside the module (a subdirectory) that holds Go code sends that code without its
  // go.mod: the module's facts (Go version, requirements, vendoring) say nothing about this
  // build. One without Go code gets its source elsewhere (a clone of the repository, an image).
  const inside = relative(dir, contextDir);
  const contextWithin = inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
  const root = existsSync(join(contextDir, 'go.mod'))
    ? contextDir
    : existsSync(join(dir, 'go.mod')) && !(contextWithin && holdsGoFiles(contextDir))
      ? dir
      : undefined;
  if (!root) return undefined;
  const { scanProject } = await import('../project/scan.js');
  return scanProject(root);
}

/** Whether a directory tree holds a .go file (vendor, node_modules and dot directories skipped). */
function holdsGoFiles(dir: string): boolean {
  const stack = [dir];
  for (let seen = 0; stack.length > 0 && seen < 20000; seen++) {
    const d = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && e.name.endsWith('.go')) return true;
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'vendor' && e.name !== 'node_modules')
        stack.push(join(d, e.name));
    }
  }
  return false;
}

/** The Dockerfile's model for the loader's facts; undefined when it does not parse (the engine reports that). */
function modelOf(text: string, buildArgs?: ReadonlyMap<string, string>): DockerfileModel | undefined {
  try {
    const parsed = parseDockerfile(text, buildArgs);
    return parsed.problem ? undefined : parsed.model;
  } catch {
    return undefined;
  }
}

/** Whether a build file's Dockerfile reference (a path, or `prefix*`) names `file`. */
function namesDockerfile(ref: string, file: string): boolean {
  return ref.endsWith('*') ? file.startsWith(ref.slice(0, -1)) : posix.normalize(ref) === file;
}

/**
 * Whether a compose file runs the project's image with root's privileges: a service it builds, or
 * an image named like the project (`quay.io/acme/app` for the module example.com/acme/app).
 */
function runsPrivileged(images: ReadonlySet<string>, project: ProjectModel | undefined): boolean {
  if (images.has('.')) return true;
  if (!project) return false;
  const names = new Set([basename(project.root).toLowerCase()]);
  const mod = project.goMod?.module?.replace(/\/v\d+$/, '');
  if (mod) names.add(mod.split('/').pop()!.toLowerCase());
  return [...images].some((i) => names.has(i.split('/').pop()!));
}

/** Another Dockerfile of the audited directory, which may share the build context. */
interface Sibling {
  path: string;
  df: DockerfileModel;
  /** Its reads, by the root of the project they were followed in (computed once per audit). */
  reads: Map<string, BuildReads>;
}

/** A sibling's reads in the shared context: each Dockerfile's are followed once per audit. */
function siblingReads(s: Sibling, project: ProjectModel | undefined, info: BuildContextInfo): BuildReads {
  const key = project?.root ?? '';
  let reads = s.reads.get(key);
  if (!reads) {
    reads = buildReads(new Facts(s.df), project, info, { all: true });
    s.reads.set(key, reads);
  }
  return reads;
}

/** What several builds read: a path any of them reads is read. */
function mergedReads(all: ContextReads[]): ContextReads {
  if (all.length === 1) return all[0]!;
  const roots = new Map<string, string>();
  for (const r of all) for (const x of r.roots) if (!roots.has(x.path)) roots.set(x.path, x.why);
  return {
    roots: [...roots].map(([path, why]) => ({ path, why })),
    why: (path) => {
      for (const r of all) {
        const why = r.why(path);
        if (why !== undefined) return why;
      }
      return undefined;
    },
  };
}

async function loadContext(
  contextDir: string,
  dockerfile: string,
  df: DockerfileModel | undefined,
  prefix: string,
  project: ProjectModel | undefined,
  overlay: ReadonlyMap<string, string> | undefined,
  cache: AuditCache,
  siblings: readonly Sibling[] = [],
): Promise<BuildContextInfo> {
  const ctxMod = await import('../context/index.js');
  // BuildKit prefers <Dockerfile>.dockerignore next to the Dockerfile, then the context's.
  const candidates = [`${dockerfile}.dockerignore`, join(contextDir, '.dockerignore')];
  let filter = ctxMod.makeFilter([]);
  let ignoreText: string | undefined;
  for (const c of candidates) {
    const text = overlay?.get(c) ?? (existsSync(c) ? read(c, undefined) : undefined);
    if (text === undefined) continue;
    filter = ctxMod.makeFilter(ctxMod.parseDockerignore(text), slash(relative(contextDir, c)), {
      memo: true,
    });
    try {
      // The matcher compiles patterns lazily; a malformed one (an unclosed "[") throws here.
      filter.ignores('goimg-pattern-check');
    } catch (err) {
      throw new InputError(
        `${c}: a pattern is not valid (${(err as Error).message})`,
        'fix the .dockerignore pattern',
      );
    }
    ignoreText = text;
    break;
  }
  const info: BuildContextInfo = { isExcluded: (p) => filter.ignores(p), prefix };
  // Dockerfiles sharing an ignore file share one walk of the context.
  const key = `${contextDir}\0${filter.file}\0${ignoreText ?? ''}`;
  let inventory = remembered(cache.inventories, key);
  if (!inventory) {
    inventory = ctxMod.contextInventory(contextDir, filter);
    cache.inventories.set(key, inventory);
  }
  info.inventory = inventory;
  if (project) {
    const rel = slash(relative(contextDir, project.root));
    if (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel)) info.projectDir = rel;
  }
  // Facts are kept by the instructions that decide the reads (cheap to compare), then by the
  // reads themselves (an edit that changes such an instruction but not what it reads).
  const shapeKey = `shape\0${dockerfile}\0${key}\0${df ? readsShape(df) : ''}`;
  const byShape = remembered(cache.contexts, shapeKey);
  if (byShape) return byShape;
  // What every stage of the Dockerfile reads: no advice or fix may exclude it. Nor what the
  // other Dockerfiles beside it read, when they share the context's ignore file.
  const stageReads = df ? buildReads(new Facts(df), project, info, { all: true }) : undefined;
  const shared = filter.file === '.dockerignore' || ignoreText === undefined;
  const othersRead = shared
    ? siblings.flatMap((s) => (existsSync(`${s.path}.dockerignore`) ? [] : [siblingReads(s, project, info)]))
    : [];
  // BuildKit sends only the paths a build names, when it names every one (null: everything).
  const followed = df ? followedContextPaths(df) : null;
  const followPaths = followed ?? undefined;
  const readsKey = `reads\0${dockerfile}\0${key}\0${JSON.stringify(followed)}\0${
    stageReads
      ? JSON.stringify([
          stageReads.reads.map((r) => [r.path, r.tree, r.why]),
          stageReads.testTrees,
          stageReads.opaqueTrees,
          stageReads.gitTrees,
        ])
      : ''
  }\0${JSON.stringify(othersRead.map((r) => [r.reads.map((x) => [x.path, x.tree]), r.opaqueTrees, r.gitTrees]))}`;
  const byReads = remembered(cache.contexts, readsKey);
  if (byReads) {
    cache.contexts.set(shapeKey, byReads);
    return byReads;
  }
  cache.contexts.set(shapeKey, info);
  cache.contexts.set(readsKey, info);
  const tracked = (git: string) => trackedFiles(contextDir, git);
  const reads = stageReads
    ? mergedReads([stageReads, ...othersRead].map((r) => contextReads(r, tracked)))
    : undefined;
  if (followed) info.sentPaths = followed;
  if (ignoreText !== undefined) {
    const file = slash(join(prefix, filter.file));
    info.dockerignore = { file, text: ignoreText };
    info.gaps = ctxMod.gapsInDockerignore(contextDir, filter, project, reads, followPaths).map((g) => ({
      category: g.category,
      what: `${g.category} files (${g.examples.join(', ')})`,
      pattern: g.patterns.join(', '),
      bytes: g.transferBytes,
      files: g.files,
      examples: g.examples,
    }));
  } else if (project) {
    const savings = ctxMod.dockerignoreSavings(contextDir, filter, project, reads, followPaths);
    info.size = { bytes: savings.current.transferBytes, files: savings.current.files };
    info.suggestion = {
      text: savings.suggestion.text,
      savedBytes: savings.current.transferBytes - savings.suggested.transferBytes,
    };
  } else {
    const size = ctxMod.contextSize(contextDir, filter, followPaths ? { followPaths } : {});
    info.size = { bytes: size.transferBytes, files: size.files };
  }
  return info;
}

/**
 * The action.yml beside a Dockerfile that runs it as a GitHub Actions container action
 * (`runs: using: docker, image: Dockerfile`), if any. Read by lines: the YAML parser costs more
 * start-up time than the whole audit, and these two keys are plain scalars.
 */
function containerActionOf(
  dockerfile: string,
  overlay: ReadonlyMap<string, string> | undefined,
): string | undefined {
  for (const name of ['action.yml', 'action.yaml']) {
    const file = join(dirname(dockerfile), name);
    const text = overlay?.get(file) ?? (existsSync(file) ? read(file, undefined) : undefined);
    if (text === undefined) continue;
    const value = (key: string) =>
      new RegExp(`^\\s+${key}:\\s*['"]?([^'"\\s#]+)['"]?\\s*(#.*)?$`, 'm').exec(text)?.[1];
    const image = value('image')?.replace(/^\.\//, '');
    if (value('using') === 'docker' && image === basename(dockerfile)) return file;
  }
  return undefined;
}

/**
 * The Go module a Dockerfile builds from a subdirectory of its context (`COPY api/go.mod
 * api/go.sum ./`, `COPY api ./api`), when neither the context nor the audited directory holds
 * one: the directory of the one go.mod its COPY and ADD instructions name or copy with their
 * folder. Several, or none: no project.
 */
async function copiedProject(
  contextDir: string,
  df: DockerfileModel | undefined,
  cache: AuditCache,
): Promise<ProjectModel | undefined> {
  const dirs = new Set<string>();
  for (const ins of df?.instructions ?? []) {
    if (!copiesFromContext(ins)) continue;
    for (const src of copySources(ins).sources) {
      if (/[*?[\]$]/.test(src) || src.includes('://')) continue;
      const path = posix.normalize(src.replace(/^\/+/, '')).replace(/\/+$/, '');
      const dir =
        basename(path) === 'go.mod'
          ? posix.dirname(path)
          : existsSync(join(contextDir, path, 'go.mod'))
            ? path
            : '.';
      if (dir !== '.' && !dir.startsWith('..')) dirs.add(dir);
    }
  }
  if (dirs.size !== 1) return undefined;
  const dir = join(contextDir, [...dirs][0]!);
  if (!existsSync(join(dir, 'go.mod'))) return undefined;
  const key = `${dir}\0copied`;
  if (!cache.projects.has(key)) {
    const { scanProject } = await import('../project/scan.js');
    cache.projects.set(key, await scanProject(dir));
  }
  return cache.projects.get(key);
}

/** Audits every Dockerfile of `dir` (or the one named) against its project and context. */
export async function auditDirectory(dirArg: string, options: AuditOptions = {}): Promise<AuditResult> {
  const root = resolve(dirArg);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InputError(`${dirArg} is not a directory`, 'pass the directory that holds the Dockerfile');
  }
  const files = options.dockerfile
    ? [resolve(options.dockerfile)]
    : findDockerfiles(root).map((n) => join(root, n));
  if (files.length === 0) {
    throw new InputError(`no Dockerfile in ${dirArg}`, 'name one with --dockerfile PATH');
  }
  const contextDir = resolve(options.context ?? root);
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
    throw new InputError(`build context ${options.context} is not a directory`);
  }
  const prefix = slash(relative(root, contextDir));
  const cache = options.cache ?? newAuditCache();
  const projectKey = `${contextDir}\0${root}`;
  let project = cache.projects.get(projectKey);
  if (!cache.projects.has(projectKey)) {
    project = await loadProject(contextDir, root);
    cache.projects.set(projectKey, project);
  }
  const findings: AuditFinding[] = [];
  const sources = new Map<string, string>();
  // goreleaser's dockers Dockerfiles get the prebuilt binary in a context goreleaser assembles.
  const releases = project ? await readReleaseConfigs(project.root) : [];
  // Dockerfiles goreleaser builds with a context it assembles: the stages it builds, by file.
  const assembled = new Map<string, { file: string; targets: Set<string | undefined> }>();
  for (const r of releases)
    for (const f of r.dockerfiles) {
      const abs = resolve(project!.root, f.path);
      const entry = assembled.get(abs) ?? { file: r.file, targets: new Set() };
      entry.targets.add(f.target);
      assembled.set(abs, entry);
    }
  // goreleaser names a build's binary after the project unless the build names it.
  const releaseBuilds = releases.flatMap((r) =>
    r.builds.map((b) => {
      const binary = b.binary ?? (r.kind === 'goreleaser' ? r.projectName : undefined);
      return binary === undefined ? b : { ...b, binary };
    }),
  );
  // Every Dockerfile of the directory may be built with this context and its .dockerignore;
  // each is read and parsed once, for its own audit and as the others' sibling.
  const parsed = new Map<string, { text: string; df: DockerfileModel | undefined }>();
  const load = (path: string) => {
    let p = parsed.get(path);
    if (!p) {
      const text = read(path, options.overlay);
      p = { text, df: modelOf(text, options.buildArgs) };
      parsed.set(path, p);
    }
    return p;
  };
  const buildFiles = new Map<string, BuildFileFacts[]>();
  // And so may the Dockerfiles elsewhere that the build files build with this context
  // (`docker build -f cmd/api/Dockerfile .`): they share its .dockerignore too.
  const { contexts } = readBuildFiles(project?.root ?? root, contextDir, buildFiles);
  const sharing = contexts
    .filter(([f, c]) => c === contextDir && existsSync(f) && statSync(f).isFile())
    .map(([f]) => f);
  const siblings: Sibling[] = [];
  for (const path of new Set([...findDockerfiles(root).map((name) => join(root, name)), ...sharing])) {
    const { df } = load(path);
    if (df) siblings.push({ path, df, reads: new Map() });
  }
  for (const abs of files) {
    const { text, df } = load(abs);
    const file = slash(relative(root, abs)) || basename(abs);
    sources.set(file, text);
    const own = project ?? (await copiedProject(contextDir, df, cache));
    // goreleaser assembles the context of the stage it builds (all of them without --target);
    // another stage of the file (a source build, `--target dev`) is built with the real context.
    // The stage this audit builds: --target, or the last one.
    const built = options.target ?? df?.stages[df.stages.length - 1]?.name;
    const release = assembled.get(abs);
    const assembler =
      release && (release.targets.has(undefined) || release.targets.has(built)) ? release.file : undefined;
    let context = assembler
      ? { ...EMPTY_CONTEXT, prefix, assembledBy: `goreleaser (${assembler} dockers)` }
      : await loadContext(
          contextDir,
          abs,
          df,
          prefix,
          own,
          options.overlay,
          cache,
          siblings.filter((s) => s.path !== abs),
        );
    const scripts = df ? entrypointScripts(df, context.inventory, contextDir, options.overlay) : undefined;
    if (scripts && scripts.size > 0) context = { ...context, entrypointScripts: scripts };
    const credentials = df ? credentialFiles(df, context.inventory, contextDir, options.overlay) : undefined;
    if (credentials && credentials.size > 0) context = { ...context, credentialFiles: credentials };
    const action = containerActionOf(abs, options.overlay);
    if (action) context = { ...context, containerAction: slash(relative(root, action)) };
    // Arguments given to the audit are known values, not unknown ones the build passes.
    const {
      passedArgs,
      builtImages,
      pushedImages,
      multiPlatform,
      staticLink,
      serviceTargets,
      fromReaders,
      privilegedImages,
    } = readBuildFiles(root, dirname(abs), buildFiles);
    if (runsPrivileged(privilegedImages, project)) context = { ...context, runsPrivileged: true };
    if (staticLink) context = { ...context, staticLink };
    for (const name of options.buildArgs?.keys() ?? []) passedArgs.delete(name);
    if (passedArgs.size > 0) context = { ...context, passedArgs };
    if (builtImages.size > 0) context = { ...context, builtImages };
    if (pushedImages.size > 0) context = { ...context, pushedImages };
    if (serviceTargets.size > 0) context = { ...context, serviceTargets };
    if (fromReaders.size > 0) context = { ...context, fromReaders };
    if (releaseBuilds.length > 0) context = { ...context, releaseBuilds };
    // Platforms given for this Dockerfile by name win over an expression's list for any.
    // A build of one stage counts for the stage this audit builds.
    const matching = [...multiPlatform]
      .map(([key, p]): [string, string | undefined, Set<string>] => {
        const { ref, target } = refAndTarget(key);
        return [ref, target, p];
      })
      .filter(([ref]) => namesDockerfile(ref, file));
    const forBuilt = matching
      .filter(([, target]) => target === undefined || target === built)
      .map(([ref, , p]): [string, Set<string>] => [ref, p]);
    // Only other stages are built for several platforms: this one is built for one.
    if (forBuilt.length === 0 && matching.length > 0)
      context = { ...context, otherStagesMultiPlatform: true };
    const named = forBuilt.filter(([ref]) => !ref.includes('*'));
    const platforms = new Set((named.length > 0 ? named : forBuilt).flatMap(([, p]) => [...p]));
    if (platforms.size > 1) context = { ...context, targetPlatforms: [...platforms].sort() };
    // A context the command line or the project's build files name for this Dockerfile, inside
    // the project: COPY sources are judged against it, not against the project root.
    const stated = options.context !== undefined || contexts.some(([f, c]) => f === abs && c === contextDir);
    // A subdirectory with Go code of its own gets no project (its module facts do not apply),
    // but the module's root files are still what a COPY of go.mod or go.sum would need.
    const moduleRoot = project?.root ?? (existsSync(join(root, 'go.mod')) ? root : undefined);
    const fromRoot = moduleRoot ? slash(relative(moduleRoot, contextDir)) : '';
    if (stated && fromRoot !== '' && !fromRoot.startsWith('..') && !isAbsolute(fromRoot)) {
      context = { ...context, statedSubdirectory: fromRoot };
      if (!project)
        context = {
          ...context,
          moduleRootFiles: ['go.mod', 'go.sum'].filter((f) => existsSync(join(moduleRoot!, f))),
        };
    }
    const input: Parameters<typeof auditDockerfile>[0] = { file, text, context };
    if (own) input.project = own;
    if (options.now) input.now = options.now;
    if (options.releases) input.releases = options.releases;
    if (options.target !== undefined) input.target = options.target;
    if (options.buildArgs) input.buildArgs = options.buildArgs;
    findings.push(...auditDockerfile(input));
  }
  return { root, findings, sources };
}
