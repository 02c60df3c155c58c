/**
 * The Go vulnerability database's records in the OSV format (https://ossf.github.io/osv-schema/)
 * and its two index files, checked as they are read: a record that does not have the shape the
 * database documents is an InputError naming the file, never a crash later on.
 */
import { InputError } from '../core/errors.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
}

export interface OsvImport {
  path: string;
  goos?: string[];
  goarch?: string[];
  /** Vulnerable functions and methods (`Func`, `Type.Method`); none means the whole package. */
  symbols?: string[];
}

export interface OsvAffected {
  package: { name: string; ecosystem: string };
  ranges?: { type: string; events: OsvEvent[] }[];
  ecosystem_specific?: { imports?: OsvImport[] };
}

export interface OsvEntry {
  id: string;
  modified: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  affected: OsvAffected[];
}

/** index/db.json: when the database last changed. */
export interface DbIndex {
  modified: string;
}

/** index/modules.json: one line per module, with the IDs of its advisories. */
export interface ModuleIndexEntry {
  path: string;
  vulns: { id: string; modified: string; fixed?: string }[];
}

function fail(what: string, why: string): never {
  throw new InputError(`${what}: not a Go vulnerability database file (${why})`);
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(what, `invalid JSON: ${(e as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export function parseDbIndex(text: string, what: string): DbIndex {
  const v = parse(text, what);
  if (!isObject(v) || typeof v.modified !== 'string') fail(what, 'no "modified" time');
  return { modified: v.modified };
}

export function parseModulesIndex(text: string, what: string): ModuleIndexEntry[] {
  const v = parse(text, what);
  if (!Array.isArray(v)) fail(what, 'expected an array of modules');
  return v.map((m, i) => {
    if (!isObject(m) || typeof m.path !== 'string' || !Array.isArray(m.vulns))
      fail(what, `entry ${i} has no "path" and "vulns"`);
    const vulns = m.vulns.map((x) => {
      if (!isObject(x) || typeof x.id !== 'string') fail(what, `a vuln of ${m.path} has no "id"`);
      return {
        id: x.id,
        modified: typeof x.modified === 'string' ? x.modified : '',
        ...(typeof x.fixed === 'string' ? { fixed: x.fixed } : {}),
      };
    });
    return { path: m.path, vulns };
  });
}

/** Advisory IDs become file names: nothing but the documented GO-YYYY-NNNN shape is accepted. */
export function checkId(id: string, what: string): string {
  if (!/^GO-\d{4}-\d{4,}$/.test(id)) fail(what, `"${id}" is not a GO-YYYY-NNNN advisory ID`);
  return id;
}

export function parseEntry(text: string, what: string): OsvEntry {
  const v = parse(text, what);
  if (!isObject(v) || typeof v.id !== 'string' || !Array.isArray(v.affected))
    fail(what, 'an OSV record needs "id" and "affected"');
  const affected = v.affected.map((a, i): OsvAffected => {
    const pkg = isObject(a) ? a.package : undefined;
    if (!isObject(a) || !isObject(pkg) || typeof pkg.name !== 'string')
      fail(what, `affected[${i}] has no package name`);
    const ranges = Array.isArray(a.ranges) ? a.ranges : [];
    for (const r of ranges) {
      if (!isObject(r) || typeof r.type !== 'string' || !Array.isArray(r.events))
        fail(what, `affected[${i}] has a range without type and events`);
    }
    const imports = isObject(a.ecosystem_specific) ? a.ecosystem_specific.imports : undefined;
    if (imports !== undefined) {
      if (!Array.isArray(imports)) fail(what, `affected[${i}] imports is not an array`);
      for (const imp of imports) {
        if (!isObject(imp) || typeof imp.path !== 'string')
          fail(what, `affected[${i}] has an import without path`);
        for (const key of ['symbols', 'goos', 'goarch'] as const) {
          if (imp[key] !== undefined && !isStrings(imp[key]))
            fail(what, `${imp.path}: "${key}" is not a list of names`);
        }
      }
    }
    return a as unknown as OsvAffected;
  });
  return {
    id: v.id,
    modified: typeof v.modified === 'string' ? v.modified : '',
    ...(typeof v.summary === 'string' ? { summary: v.summary } : {}),
    ...(typeof v.details === 'string' ? { details: v.details } : {}),
    aliases: isStrings(v.aliases) ? v.aliases : [],
    affected,
  };
}
