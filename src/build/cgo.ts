/**
 * cgo policy. A static CGO_ENABLED=0 binary is the default; a project that cannot be built
 * without cgo is refused with the reason, unless the user asks for cgo against a glibc base, in
 * which case the built binary's loader and libraries must exist in that base.
 */
import { posix } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';
import type { MergedFs } from '../image/merge.js';
import { compilesC, type ProjectModel } from '../project/model.js';
import type { ImageBase } from './base-image.js';

function evidenceText(project: ProjectModel): string {
  const hard = project.cgoEvidence.filter(compilesC);
  return hard
    .slice(0, 5)
    .map((e) =>
      e.kind === 'import-c'
        ? `import "C" in ${e.file}:${e.line}`
        : `${e.via ?? e.package} needs cgo (${e.file}:${e.line})`,
    )
    .join('; ');
}

/** The error for a project that needs cgo when cgo is not switched on, or undefined. */
export function cgoRefusal(project: ProjectModel, mode: 'auto' | 'off'): UsageError | undefined {
  if (!project.cgoRequired) return undefined;
  return new UsageError(
    `this program needs cgo (${evidenceText(project) || 'cgo-only code'}), so it cannot be a static binary on a synthesised base` +
      (mode === 'off' ? ' and --cgo off was given' : ''),
    'run `goimg init` for a multi-stage Dockerfile with a glibc runtime (debian:bookworm-slim or distroless/base), ' +
      'or build here with `--cgo on --base IMAGE-REF` naming a glibc image',
  );
}

/** Resolves a path in the merged filesystem, following symlinks (at most 40, like the kernel). */
export function resolvePath(fs: MergedFs, path: string): string | undefined {
  let parts = path.split('/').filter((p) => p !== '');
  let done: string[] = [];
  for (let hops = 0; parts.length > 0; ) {
    const name = parts.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      done.pop();
      continue;
    }
    const node = fs.get([...done, name].join('/'));
    if (!node) return undefined;
    if (node.type === 'symlink' && node.linkname !== undefined) {
      if (++hops > 40) return undefined;
      const target = node.linkname.split('/').filter((p) => p !== '');
      if (node.linkname.startsWith('/')) done = [];
      parts = [...target, ...parts];
      continue;
    }
    done.push(name);
  }
  return `/${done.join('/')}`;
}

const LIB_DIRS = [
  '/lib',
  '/usr/lib',
  '/lib64',
  '/usr/lib64',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
];

/** A cgo binary on an image base: its ELF interpreter and every NEEDED library must be in the base. */
export async function verifyCgoBase(
  binary: string,
  base: ImageBase,
): Promise<{ interpreter: string | null; needed: string[] }> {
  // Loaded here: a static build (the usual case) never needs the ELF reader.
  const { inspectBinary } = await import('../binary/inspect.js');
  const report = await inspectBinary(binary, { attribution: false });
  const { interpreter, needed } = report.linkage;
  if (report.linkage.kind === 'static') return { interpreter, needed };
  const fs = await base.filesystem();
  const missing: string[] = [];
  if (interpreter && !resolvePath(fs, interpreter)) missing.push(`loader ${interpreter}`);
  for (const lib of needed) {
    if (!LIB_DIRS.some((d) => resolvePath(fs, posix.join(d, lib)))) missing.push(lib);
  }
  if (missing.length > 0) {
    throw new InputError(
      `base ${base.ref} lacks what the cgo binary needs: ${missing.join(', ')}; it would fail with "exec: no such file or directory"`,
      'use a glibc base such as debian:bookworm-slim or gcr.io/distroless/base-debian12',
    );
  }
  return { interpreter, needed };
}
