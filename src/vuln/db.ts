/**
 * The Go vulnerability database in its documented layout (index/db.json, index/modules.json,
 * ID/GO-YYYY-NNNN.json), read from a directory (a path or file://) or over HTTP(S). A remote
 * database is cached under the goimg cache directory: the indexes are fetched again once they
 * are older than the TTL and only when db.json's modified time changed, an advisory only when its
 * modified time in the index differs from the cached copy's. Offline, only the cache is read; a
 * failed fetch falls back to the cache with a warning.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, InputError } from '../core/errors.js';
import { usableCacheDir } from '../env/cache-dir.js';
import { readBody, request } from '../registry/http.js';
import {
  checkId,
  type DbIndex,
  type ModuleIndexEntry,
  type OsvEntry,
  parseDbIndex,
  parseEntry,
  parseModulesIndex,
} from './osv.js';

export const PUBLIC_VULN_DB = 'https://vuln.go.dev';
export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
/** The public index is a few MB; an advisory a few KB. Anything far larger is not the database. */
const MAX_FILE = 64 * 1024 * 1024;

export interface VulnDb {
  /** Where it was read from, for reports. */
  source: string;
  /** index/db.json's modified time. */
  modified: string;
  modules: ReadonlyMap<string, ModuleIndexEntry>;
  entries(ids: readonly string[]): Promise<OsvEntry[]>;
}

export interface OpenOptions {
  offline?: boolean;
  /** goimg's cache directory; undefined: remote databases are not cached. */
  cacheDir?: string;
  ttlMs?: number;
  warn?: (text: string) => void;
  now?: () => number;
}

/** `spec`: a directory, file://DIR or an http(s) URL. */
export async function openVulnDb(spec: string, options: OpenOptions = {}): Promise<VulnDb> {
  if (/^https?:\/\//i.test(spec)) return openRemote(spec.replace(/\/+$/, ''), options);
  let dir: string;
  try {
    dir = spec.startsWith('file:') ? fileURLToPath(spec) : spec;
  } catch {
    throw new InputError(`--vuln-db ${spec}: not a file:// URL of a directory`);
  }
  return openDirectory(dir);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${what}: cannot read ${path} (${code ?? (e as Error).message})`);
  }
}

function indexModules(list: ModuleIndexEntry[]): Map<string, ModuleIndexEntry> {
  return new Map(list.map((m) => [m.path, m]));
}

async function openDirectory(dir: string): Promise<VulnDb> {
  if (!existsSync(join(dir, 'index', 'db.json')))
    throw new InputError(
      `${dir} is not a Go vulnerability database: it has no index/db.json`,
      'point --vuln-db at a directory laid out as the Go vulnerability database documents (index/, ID/)',
    );
  const db = parseDbIndex(
    await readText(join(dir, 'index', 'db.json'), 'index/db.json'),
    join(dir, 'index/db.json'),
  );
  const mods = parseModulesIndex(
    await readText(join(dir, 'index', 'modules.json'), 'index/modules.json'),
    join(dir, 'index/modules.json'),
  );
  return {
    source: dir,
    modified: db.modified,
    modules: indexModules(mods),
    entries: (ids) =>
      Promise.all(
        ids.map(async (id) => {
          const path = join(dir, 'ID', `${checkId(id, 'index/modules.json')}.json`);
          return parseEntry(await readText(path, id), path);
        }),
      ),
  };
}

async function fetchText(url: string): Promise<string> {
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { method: 'GET', headers: { accept: 'application/json' } });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new EnvironmentError(
      `cannot reach the vulnerability database at ${url}: ${err.code ?? err.message}`,
      'point --vuln-db at a reachable copy (http(s):// or file://DIR), or run once where it is reachable so a copy is cached',
    );
  }
  const body = await readBody(
    res.body,
    MAX_FILE,
    () => new EnvironmentError(`${url}: the answer is larger than ${MAX_FILE} bytes`),
  );
  if (res.status !== 200)
    throw new EnvironmentError(`the vulnerability database answered ${res.status} for ${url}`);
  return body.toString('utf8');
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function openRemote(base: string, options: OpenOptions): Promise<VulnDb> {
  const warn = options.warn ?? (() => {});
  const now = (options.now ?? Date.now)();
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const cacheRoot = options.cacheDir
    ? usableCacheDir(
        join(options.cacheDir, 'vulndb', createHash('sha256').update(base).digest('hex').slice(0, 16)),
        warn,
      )
    : undefined;
  const cached = (name: string) => (cacheRoot ? join(cacheRoot, name) : undefined);
  const dbPath = cached('db.json');
  const modulesPath = cached('modules.json');
  const cachedDb = dbPath ? await readIfExists(dbPath) : null;
  const cachedModules = modulesPath ? await readIfExists(modulesPath) : null;
  const haveCache = cachedDb !== null && cachedModules !== null;
  const age = haveCache && dbPath ? now - (await stat(dbPath)).mtimeMs : Number.POSITIVE_INFINITY;

  let db: DbIndex;
  let modulesText: string;
  if (options.offline) {
    if (!haveCache)
      throw new EnvironmentError(
        `no cached copy of the vulnerability database ${base} (offline)`,
        'run once without --offline (and GOIMG_OFFLINE unset), or use --vuln-db file://DIR',
      );
    db = parseDbIndex(cachedDb, `${base}/index/db.json (cached)`);
    modulesText = cachedModules;
  } else if (haveCache && age < ttl) {
    db = parseDbIndex(cachedDb, `${base}/index/db.json (cached)`);
    modulesText = cachedModules;
  } else {
    try {
      const dbText = await fetchText(`${base}/index/db.json`);
      db = parseDbIndex(dbText, `${base}/index/db.json`);
      if (haveCache && parseDbIndex(cachedDb, 'cached db.json').modified === db.modified) {
        modulesText = cachedModules;
      } else {
        modulesText = await fetchText(`${base}/index/modules.json`);
        parseModulesIndex(modulesText, `${base}/index/modules.json`);
        if (modulesPath) await writeAtomic(modulesPath, modulesText);
      }
      if (dbPath) await writeAtomic(dbPath, dbText);
    } catch (e) {
      if (!haveCache) throw e;
      warn(`${(e as Error).message}: using the cached copy of ${base}`);
      db = parseDbIndex(cachedDb, `${base}/index/db.json (cached)`);
      modulesText = cachedModules;
    }
  }
  const modules = indexModules(parseModulesIndex(modulesText, `${base}/index/modules.json`));
  const modifiedOf = new Map<string, string>();
  for (const m of modules.values()) for (const v of m.vulns) modifiedOf.set(v.id, v.modified);

  const entry = async (id: string): Promise<OsvEntry> => {
    checkId(id, `${base}/index/modules.json`);
    const path = cached(`${id}.json`);
    const hit = path ? await readIfExists(path) : null;
    if (hit !== null) {
      const e = parseEntry(hit, `${id} (cached)`);
      if (options.offline || e.modified === modifiedOf.get(id)) return e;
    }
    if (options.offline) throw new EnvironmentError(`advisory ${id} is not in the cache (offline)`);
    const text = await fetchText(`${base}/ID/${id}.json`);
    const parsed = parseEntry(text, `${base}/ID/${id}.json`);
    if (path) await writeAtomic(path, text);
    return parsed;
  };
  return {
    source: base,
    modified: db.modified,
    modules,
    entries: (ids) => inBatches(ids, 8, entry),
  };
}

/** Runs `fn` over `items`, at most `width` at a time, keeping their order. */
async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
