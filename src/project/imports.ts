/**
 * The local packages a main package compiles: its transitive imports that resolve inside the
 * project (its own module, the module's local replace targets, and go.work modules), from the
 * scan's non-test files. A nested module (a directory with its own go.mod, even an empty one)
 * is a separate module: importing its path fetches it from the module cache, so it is not
 * read from the tree unless a local replace points at it.
 *
 * The scan keeps the files that build for Linux with no extra tags; a build with `-tags` may
 * compile more files, so the closure can be smaller than the build's (never larger).
 */
import { posix } from 'node:path';
import type { GoModFile, GoPackage, ProjectModel } from './model.js';

export interface ImportClosure {
  /** Package directories compiled into the binary, relative to the project root, sorted. */
  dirs: string[];
  /** Module directories whose go.mod (and go.sum) the build reads. */
  moduleDirs: string[];
}

function dirOf(file: string): string {
  const d = posix.dirname(file);
  return d === '' ? '.' : d;
}

function joinDir(base: string, rest: string): string {
  if (rest === '') return base;
  return base === '.' ? rest : `${base}/${rest}`;
}

function normDir(d: string): string {
  const n = posix.normalize(d).replace(/\/+$/, '');
  return n === '' ? '.' : n;
}

/** The directory holding the go.mod that owns `dir` ("." for the root), or undefined. */
function ownerDir(moduleDirs: ReadonlySet<string>, dir: string): string | undefined {
  for (let d = dir; ; d = dirOf(d)) {
    if (moduleDirs.has(d)) return d;
    if (d === '.') return undefined;
  }
}

/**
 * The transitive local imports of the package in `mainDir` (relative to the project root).
 * Undefined when no package with non-test files is there.
 */
export function importClosure(project: ProjectModel, mainDir: string): ImportClosure | undefined {
  const byDir = new Map<string, GoPackage>();
  for (const p of project.packages) if (p.files.length > 0) byDir.set(p.dir, p);
  const start = byDir.get(normDir(mainDir));
  if (!start) return undefined;

  const modules = new Map<string, GoModFile>();
  for (const m of project.modules ?? []) modules.set(dirOf(m.file), m);
  if (project.goMod && !modules.has('.')) modules.set('.', project.goMod);
  const moduleDirSet = new Set(modules.keys());
  const home = ownerDir(moduleDirSet, start.dir);

  // Import path prefixes that resolve to directories of the tree, most specific first.
  const roots: { prefix: string; dir: string }[] = [];
  const addModule = (dir: string): void => {
    const m = modules.get(dir);
    if (!m || m.module === '') return;
    roots.push({ prefix: m.module, dir });
    for (const r of m.replaces) {
      if (!r.local) continue;
      const target = normDir(posix.join(dir, r.newPath.replace(/\\/g, '/')));
      if (target.startsWith('..') || posix.isAbsolute(target)) continue;
      roots.push({ prefix: r.oldPath, dir: target });
    }
  };
  if (project.goWork) {
    for (const u of project.workUseDirs ?? []) addModule(normDir(u));
    for (const r of project.goWork.replaces) {
      if (!r.local) continue;
      const target = normDir(r.newPath.replace(/\\/g, '/'));
      if (!target.startsWith('..') && !posix.isAbsolute(target))
        roots.push({ prefix: r.oldPath, dir: target });
    }
  }
  if (home !== undefined) addModule(home);
  roots.sort((a, b) => b.prefix.length - a.prefix.length);

  const resolveImport = (path: string): string | undefined => {
    for (const r of roots) {
      if (path !== r.prefix && !path.startsWith(`${r.prefix}/`)) continue;
      const dir = joinDir(r.dir, path.slice(r.prefix.length + 1));
      // The package must belong to the module at r.dir, not to a module nested inside it.
      if (!byDir.has(dir) || ownerDir(moduleDirSet, dir) !== ownerDir(moduleDirSet, r.dir)) return undefined;
      return dir;
    }
    return undefined;
  };

  const seen = new Set<string>([start.dir]);
  const queue = [start.dir];
  const usedModules = new Set<string>();
  if (home !== undefined) usedModules.add(home);
  while (queue.length > 0) {
    const pkg = byDir.get(queue.pop()!)!;
    for (const imp of pkg.imports) {
      const dir = resolveImport(imp);
      if (dir === undefined || seen.has(dir)) continue;
      seen.add(dir);
      queue.push(dir);
      const owner = ownerDir(moduleDirSet, dir);
      if (owner !== undefined) usedModules.add(owner);
    }
  }
  return { dirs: [...seen].sort(), moduleDirs: [...usedModules].sort() };
}
