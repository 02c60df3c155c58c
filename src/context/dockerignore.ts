/**
 * .dockerignore with Docker's semantics. Reading follows moby's ignorefile.ReadAll: a UTF-8 BOM
 * is dropped, lines starting with "#" are comments, whitespace is trimmed, "!" marks an
 * exception, patterns are cleaned like filepath.Clean and a leading "/" is removed. Matching
 * (last matching pattern wins; a pattern that matches a parent directory matches everything
 * under it; `*` stays within one path element, `**` crosses them) is @balena/dockerignore's,
 * which implements moby's fileutils.PatternMatcher. Verified cases are in the unit tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import dockerignore, { type Ignore } from '@balena/dockerignore';
import { InputError } from '../core/errors.js';

export interface DockerignorePattern {
  /** The pattern as Docker uses it (cleaned, without "!" and leading "/"). */
  pattern: string;
  exception: boolean;
  /** 1-based line in the .dockerignore file. */
  line: number;
}

export interface ContextFilter {
  /** The ignore file used, relative to the context ("" when there is none). */
  file: string;
  exists: boolean;
  patterns: DockerignorePattern[];
  /** True when any pattern starts with "!": excluded directories must still be walked. */
  hasExceptions: boolean;
  /** True when `path` (relative, forward slashes, no leading "./") is excluded from the context. */
  ignores(path: string): boolean;
}

/** Docker's filepath.Clean on a slash path. */
function cleanPattern(p: string): string {
  const cleaned = posix.normalize(p);
  let out = cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
  if (out.length > 1 && out.startsWith('/')) out = out.slice(1);
  return out;
}

/** Parses .dockerignore text into patterns, the way moby's ignorefile.ReadAll does. */
export function parseDockerignore(text: string): DockerignorePattern[] {
  const out: DockerignorePattern[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let p = lines[i]!;
    if (p.startsWith('#')) continue;
    p = p.trim();
    if (p === '') continue;
    let exception = false;
    if (p.startsWith('!')) {
      exception = true;
      p = p.slice(1).trim();
    }
    if (p === '') continue;
    out.push({ pattern: cleanPattern(p), exception, line: i + 1 });
  }
  return out;
}

/**
 * @balena/dockerignore ports moby 19.03, which passed `( ) { } + |` straight into a regular
 * expression: `c++` was an error and `foo(1).txt` matched `foo1.txt` (Docker 20.10's BuildKit
 * still does that). Current Docker (moby/patternmatcher's shouldEscape) quotes them so
 * they match literally; goimg follows current Docker. An unclosed `[` (an error in Go) is taken
 * literally rather than failing the whole file.
 */
function quoteRegexChars(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '\\');
      i++;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
      } else {
        out += pattern.slice(i, end + 1);
        i = end;
      }
    } else {
      out += '(){}+|'.includes(c) ? `\\${c}` : c;
    }
  }
  return out;
}

/** A filter from parsed patterns (an empty list ignores nothing). */
export function makeFilter(
  patterns: DockerignorePattern[],
  file = '',
  options: { memo?: boolean } = {},
): ContextFilter {
  // The package is CommonJS with `module.exports.default = module.exports`: call `.default`.
  for (const p of patterns) {
    // The package compiles lazily and throws on match: try each pattern once (Docker rejects
    // a bad pattern, e.g. the range in "[z-a]", when the build starts).
    try {
      dockerignore.default({ ignorecase: false }).add(quoteRegexChars(p.pattern)).ignores('x');
    } catch {
      throw new InputError(
        `${file || '.dockerignore'}:${p.line}: invalid pattern ${JSON.stringify(p.pattern)}`,
      );
    }
  }
  const ig: Ignore = dockerignore
    .default({ ignorecase: false })
    .add(patterns.map((p) => (p.exception ? `!${quoteRegexChars(p.pattern)}` : quoteRegexChars(p.pattern))));
  const memo = options.memo ? new Map<string, boolean>() : undefined;
  return {
    file,
    exists: file !== '',
    patterns,
    hasExceptions: patterns.some((p) => p.exception),
    ignores: (path: string) => {
      if (path === '' || path === '.') return false;
      if (!memo) return ig.ignores(path);
      // The same paths are asked about by the walk, the inventory and the rules: remember them.
      let v = memo.get(path);
      if (v === undefined) {
        v = ig.ignores(path);
        memo.set(path, v);
      }
      return v;
    },
  };
}

export interface LoadOptions {
  /**
   * The Dockerfile, relative to the context or absolute. BuildKit prefers `<Dockerfile>.dockerignore`
   * next to it over the context's .dockerignore.
   */
  dockerfile?: string;
}

/** Loads the ignore file BuildKit would use for `contextDir` (none → a filter that ignores nothing). */
export function loadDockerignore(contextDir: string, options: LoadOptions = {}): ContextFilter {
  const ctx = resolve(contextDir);
  const candidates: string[] = [];
  if (options.dockerfile !== undefined) {
    const df = resolve(ctx, options.dockerfile);
    candidates.push(join(dirname(df), `${basename(df)}.dockerignore`));
  }
  candidates.push(join(ctx, '.dockerignore'));
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    let text: string;
    try {
      text = readFileSync(c, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read ${c}: ${(err as Error).message}`);
    }
    return makeFilter(parseDockerignore(text), relative(ctx, c).split('\\').join('/'));
  }
  return makeFilter([]);
}
