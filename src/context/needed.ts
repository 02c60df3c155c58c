/**
 * Which context files a Go build reads: module files, package sources (Go, cgo C/assembly,
 * .syso), vendor/, local replace and workspace modules, and //go:embed assets. A .dockerignore
 * must never exclude them.
 */
import { posix, relative, resolve } from 'node:path';
import type { ProjectModel } from '../project/model.js';
import { pathMatchRegExp } from './path-match.js';

const MODULE_FILES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum']);
/** Files the go command compiles or links besides .go: cgo sources, assembly, resources. */
const PACKAGE_SOURCE = /\.(go|c|h|s|S|cc|cpp|cxx|hh|hpp|hxx|m|f|F|for|f90|syso)$/;

export interface NeededMatcher {
  /** True when the build reads `path` (relative to the context, forward slashes). */
  needs(path: string): boolean;
  /** Why it is needed, for messages ("go.mod", "local replace target lib", ...). */
  why(path: string): string | undefined;
}

/** A matcher over context paths for `project`, whose root is inside `contextDir`. */
export function neededByBuild(project: ProjectModel, contextDir: string = project.root): NeededMatcher {
  const prefix = relative(resolve(contextDir), project.root).split('\\').join('/');
  const toProject = (path: string): string | undefined => {
    if (prefix === '') return path;
    if (path === prefix) return '.';
    return path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined;
  };
  const packageDirs = new Set(project.packages.filter((p) => p.files.length > 0).map((p) => p.dir));
  const moduleDirs = new Set<string>(['.']);
  for (const m of project.modules ?? []) moduleDirs.add(posix.dirname(m.file));
  const trees: { dir: string; why: string }[] = [];
  if (project.vendored) trees.push({ dir: 'vendor', why: 'vendored modules' });
  for (const d of project.localReplaceDirs) trees.push({ dir: d, why: `local replace target ${d}` });
  for (const d of project.workUseDirs ?? []) trees.push({ dir: d, why: `go.work module ${d}` });
  const embeds = (project.embedPaths ?? []).map((p) => ({ pattern: p, re: pathMatchRegExp(p) }));

  const why = (contextPath: string): string | undefined => {
    const path = toProject(contextPath);
    if (path === undefined) return undefined;
    const base = posix.basename(path);
    const dir = posix.dirname(path);
    for (const t of trees) {
      if (t.dir !== '.' && !t.dir.startsWith('../') && (path === t.dir || path.startsWith(`${t.dir}/`))) {
        return t.why;
      }
    }
    if (MODULE_FILES.has(base) && moduleDirs.has(dir)) return base;
    if (PACKAGE_SOURCE.test(base) && !base.endsWith('_test.go') && packageDirs.has(dir))
      return `source of package ${dir}`;
    for (const e of embeds) {
      // A pattern matching a directory embeds everything below it.
      for (let p = path; p !== '.' && p !== ''; p = posix.dirname(p)) {
        if (e.re.test(p)) return `//go:embed ${e.pattern}`;
      }
    }
    return undefined;
  };
  return { needs: (p) => why(p) !== undefined, why };
}
