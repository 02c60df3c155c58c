/**
 * The paths of a build context, each marked sent or excluded by the .dockerignore: what the
 * audit checks a build's reads against. Version-control and node_modules trees are listed as
 * directories without their contents (nothing a Go build names lives inside them).
 */
import { type Dirent, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ContextFilter, DockerignorePattern } from './dockerignore.js';
import { makeFilter } from './dockerignore.js';

const OPAQUE_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);

export interface ContextInventory {
  /** Files and symbolic links, relative to the context, forward slashes, in walk order. */
  files: string[];
  dirs: Set<string>;
  /** Files (and opaque directories) the ignore file excludes. */
  excluded: Set<string>;
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  /** True when the ignore file excludes `path`. */
  isExcluded(path: string): boolean;
  /** The pattern that excludes `path`: the last non-exception pattern matching it alone. */
  culprit(path: string): DockerignorePattern | undefined;
}

/** Walks `contextDir` once; unreadable directories are skipped (BuildKit would report them). */
export function contextInventory(contextDir: string, filter: ContextFilter): ContextInventory {
  const root = resolve(contextDir);
  const files: string[] = [];
  const dirs = new Set<string>(['']);
  const excluded = new Set<string>();
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    const sub: string[] = [];
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        dirs.add(path);
        if (OPAQUE_DIRS.has(e.name)) {
          if (filter.ignores(path)) excluded.add(path);
        } else sub.push(path);
      } else {
        files.push(path);
        if (filter.ignores(path)) excluded.add(path);
      }
    }
    sub.sort().reverse();
    stack.push(...sub);
  }
  const single = new Map<string, ContextFilter>();
  const alone = (p: DockerignorePattern): ContextFilter => {
    let f = single.get(p.pattern);
    if (!f) {
      f = makeFilter([{ pattern: p.pattern, exception: false, line: p.line }]);
      single.set(p.pattern, f);
    }
    return f;
  };
  const fileSet = new Set(files);
  return {
    files,
    dirs,
    excluded,
    isFile: (p) => fileSet.has(p),
    isDir: (p) => dirs.has(p),
    isExcluded: (p) => filter.ignores(p),
    culprit: (path) => {
      for (let i = filter.patterns.length - 1; i >= 0; i--) {
        const p = filter.patterns[i]!;
        if (!p.exception && alone(p).ignores(path)) return p;
      }
      return undefined;
    },
  };
}
