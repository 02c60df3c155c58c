/**
 * The audit's I/O edge: finds the Dockerfiles in a directory, reads them, scans the Go
 * project and the build context, and runs the engine. An overlay of file texts lets the fix
 * loop audit edited files without writing them (for --fix-dry-run).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { readReleaseConfig } from '../project/goreleaser.js';
import type { ProjectModel } from '../project/model.js';
import { buildReads, contextReads } from '../rules/audit/build-reads.js';
import type { BuildContextInfo } from '../rules/audit/context.js';
import { type AuditFinding, auditDockerfile, EMPTY_CONTEXT } from './engine.js';

export interface AuditOptions {
  /** One Dockerfile to audit (relative to the current directory or absolute). */
  dockerfile?: string;
  /** The build context when it differs from the audited directory. */
  context?: string;
  now?: Date;
  /** Absolute path → text, read instead of the disk (edited but unwritten files). */
  overlay?: ReadonlyMap<string, string>;
}

export interface AuditResult {
  /** The audited directory (absolute). */
  root: string;
  findings: AuditFinding[];
  /** Text of every Dockerfile audited, by relative path (for renderers that show source lines). */
  sources: Map<string, string>;
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
  const found = names.filter(
    (n) =>
      (n === 'Dockerfile' || n.endsWith('.Dockerfile') || n.startsWith('Dockerfile.')) &&
      !n.endsWith('.dockerignore') &&
      isFile(n),
  );
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

/** The Go project for a build context: the module at the context root, else at the audited directory. */
async function loadProject(contextDir: string, dir: string): Promise<ProjectModel | undefined> {
  const root = existsSync(join(contextDir, 'go.mod'))
    ? contextDir
    : existsSync(join(dir, 'go.mod'))
      ? dir
      : undefined;
  if (!root) return undefined;
  const { scanProject } = await import('../project/scan.js');
  return scanProject(root);
}

async function loadContext(
  contextDir: string,
  dockerfile: string,
  dockerfileText: string,
  prefix: string,
  project: ProjectModel | undefined,
  overlay: ReadonlyMap<string, string> | undefined,
  inventories: Map<string, BuildContextInfo['inventory']>,
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
  const key = `${filter.file}\0${ignoreText ?? ''}`;
  let inventory = inventories.get(key);
  if (!inventory) {
    inventory = ctxMod.contextInventory(contextDir, filter);
    inventories.set(key, inventory);
  }
  info.inventory = inventory;
  if (project) {
    const rel = slash(relative(contextDir, project.root));
    if (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel)) info.projectDir = rel;
  }
  // What every stage of the Dockerfile reads: no advice or fix may exclude it.
  let reads: ReturnType<typeof contextReads> | undefined;
  try {
    const parsed = parseDockerfile(dockerfileText);
    if (!parsed.problem) reads = contextReads(buildReads(parsed.model, project, info, { all: true }));
  } catch {
    reads = undefined; // the engine reports the parse error
  }
  if (ignoreText !== undefined) {
    const file = slash(join(prefix, filter.file));
    info.dockerignore = { file, text: ignoreText };
    info.gaps = ctxMod.gapsInDockerignore(contextDir, filter, project, reads).map((g) => ({
      category: g.category,
      what: `${g.category} files (${g.examples.join(', ')})`,
      pattern: g.patterns.join(', '),
      bytes: g.transferBytes,
      files: g.files,
    }));
  } else if (project) {
    const savings = ctxMod.dockerignoreSavings(contextDir, filter, project, reads);
    info.size = { bytes: savings.current.transferBytes, files: savings.current.files };
    info.suggestion = {
      text: savings.suggestion.text,
      savedBytes: savings.current.transferBytes - savings.suggested.transferBytes,
    };
  } else {
    const size = ctxMod.contextSize(contextDir, filter);
    info.size = { bytes: size.transferBytes, files: size.files };
  }
  return info;
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
  const project = await loadProject(contextDir, root);
  const findings: AuditFinding[] = [];
  const sources = new Map<string, string>();
  // goreleaser's dockers Dockerfiles get the prebuilt binary in a context goreleaser assembles.
  const release = project ? await readReleaseConfig(project.root) : undefined;
  const assembled = new Set((release?.dockerfiles ?? []).map((f) => resolve(project!.root, f)));
  const inventories = new Map<string, BuildContextInfo['inventory']>();
  for (const abs of files) {
    const text = read(abs, options.overlay);
    const file = slash(relative(root, abs)) || basename(abs);
    sources.set(file, text);
    const context = assembled.has(abs)
      ? { ...EMPTY_CONTEXT, prefix, assembledBy: `goreleaser (${release!.file} dockers)` }
      : await loadContext(contextDir, abs, text, prefix, project, options.overlay, inventories);
    const input: Parameters<typeof auditDockerfile>[0] = { file, text, context };
    if (project) input.project = project;
    if (options.now) input.now = options.now;
    findings.push(...auditDockerfile(input));
  }
  return { root, findings, sources };
}
