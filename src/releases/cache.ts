/**
 * The release tables fetched earlier, under `<cache dir>/releases/`: `NAME.json` holds a table
 * with when and where it was fetched; `NAME.failed` records a fetch that failed, so a machine
 * without network does not wait for it on every run. Writes are atomic (temporary file, rename);
 * an unreadable or foreign file counts as absent.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CachedTable<T> {
  /** When it was fetched (ms since the epoch). */
  fetchedAt: number;
  url: string;
  table: T;
}

export interface FailedFetch {
  at: number;
  url: string;
  error: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeAtomic(dir: string, name: string, value: unknown): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, join(dir, name));
}

export function readCachedTable<T>(dir: string, name: string): CachedTable<T> | undefined {
  const v = readJson(join(dir, `${name}.json`)) as Partial<CachedTable<T>> | undefined;
  if (
    typeof v?.fetchedAt !== 'number' ||
    typeof v.url !== 'string' ||
    typeof v.table !== 'object' ||
    !v.table
  )
    return undefined;
  if (typeof (v.table as { date?: unknown }).date !== 'string') return undefined;
  return v as CachedTable<T>;
}

export function writeCachedTable<T>(dir: string, name: string, entry: CachedTable<T>): void {
  writeAtomic(dir, `${name}.json`, entry);
  rmSync(join(dir, `${name}.failed`), { force: true });
}

export function readFailure(dir: string, name: string): FailedFetch | undefined {
  const v = readJson(join(dir, `${name}.failed`)) as Partial<FailedFetch> | undefined;
  if (typeof v?.at !== 'number' || typeof v.url !== 'string' || typeof v.error !== 'string') return undefined;
  return v as FailedFetch;
}

export function writeFailure(dir: string, name: string, failure: FailedFetch): void {
  writeAtomic(dir, `${name}.failed`, failure);
}
