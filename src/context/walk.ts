/**
 * walkContext(): the entries BuildKit sends for a build context, in the order it sends them.
 * Mirrors fsutil's walker: a depth-first walk in byte order of names, symbolic links not
 * followed, excluded directories skipped whole unless an exception ("!pattern") could
 * re-include something below them, and excluded parents of a re-included file sent before it.
 * Streams: only the current path of directories is held in memory.
 */
import { type Dirent, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { ContextFilter } from './dockerignore.js';
import { pathMatchRegExp } from './path-match.js';

export type ContextEntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface ContextEntry {
  /** Relative to the context, forward slashes. */
  path: string;
  type: ContextEntryType;
  /** Bytes of content (files), link text length (symlinks), 0 for directories. */
  size: number;
  /** st_mode: type and permission bits. */
  mode: number;
  /** Modification time (ms since the epoch). */
  mtimeMs: number;
  /** Target of a symbolic link. */
  linkTarget?: string;
}

export interface WalkOptions {
  /**
   * Only these paths (and what is under them, and their parent directories) are sent: what
   * BuildKit does when the Dockerfile copies named sources rather than the whole context.
   * A segment may be a glob (`app_*` in dist/app_*), matched against one name as COPY matches it.
   */
  followPaths?: string[];
}

function typeOf(e: Dirent): ContextEntryType {
  if (e.isDirectory()) return 'dir';
  if (e.isFile()) return 'file';
  if (e.isSymbolicLink()) return 'symlink';
  return 'other';
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One name of a followed path: the name itself, or a glob (`*`, `?`, `[...]`) over one name. */
type Segment = string | RegExp;

function segmentsOf(path: string): Segment[] {
  return path.split('/').map((s) => (/[*?[\]\\]/.test(s) ? pathMatchRegExp(s) : s));
}

const matches = (seg: Segment, name: string) => (typeof seg === 'string' ? seg === name : seg.test(name));

function followState(path: string, follow: readonly Segment[][] | undefined): 'in' | 'parent' | 'out' {
  if (follow === undefined) return 'in';
  const names = path.split('/');
  let parent = false;
  for (const f of follow) {
    if (f.length === 0) return 'in';
    const n = Math.min(f.length, names.length);
    let same = true;
    for (let i = 0; i < n && same; i++) same = matches(f[i]!, names[i]!);
    if (!same) continue;
    if (names.length >= f.length) return 'in';
    parent = true;
  }
  return parent ? 'parent' : 'out';
}

export function* walkContext(
  contextDir: string,
  filter: ContextFilter,
  options: WalkOptions = {},
): Generator<ContextEntry, void, undefined> {
  const root = resolve(contextDir);
  const follow = options.followPaths?.map((p) => {
    const clean = p.replace(/^\.\//, '').replace(/\/+$/, '');
    return clean === '' || clean === '.' ? [] : segmentsOf(clean);
  });
  try {
    if (!statSync(root).isDirectory()) throw new InputError(`build context ${contextDir} is not a directory`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`build context ${contextDir} does not exist`);
  }
  // Directories that were excluded (or only parents of followed paths) but walked because
  // something below them may be sent; emitted lazily before their first sent descendant.
  const pending: ContextEntry[] = [];
  function* walkDir(rel: string): Generator<ContextEntry, void, undefined> {
    let entries: Dirent[];
    try {
      entries = readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true });
    } catch (err) {
      throw new InputError(`cannot read ${rel || '.'} in the build context: ${(err as Error).message}`);
    }
    entries.sort((a, b) => byteOrder(a.name, b.name));
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      const type = typeOf(e);
      const fstate = followState(path, follow);
      if (fstate === 'out') continue;
      const excluded = filter.ignores(path);
      if (type === 'dir') {
        const st = lstatSync(join(root, path));
        const entry: ContextEntry = { path, type, size: 0, mode: st.mode, mtimeMs: st.mtimeMs };
        if (excluded && !filter.hasExceptions) continue;
        if (excluded || fstate === 'parent') {
          pending.push(entry);
          yield* walkDir(path);
          if (pending[pending.length - 1] === entry) pending.pop();
          continue;
        }
        yield* flushPending();
        yield entry;
        yield* walkDir(path);
        continue;
      }
      if (excluded || fstate === 'parent') continue;
      const st = lstatSync(join(root, path));
      const entry: ContextEntry = { path, type, size: st.size, mode: st.mode, mtimeMs: st.mtimeMs };
      if (type === 'symlink') entry.linkTarget = readlinkSync(join(root, path));
      yield* flushPending();
      yield entry;
    }
  }
  function* flushPending(): Generator<ContextEntry, void, undefined> {
    while (pending.length > 0) yield pending.shift()!;
  }
  yield* walkDir('');
}
