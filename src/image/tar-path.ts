/**
 * Names inside layer tars are hostile input: these helpers turn an entry name into a clean
 * relative path or refuse it, and classify OCI whiteout markers.
 */
import { InputError } from '../core/errors.js';

// An empty, `.` or `..` component: only names holding one need the slow path.
const UNCLEAN = /(^|\/)\.{0,2}(\/|$)/;

/** Normalises `./a//b/` to `a/b`; '' is the root. Refuses absolute names and `..` components. */
export function cleanEntryPath(name: string, what: string): string {
  if (name.includes('\0')) throw new InputError(`${what}: entry name contains a NUL byte`);
  if (name.startsWith('/')) throw new InputError(`${what}: entry "${name}" has an absolute path`);
  // Layers hold tens of thousands of entries, nearly all named cleanly already.
  if (!UNCLEAN.test(name)) return name;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new InputError(`${what}: entry "${name}" climbs out with ".."`);
    parts.push(part);
  }
  return parts.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export const OPAQUE_MARKER = '.wh..wh..opq';
const WHITEOUT_PREFIX = '.wh.';

export type WhiteoutKind =
  | { kind: 'opaque'; dir: string }
  | { kind: 'delete'; target: string }
  | { kind: 'meta' }
  | null;

/** Classifies a cleaned path: opaque-directory marker, whiteout of a sibling, or ordinary. */
export function classifyWhiteout(path: string, what: string): WhiteoutKind {
  const base = basename(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return null;
  const dir = dirname(path);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  const victim = base.slice(WHITEOUT_PREFIX.length);
  if (victim === '' || victim === '.' || victim === '..') {
    throw new InputError(`${what}: whiteout "${path}" names "${victim}", which would erase its own parent`);
  }
  // Other AUFS meta files (.wh..wh.plnk, .wh..wh.aufs) carry no meaning for the merged view.
  if (victim.startsWith('.wh.')) return { kind: 'meta' };
  return { kind: 'delete', target: joinPath(dir, victim) };
}
