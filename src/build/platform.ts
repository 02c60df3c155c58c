/** Platforms as Go and OCI name them. */
import type { Platform } from '../cli/options.js';

export type { Platform };

export function ociPlatform(p: Platform): { architecture: string; os: string; variant?: string } {
  return p.variant
    ? { architecture: p.arch, os: p.os, variant: p.variant }
    : { architecture: p.arch, os: p.os };
}

/** The machine's own platform: the default when --platform is not given. */
export function hostPlatform(): Platform {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return { os: 'linux', arch };
}

export function formatPlatformName(p: Platform): string {
  return p.variant ? `${p.os}/${p.arch}/${p.variant}` : `${p.os}/${p.arch}`;
}
