/**
 * Finds the files of a Go project the way the go command sees them: directories named
 * vendor, testdata or node_modules and those starting with "." or "_" are not packages.
 * Symbolic links to directories are not followed (neither does `go build ./...`).
 */
import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ProjectDir {
  /** Relative to the root, forward slashes, "." for the root. */
  dir: string;
  goFiles: string[];
  hasGoMod: boolean;
}

const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

export function isSkippedDir(name: string): boolean {
  return SKIP_DIRS.has(name) || name.startsWith('.') || name.startsWith('_');
}

export function walkGoDirs(root: string): ProjectDir[] {
  const out: ProjectDir[] = [];
  const stack: string[] = ['.'];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir === '.' ? root : join(root, dir), { withFileTypes: true });
    } catch {
      continue; // unreadable directory: the go command would fail too; nothing to learn here
    }
    const pd: ProjectDir = { dir, goFiles: [], hasGoMod: false };
    const subdirs: string[] = [];
    for (const e of entries) {
      const name = e.name;
      if (e.isDirectory()) {
        if (!isSkippedDir(name)) subdirs.push(dir === '.' ? name : `${dir}/${name}`);
      } else if (name.endsWith('.go')) {
        if (!name.startsWith('.') && !name.startsWith('_') && (e.isFile() || e.isSymbolicLink()))
          pd.goFiles.push(name);
      } else if (name === 'go.mod') {
        pd.hasGoMod = true;
      }
    }
    pd.goFiles.sort();
    if (pd.goFiles.length > 0 || pd.hasGoMod) out.push(pd);
    subdirs.sort().reverse();
    stack.push(...subdirs);
  }
  return out;
}
