/**
 * endoflife.date's v1 API (`https://endoflife.date/api/v1/products/<product>/`):
 * `{ "result": { "releases": [{ "name": "3.24", "codename", "isLts", "eolFrom", "latest": { "name" } }] } }`.
 * Distroless images follow Debian's releases, so its product covers them.
 */
import type { Distro, EolEntry } from './types.js';

export const EOL_API_URL = 'https://endoflife.date/api/v1/products/';

/** endoflife.date's product id of each distro. */
export const EOL_PRODUCTS: Record<Distro, string> = {
  alpine: 'alpine-linux',
  debian: 'debian',
  ubuntu: 'ubuntu',
};

function newerFirst(a: EolEntry, b: EolEntry): number {
  const pa = a.version.split('.').map(Number);
  const pb = b.version.split('.').map(Number);
  return (pb[0] ?? 0) - (pa[0] ?? 0) || (pb[1] ?? 0) - (pa[1] ?? 0);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A product's releases, newest first. Ubuntu keeps its LTS releases only (the ones images pin to).
 * Anything that is not the API's shape is an Error saying so.
 */
export function parseEolProduct(json: unknown, distro: Distro): EolEntry[] {
  const releases = (json as { result?: { releases?: unknown } })?.result?.releases;
  if (!Array.isArray(releases)) {
    throw new Error(`not an endoflife.date product (expected result.releases) for ${distro}`);
  }
  const entries: EolEntry[] = [];
  for (const r of releases as Record<string, unknown>[]) {
    const name = r?.name;
    const eol = r?.eolFrom;
    if (typeof name !== 'string' || !/^\d+(\.\d+)?$/.test(name)) continue;
    if (eol !== null && eol !== undefined && (typeof eol !== 'string' || !DAY.test(eol))) {
      throw new Error(`endoflife.date gave ${distro} ${name} an end of life that is not a day`);
    }
    if (distro === 'ubuntu' && r.isLts !== true) continue;
    const entry: EolEntry = { version: name };
    if (typeof r.codename === 'string' && r.codename)
      entry.codename = r.codename.split(' ')[0]!.toLowerCase();
    if (typeof eol === 'string') entry.eol = eol;
    const latest = (r.latest as { name?: unknown } | null | undefined)?.name;
    if (typeof latest === 'string') entry.latest = latest;
    entries.push(entry);
  }
  if (entries.length === 0) throw new Error(`endoflife.date lists no release of ${distro}`);
  return entries.sort(newerFirst);
}
