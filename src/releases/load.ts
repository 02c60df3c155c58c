/**
 * The release tables in effect: fetched when the cached copy is older than its time to live
 * (a day by default), else the cached copy; the bundled snapshot when neither can be had. Never
 * fetched with `offline` or GOIMG_OFFLINE=1. A failed fetch is remembered for an hour, during
 * which the best copy at hand is used without trying again. The HTTP client is loaded only
 * for a fetch: a cached or offline run does not pay for it.
 */
import { join } from 'node:path';
import { defaultCacheDir } from '../env/cache-dir.js';
import { bundledBaseImageEol, bundledGoReleases } from './bundled.js';
import { type CachedTable, readCachedTable, readFailure, writeCachedTable, writeFailure } from './cache.js';
import { isStale } from './calendar.js';
import { EOL_API_URL, EOL_PRODUCTS, parseEolProduct } from './eol-api.js';
import { GO_INDEX_URL, parseGoIndex } from './go-index.js';
import type { Distro, EolTable, GoReleaseTable, ReleaseData, TableName, TableStatus } from './types.js';

export interface ReleaseLoadOptions {
  /** Never fetch (also GOIMG_OFFLINE=1). */
  offline?: boolean;
  /** Where fetched tables are kept; default `<goimg cache dir>/releases`, none when the cache is off. */
  cacheDir?: string;
  /** How long a fetched table is used before it is fetched again; default a day. */
  ttlMs?: number;
  /** The longest a fetch may take; default 10 s. */
  timeoutMs?: number;
  /** Where GOIMG_OFFLINE, GOIMG_CACHE_DIR, GOIMG_GO_INDEX_URL and GOIMG_EOL_API_URL are read. */
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

export const DEFAULT_TTL_MS = 24 * 3600_000;
/** How long a failed fetch is not tried again. */
export const RETRY_AFTER_MS = 3600_000;
const DEFAULT_TIMEOUT_MS = 10_000;

export interface Loaded<T> {
  table: T;
  status: TableStatus;
}

interface Source<T extends { date: string }> {
  name: TableName;
  url: string;
  bundled: T;
  fetch(timeoutMs: number, today: string): Promise<T>;
}

function isOffline(options: ReleaseLoadOptions, env: NodeJS.ProcessEnv): boolean {
  return options.offline === true || env.GOIMG_OFFLINE === '1' || env.GOIMG_OFFLINE === 'true';
}

function cacheDirOf(options: ReleaseLoadOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.cacheDir !== undefined) return options.cacheDir;
  const root = defaultCacheDir(env);
  return root === undefined ? undefined : join(root, 'releases');
}

/** Best effort: the cache only saves time, a read-only one must not stop the audit. */
function quietly(write: () => void): void {
  try {
    write();
  } catch {
    // Not cached: the next run fetches again.
  }
}

async function loadTable<T extends { date: string }>(
  source: Source<T>,
  options: ReleaseLoadOptions,
): Promise<Loaded<T>> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  const dir = cacheDirOf(options, env);
  const { name, url, bundled } = source;
  const cached = dir ? readCachedTable<T>(dir, name) : undefined;
  const status = (table: T, from: TableStatus['source'], error?: string): Loaded<T> => {
    const s: TableStatus = { name, date: table.date, source: from, url, stale: isStale(table.date, now) };
    if (error) s.error = error;
    return { table, status: s };
  };
  // The newer of the cached and the bundled copy (a goimg upgrade can bring a newer snapshot).
  const best = (error?: string): Loaded<T> =>
    cached && cached.table.date >= bundled.date
      ? status(cached.table, 'cache', error)
      : status(bundled, 'bundled', error);
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  if (cached && cached.url === url && now.getTime() - cached.fetchedAt < ttl) return best();
  if (isOffline(options, env)) return best();
  const failed = dir ? readFailure(dir, name) : undefined;
  if (failed && failed.url === url && now.getTime() - failed.at < RETRY_AFTER_MS) return best(failed.error);
  try {
    const table = await source.fetch(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, now.toISOString().slice(0, 10));
    if (dir)
      quietly(() =>
        writeCachedTable<T>(dir, name, { fetchedAt: now.getTime(), url, table } as CachedTable<T>),
      );
    return status(table, 'network');
  } catch (err) {
    const error = (err as Error).message;
    if (dir) quietly(() => writeFailure(dir, name, { at: now.getTime(), url, error }));
    return best(error);
  }
}

/** Go's releases with every patch release, from Go's download index. */
export function loadGoReleases(options: ReleaseLoadOptions = {}): Promise<Loaded<GoReleaseTable>> {
  const env = options.env ?? process.env;
  const bundled = bundledGoReleases();
  return loadTable(
    {
      name: 'go-releases',
      url: env.GOIMG_GO_INDEX_URL || GO_INDEX_URL,
      bundled,
      async fetch(timeoutMs, today) {
        const { fetchJson } = await import('./fetch-json.js');
        return parseGoIndex(await fetchJson(this.url, timeoutMs), bundled, today);
      },
    },
    options,
  );
}

/** Alpine, Debian (and so distroless) and Ubuntu release lifecycles, from endoflife.date. */
export function loadBaseImageEol(options: ReleaseLoadOptions = {}): Promise<Loaded<EolTable>> {
  const env = options.env ?? process.env;
  const base = env.GOIMG_EOL_API_URL || EOL_API_URL;
  return loadTable(
    {
      name: 'base-image-eol',
      url: base,
      bundled: bundledBaseImageEol(),
      async fetch(timeoutMs, today) {
        const { fetchJson } = await import('./fetch-json.js');
        const distros = Object.keys(EOL_PRODUCTS) as Distro[];
        const lists = await Promise.all(
          distros.map(async (d) =>
            parseEolProduct(await fetchJson(new URL(`${EOL_PRODUCTS[d]}/`, base).href, timeoutMs), d),
          ),
        );
        return {
          date: today,
          distros: Object.fromEntries(distros.map((d, i) => [d, lists[i]!])) as EolTable['distros'],
        };
      },
    },
    options,
  );
}

/** Both tables, fetched side by side, and where each came from. */
export async function loadReleaseData(
  options: ReleaseLoadOptions = {},
): Promise<{ data: ReleaseData; tables: TableStatus[] }> {
  const [go, eol] = await Promise.all([loadGoReleases(options), loadBaseImageEol(options)]);
  return { data: { go: go.table, eol: eol.table }, tables: [go.status, eol.status] };
}
