/**
 * Go's modinfo text (path / mod / dep / => / build lines) parsed into the report's build info,
 * and the reverse: the exact text `go version -m` prints. Parsing follows the rules of Go's
 * runtime/debug.ParseBuildInfo (columns, quoting), so both agree line for line.
 */
import { GoQuoteError, goQuote, goUnquote } from './goquote.js';

export interface ModuleInfo {
  path: string;
  version: string;
  sum: string;
}

export interface DepInfo extends ModuleInfo {
  replace: ModuleInfo | null;
}

export interface BuildInfo {
  path: string;
  main: ModuleInfo | null;
  deps: DepInfo[];
  settings: Record<string, string>;
}

export class ModinfoError extends Error {}

function moduleLine(cols: string[], line: number): ModuleInfo {
  if (cols.length !== 2 && cols.length !== 3) {
    throw new ModinfoError(`line ${line}: expected 2 or 3 columns; got ${cols.length}`);
  }
  return { path: cols[0] as string, version: cols[1] as string, sum: cols[2] ?? '' };
}

const quoteKey = (k: string): boolean => k.length === 0 || /[= \t\r\n"`]/.test(k);
const quoteValue = (v: string): boolean => /[ \t\r\n"`]/.test(v);

/** Throws ModinfoError (with Go's line number) where `go version -m` would refuse the text. */
export function parseModinfo(text: string): BuildInfo {
  // No prototype: a hostile binary's "__proto__" setting stays a plain key.
  const settings: Record<string, string> = Object.create(null);
  const info: BuildInfo = { path: '', main: null, deps: [], settings };
  let last: ModuleInfo | DepInfo | null = null;
  let lineNum = 1;
  // Walk by index: Go ignores text after the last newline, and so do we.
  for (let pos = 0; ; ) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    const line = text.slice(pos, nl);
    pos = nl + 1;
    if (line.startsWith('path\t')) {
      info.path = line.slice(5);
    } else if (line.startsWith('mod\t')) {
      info.main = moduleLine(line.slice(4).split('\t'), lineNum);
      last = info.main;
    } else if (line.startsWith('dep\t')) {
      const dep: DepInfo = { ...moduleLine(line.slice(4).split('\t'), lineNum), replace: null };
      info.deps.push(dep);
      last = dep;
    } else if (line.startsWith('=>\t')) {
      const cols = line.slice(3).split('\t');
      if (cols.length !== 3)
        throw new ModinfoError(`line ${lineNum}: expected 3 columns for replacement; got ${cols.length}`);
      if (last === null)
        throw new ModinfoError(`line ${lineNum}: replacement with no module on previous line`);
      // Go accepts a replacement of the main module too; no toolchain writes one, so it is dropped.
      if (last !== info.main)
        (last as DepInfo).replace = {
          path: cols[0] as string,
          version: cols[1] as string,
          sum: cols[2] as string,
        };
      last = null;
    } else if (line.startsWith('build\t')) {
      const [key, value] = parseSetting(line.slice(6), lineNum);
      info.settings[key] = value;
    }
    lineNum++;
  }
  if (info.main && info.main.path === '' && info.main.version === '' && info.main.sum === '')
    info.main = null;
  return info;
}

function parseSetting(kv: string, line: number): [string, string] {
  const fail = (msg: string): never => {
    throw new ModinfoError(`line ${line}: ${msg}`);
  };
  if (kv.length < 1) fail("build line missing '='");
  let key: string;
  let raw: string;
  const c = kv[0];
  if (c === '=') fail('build line with missing key');
  if (c === '`' || c === '"') {
    let quoted: { value: string; length: number };
    try {
      quoted = goUnquote(kv);
    } catch (e) {
      if (e instanceof GoQuoteError) return fail('invalid quoted key in build line');
      throw e;
    }
    if (kv.length === quoted.length) fail("build line missing '=' after quoted key");
    if (kv[quoted.length] !== '=') fail(`unexpected character after quoted key: '${kv[quoted.length]}'`);
    key = quoted.value;
    raw = kv.slice(quoted.length + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq < 0) fail("build line missing '=' after key");
    key = kv.slice(0, eq);
    raw = kv.slice(eq + 1);
    if (quoteKey(key)) fail(`unquoted key ${goQuote(key)} must be quoted`);
  }
  let value = '';
  if (raw.length > 0) {
    if (raw[0] === '`' || raw[0] === '"') {
      try {
        const q = goUnquote(raw);
        if (q.length !== raw.length) throw new GoQuoteError('trailing text');
        value = q.value;
      } catch (e) {
        if (e instanceof GoQuoteError) return fail('invalid quoted value in build line');
        throw e;
      }
    } else {
      value = raw;
      if (quoteValue(value)) fail(`unquoted value ${goQuote(value)} must be quoted`);
    }
  }
  return [key, value];
}

/** The modinfo text Go's BuildInfo.String() produces (without the go line). */
export function formatModinfo(info: BuildInfo): string {
  let out = '';
  if (info.path !== '') out += `path\t${info.path}\n`;
  const mod = (word: string, m: ModuleInfo & { replace?: ModuleInfo | null }): void => {
    out += `${word}\t${m.path}\t${m.version}`;
    if (m.replace) {
      out += '\n';
      mod('=>', m.replace);
    } else {
      out += `\t${m.sum}`;
    }
    out += '\n';
  };
  if (info.main) mod('mod', info.main);
  for (const d of info.deps) mod('dep', d);
  for (const [k, v] of Object.entries(info.settings)) {
    out += `build\t${quoteKey(k) ? goQuote(k) : k}=${quoteValue(v) ? goQuote(v) : v}\n`;
  }
  return out;
}

/** Exactly what `go version -m FILE` prints for a Go binary. */
export function formatGoVersionM(file: string, goVersion: string, info: BuildInfo | null): string {
  let out = `${file}: ${goVersion}\n`;
  const mod = info ? formatModinfo(info) : '';
  if (mod.length > 0) out += `\t${mod.slice(0, -1).replaceAll('\n', '\n\t')}\n`;
  return out;
}
