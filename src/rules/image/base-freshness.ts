/**
 * How fresh an image's base is: the OS release named by `/etc/os-release` (Debian's point release
 * from `/etc/debian_version`; distroless images are Debian releases) judged against the
 * lifecycle data: end of life, a newer point release, days since the image was created. Pure.
 */
import type { ImageAnalysis } from '../../image/analyze.js';
import { parseOsRelease } from '../../image/os-release.js';
import { resolveInImage } from '../../image/resolve.js';
import type { Distro, EolTable } from '../../releases/types.js';
import { compareVersions } from '../audit/base-images.js';

export interface BaseFreshness {
  /** PRETTY_NAME (or NAME) from os-release. */
  os: string;
  /** A distro goimg has lifecycle data for, or null. */
  distro: Distro | null;
  distroless: boolean;
  /** The release the lifecycle data is keyed by: "3.20", "12", "24.04". */
  release: string | null;
  /** The exact release in the image: "3.20.3", "12.13", "24.04.1". */
  pointRelease: string | null;
  eol: string | null;
  endOfLife: boolean;
  /** The newest point release of the same release, when the data knows it. */
  newestPointRelease: string | null;
  newerPointRelease: boolean;
  /** The image's creation time from its config, and its age in whole days on `now`. */
  created: string | null;
  ageDays: number | null;
  /** The date of the lifecycle data used. */
  dataDate: string;
}

function text(analysis: ImageAnalysis, path: string): string | undefined {
  const r = resolveInImage(analysis.fs, path);
  if (!r.ok || r.node.type !== 'file') return undefined;
  return analysis.textAt(r.path, r.node.layer)?.toString('utf8');
}

function releaseOf(distro: Distro, versionId: string): string {
  // Alpine's VERSION_ID is the point release (3.20.3); the lifecycle data is per branch.
  if (distro === 'alpine') return versionId.split('.').slice(0, 2).join('.');
  return versionId;
}

function pointOf(
  distro: Distro,
  os: Record<string, string>,
  debianVersion: string | undefined,
): string | null {
  if (distro === 'alpine') return os.VERSION_ID ?? null;
  if (distro === 'debian') {
    const v = debianVersion?.trim();
    return v && /^\d+(\.\d+)*$/.test(v) ? v : (os.VERSION_ID ?? null);
  }
  return /^\d+\.\d+(\.\d+)?/.exec(os.VERSION ?? '')?.[0] ?? os.VERSION_ID ?? null;
}

/** The freshness of the image's OS, or null when it has no os-release (scratch, static Go). */
export function baseFreshness(analysis: ImageAnalysis, eol: EolTable, now: Date): BaseFreshness | null {
  const raw = text(analysis, 'etc/os-release') ?? text(analysis, 'usr/lib/os-release');
  if (raw === undefined) return null;
  const os = parseOsRelease(raw);
  const id = os.ID;
  const distro: Distro | null = id === 'alpine' || id === 'debian' || id === 'ubuntu' ? id : null;
  const created = analysis.image.config.created ?? null;
  const createdMs = created ? Date.parse(created) : Number.NaN;
  const out: BaseFreshness = {
    os: os.PRETTY_NAME ?? os.NAME ?? id ?? 'unknown',
    distro,
    distroless: (os.HOME_URL ?? '').includes('distroless') || os.PRETTY_NAME === 'Distroless',
    release: null,
    pointRelease: null,
    eol: null,
    endOfLife: false,
    newestPointRelease: null,
    newerPointRelease: false,
    created,
    ageDays: Number.isNaN(createdMs) ? null : Math.floor((now.getTime() - createdMs) / 86_400_000),
    dataDate: eol.date,
  };
  if (!distro || !os.VERSION_ID) return out;
  out.release = releaseOf(distro, os.VERSION_ID);
  out.pointRelease = pointOf(
    distro,
    os,
    distro === 'debian' ? text(analysis, 'etc/debian_version') : undefined,
  );
  const entry = eol.distros[distro].find((e) => e.version === out.release);
  if (!entry) return out;
  if (entry.eol) {
    out.eol = entry.eol;
    out.endOfLife = Date.parse(`${entry.eol}T00:00:00Z`) <= now.getTime();
  }
  if (entry.latest) {
    out.newestPointRelease = entry.latest;
    out.newerPointRelease = out.pointRelease !== null && compareVersions(entry.latest, out.pointRelease) > 0;
  }
  return out;
}
