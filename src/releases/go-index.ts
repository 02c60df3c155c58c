/**
 * Go's download index (`https://go.dev/dl/?mode=json&include=all`): every release with its files,
 * `[{ "version": "go1.27.1", "stable": true, "files": [...] }, ...]`, newest first. It carries no
 * dates: a major's release day comes from the bundled table, else from Go's calendar (never
 * later than the day it was fetched).
 */
import { calendarDate } from './calendar.js';
import type { GoRelease, GoReleaseTable } from './types.js';

export const GO_INDEX_URL = 'https://go.dev/dl/?mode=json&include=all';

/** "1.27.1" → [1, 27, 1]; "1.20" (a .0 named without its patch, before Go 1.21) → [1, 20, 0]. */
function parts(v: string): number[] {
  const p = v.split('.').map((x) => Number.parseInt(x, 10));
  while (p.length < 3) p.push(0);
  return p;
}

function newerFirst(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  return pb[0]! - pa[0]! || pb[1]! - pa[1]! || pb[2]! - pa[2]!;
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

/**
 * The stable releases of the index grouped by major, newest first. `known` supplies release days;
 * `today` is the table's date. Anything that is not the index's shape is an Error saying so.
 */
export function parseGoIndex(json: unknown, known: GoReleaseTable, today: string): GoReleaseTable {
  if (!Array.isArray(json)) throw new Error('not a Go download index (expected a JSON array)');
  const byMajor = new Map<string, string[]>();
  for (const entry of json) {
    const version = (entry as { version?: unknown })?.version;
    const stable = (entry as { stable?: unknown })?.stable;
    if (typeof version !== 'string' || typeof stable !== 'boolean') {
      throw new Error('not a Go download index (an entry lacks "version" or "stable")');
    }
    const m = /^go(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version);
    if (!stable || !m) continue;
    const major = `${m[1]}.${m[2]}`;
    const list = byMajor.get(major) ?? [];
    list.push(version.slice(2));
    byMajor.set(major, list);
  }
  if (byMajor.size === 0) throw new Error('the Go download index lists no stable release');
  const days = new Map(known.releases.filter((r) => !r.projected).map((r) => [r.version, r.released]));
  const releases: GoRelease[] = [...byMajor.keys()].sort(newerFirst).map((version) => ({
    version,
    // A stable release in the index is out, whatever the calendar says (at the latest today).
    released: days.get(version) ?? minDay(calendarDate(version), today),
    patches: [...new Set(byMajor.get(version))].sort(newerFirst),
  }));
  return { date: today, releases };
}
