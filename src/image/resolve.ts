/**
 * What the container would execute: the entrypoint and cmd joined as Docker joins them, the
 * program looked up in WORKDIR and PATH, and symlinks followed inside the merged filesystem
 * only (an absolute target starts at the image root; a target climbing above the root is
 * refused, never followed outside).
 */
import { isShell } from '../dockerfile/shell.js';
import type { FsNode, MergedFs } from './merge.js';
import type { ConfigFile } from './types.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Command {
  argv: string[];
  /** Docker's shell form: ["/bin/sh", "-c", "..."]. */
  shellForm: boolean;
  /** The program the shell would start first, for shell form (its first word), else argv[0]. */
  program: string | null;
}

export function commandOf(config: ConfigFile): Command {
  const c = config.config ?? {};
  const argv = [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])];
  const shellForm = argv.length >= 3 && isShell(argv[0]!) && argv[1] === '-c';
  let program: string | null = argv[0] ?? null;
  if (shellForm) {
    const first = /^\s*(?:exec\s+)?([^\s;&|<>()$`'"]+)/.exec(argv[2]!)?.[1];
    program = first && !first.includes('=') ? first : null;
  }
  return { argv, shellForm, program };
}

export function envOf(config: ConfigFile): Map<string, string> {
  const env = new Map<string, string>();
  for (const kv of config.config?.Env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return env;
}

/** Absolute paths (without the leading slash) where the program may be, in lookup order. */
export function programPaths(config: ConfigFile, program: string): string[] {
  const workdir = config.config?.WorkingDir || '/';
  if (program.includes('/')) {
    const abs = program.startsWith('/') ? program : `${workdir.replace(/\/$/, '')}/${program}`;
    return [normalize(abs)].filter((p): p is string => p !== null);
  }
  const path = envOf(config).get('PATH') ?? DEFAULT_PATH;
  return path
    .split(':')
    .filter((d) => d !== '')
    .map((d) => normalize(`${d.startsWith('/') ? d : `${workdir}/${d}`}/${program}`))
    .filter((p): p is string => p !== null);
}

/** Paths worth inspecting in depth while the layers stream past. */
export function entrypointCandidates(config: ConfigFile): Set<string> {
  const cmd = commandOf(config);
  return new Set(cmd.program ? programPaths(config, cmd.program) : []);
}

/** Resolves `.`/`..` lexically against the root; null when `..` climbs above it. */
export function normalize(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

export type Resolution =
  | { ok: true; path: string; node: FsNode }
  | { ok: false; reason: 'missing' | 'escapes' | 'loop'; path: string };

/** Follows symlinks (and hard links) inside the image, at most 40 hops, as the kernel does. */
export function resolveInImage(fs: MergedFs, path: string): Resolution {
  let pending = path.split('/').filter((p) => p !== '' && p !== '.');
  let done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      if (done.length === 0) return { ok: false, reason: 'escapes', path: `/${path}` };
      done.pop();
      continue;
    }
    const here = [...done, part].join('/');
    const node = fs.get(here);
    if (!node) return { ok: false, reason: 'missing', path: `/${here}` };
    if (node.type === 'symlink') {
      if (++hops > 40) return { ok: false, reason: 'loop', path: `/${here}` };
      const target = node.linkname ?? '';
      const parts = target.split('/').filter((p) => p !== '' && p !== '.');
      pending = [...parts, ...pending];
      if (target.startsWith('/')) done = [];
      continue;
    }
    if (node.type === 'hardlink' && pending.length === 0) {
      const target = fs.get(node.linkname!);
      if (!target) return { ok: false, reason: 'missing', path: `/${node.linkname}` };
      return { ok: true, path: node.linkname!, node: target };
    }
    done.push(part);
    if (pending.length > 0 && node.type !== 'dir') return { ok: false, reason: 'missing', path: `/${here}` };
  }
  const final = done.join('/');
  return { ok: true, path: final, node: fs.get(final)! };
}

/** Finds the program: the first PATH candidate that resolves to a regular file. */
export function findProgram(
  fs: MergedFs,
  config: ConfigFile,
  program: string,
): {
  tried: string[];
  found: Extract<Resolution, { ok: true }> | null;
  escaped: Extract<Resolution, { ok: false }> | null;
} {
  const tried = programPaths(config, program);
  let escaped: Extract<Resolution, { ok: false }> | null = null;
  for (const p of tried) {
    const r = resolveInImage(fs, p);
    if (r.ok && r.node.type === 'file') return { tried, found: r, escaped };
    if (!r.ok && r.reason !== 'missing') escaped ??= r;
  }
  return { tried, found: null, escaped };
}
