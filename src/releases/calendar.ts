/**
 * How old release data is, and what Go's fixed calendar says about what it misses: since Go 1.16
 * a major release ships every February (even minors) and August (odd minors).
 */
import type { GoRelease, GoReleaseTable } from './types.js';

/** Go ships a major release every six months: data older than that may miss one. */
export const STALE_AFTER_DAYS = 183;

const DAY_MS = 86_400_000;

function dayMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** True when `now` is more than six months after `date`. */
export function isStale(date: string, now: Date): boolean {
  return now.getTime() - dayMs(date) > STALE_AFTER_DAYS * DAY_MS;
}

/** The month Go's calendar puts a major in ("1.26" → 2026-02-01), for majors the data has no date for. */
export function calendarDate(version: string): string {
  const minor = Number.parseInt(version.split('.')[1] ?? '0', 10);
  return `${2013 + Math.floor(minor / 2)}-${minor % 2 === 0 ? '02' : '08'}-01`;
}

/**
 * The table, plus the majors the calendar says were released between its newest and `now`
 * (marked `projected`) when the table is stale; the table itself when it is not.
 */
export function projectGo(table: GoReleaseTable, now: Date): GoReleaseTable {
  const newest = table.releases.find((r) => !r.projected);
  if (!newest || !isStale(table.date, now)) return table;
  const [major, minor] = newest.version.split('.').map((p) => Number.parseInt(p, 10)) as [number, number];
  const projected: GoRelease[] = [];
  for (let m = minor + 1; ; m++) {
    const version = `${major}.${m}`;
    const released = calendarDate(version);
    if (dayMs(released) > now.getTime()) break;
    projected.unshift({ version, released, projected: true });
  }
  return projected.length === 0 ? table : { date: table.date, releases: [...projected, ...table.releases] };
}
