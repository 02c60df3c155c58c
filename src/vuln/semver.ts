/**
 * Versions as the Go vulnerability database writes them: semantic versions without the "v"
 * (module versions, pseudo-versions and `+incompatible` included; build metadata is ignored in
 * comparisons, as Go's semver does), and the standard library's Go release tags mapped to
 * semver the way the database maps them for the "stdlib" and "toolchain" modules.
 */
import semver from 'semver';
import type { OsvAffected } from './osv.js';

/** "go1.21.3" → "1.21.3", "go1.21" → "1.21.0", "go1.21rc2" → "1.21.0-rc.2"; null for devel builds. */
export function goTagToSemver(tag: string): string | null {
  // Experiments are written after a space ("go1.21.3 X:boringcrypto").
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(tag.trim().split(/\s/)[0] ?? '');
  if (!m) return null;
  const [, major, minor, patch, pre, preNum] = m;
  // Before Go 1.21 the first release of a line was "go1.N", and its prereleases "go1.NrcK".
  return `${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNum}` : ''}`;
}

/** The module version as a comparable semver, or null when it is not one ("(devel)", ""). */
export function moduleSemver(version: string): string | null {
  return semver.valid(version.startsWith('v') ? version.slice(1) : version);
}

function compare(a: string, b: string): number {
  return semver.compare(a, b);
}

/**
 * Whether `version` falls in one of the affected ranges (OSV SEMVER events: a version is
 * affected from an "introduced" event up to, not including, the next "fixed"). No ranges means
 * every version.
 */
export function isAffected(affected: OsvAffected, version: string): boolean {
  const ranges = (affected.ranges ?? []).filter((r) => r.type === 'SEMVER');
  if (ranges.length === 0) return true;
  return ranges.some((range) => {
    const events = range.events
      .map((e) => {
        const at = e.introduced ?? e.fixed ?? '';
        return { introduced: e.introduced !== undefined, at: at === '0' ? null : semver.valid(at) };
      })
      .filter((e) => e.at !== null || e.introduced)
      .sort((x, y) => (x.at === null ? -1 : y.at === null ? 1 : compare(x.at, y.at)));
    let inRange = false;
    for (const e of events) {
      if (e.at !== null && compare(version, e.at) < 0) break;
      inRange = e.introduced;
    }
    return inRange;
  });
}

/** The lowest "fixed" version above `version` in the ranges, or null when none fixes it. */
export function fixedVersion(affected: OsvAffected, version: string): string | null {
  let best: string | null = null;
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER') continue;
    for (const e of range.events) {
      const fixed = e.fixed !== undefined ? semver.valid(e.fixed) : null;
      if (fixed && compare(fixed, version) > 0 && (best === null || compare(fixed, best) < 0)) best = fixed;
    }
  }
  return best;
}

/** "1.21.11" → "go1.21.11"; "1.21.0-rc.2" → "go1.21rc2": the Go release a stdlib fix ships in. */
export function semverToGoTag(version: string): string {
  const v = semver.parse(version);
  if (!v) return `go${version}`;
  const pre = v.prerelease.length === 2 ? `${v.prerelease[0]}${v.prerelease[1]}` : '';
  if (pre) return `go${v.major}.${v.minor}${pre}`;
  // Releases before Go 1.21 called their first release "go1.N", not "go1.N.0".
  if (v.patch === 0 && v.major === 1 && v.minor < 21) return `go${v.major}.${v.minor}`;
  return `go${v.major}.${v.minor}.${v.patch}`;
}
