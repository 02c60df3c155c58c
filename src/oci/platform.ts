/**
 * Platforms as Go names them (`Platform`: os, arch, variant: GOOS/GOARCH/GOARM) and as OCI
 * descriptors and configs carry them (`OciPlatform`: os, architecture, variant).
 */
import { UsageError } from '../core/errors.js';

export interface Platform {
  os: string;
  arch: string;
  variant?: string;
}

export interface OciPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

const PLATFORM_RE = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/;

/** Parses `linux/amd64,linux/arm64/v8` (the --platform value) into platforms. */
export function parsePlatforms(value: string | undefined): Platform[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((raw) => {
    const text = raw.trim();
    const m = PLATFORM_RE.exec(text);
    if (!m) throw new UsageError(`--platform: "${text}" is not OS/ARCH[/VARIANT], e.g. linux/amd64`);
    return m[3] ? { os: m[1]!, arch: m[2]!, variant: m[3] } : { os: m[1]!, arch: m[2]! };
  });
}

/** `linux/arm64/v8`, `linux/amd64`. */
export function formatPlatform(p: Platform | OciPlatform): string {
  const arch = 'arch' in p ? p.arch : p.architecture;
  return p.variant ? `${p.os}/${arch}/${p.variant}` : `${p.os}/${arch}`;
}

export function ociPlatform(p: Platform): OciPlatform {
  return p.variant
    ? { architecture: p.arch, os: p.os, variant: p.variant }
    : { architecture: p.arch, os: p.os };
}

/** The machine's own platform (always linux: goimg builds and reads Linux images). */
export function hostPlatform(): Platform {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return { os: 'linux', arch };
}

/** Whether an OCI platform satisfies a wanted one (a wanted variant must match; none means any). */
export function platformMatches(have: OciPlatform, wanted: Platform): boolean {
  return (
    have.os === wanted.os &&
    have.architecture === wanted.arch &&
    (wanted.variant === undefined || have.variant === wanted.variant)
  );
}
