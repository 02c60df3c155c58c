/**
 * `//go:embed` patterns that match nothing in the tree: files another build step produces (a
 * front end's `npm run build` writing dist/) and the repository does not hold. `go build` fails on
 * them ("pattern dist: no matching files found"), so init builds them in a stage of their own when
 * it can tell how, and goimg build refuses with the reason.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { pathMatchRegExp } from '../context/path-match.js';
import type { ProjectModel } from '../project/model.js';

export interface NpmProducer {
  kind: 'npm';
  /** Directory of the package.json, relative to the root ("." or "web"). */
  dir: string;
  /** What `npm run build` writes, relative to `dir` ("dist"). */
  output: string;
  /** A lockfile is there: `npm ci`, else `npm install`. */
  lockfile: boolean;
  /** The Node major the package.json's engines field asks for at least, if any. */
  nodeMajor?: number;
}

export interface MakeProducer {
  kind: 'make';
  target: string;
}

export interface MissingEmbed {
  /** The pattern relative to the root ("web/dist"). */
  pattern: string;
  producer?: NpmProducer | MakeProducer;
  /** Why the build fails, in one sentence. */
  why: string;
}

/** A directory counts when it holds a file go would embed (names starting with . or _ are skipped). */
function hasEmbeddable(abs: string): boolean {
  try {
    const st = statSync(abs);
    if (!st.isDirectory()) return true;
    return readdirSync(abs, { withFileTypes: true }).some(
      (e) => !/^[._]/.test(e.name) && (e.isFile() || (e.isDirectory() && hasEmbeddable(join(abs, e.name)))),
    );
  } catch {
    return false;
  }
}

function matchesSomething(root: string, pattern: string): boolean {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((p) => /[*?[\\]/.test(p));
  if (firstGlob < 0) return hasEmbeddable(join(root, pattern));
  const base = parts.slice(0, firstGlob).join('/');
  const re = pathMatchRegExp(pattern);
  const walk = (rel: string, depth: number): boolean => {
    let names: string[];
    try {
      names = readdirSync(join(root, rel));
    } catch {
      return false;
    }
    return names.some((n) => {
      const p = rel === '' ? n : `${rel}/${n}`;
      if (depth + 1 === parts.length) return re.test(p) && hasEmbeddable(join(root, p));
      return depth + 1 < parts.length && walk(p, depth + 1);
    });
  };
  return walk(base, firstGlob);
}

function npmProducer(root: string, pattern: string): NpmProducer | undefined {
  // The package.json nearest above the pattern's first element that is missing.
  for (let dir = posix.dirname(pattern); ; dir = posix.dirname(dir)) {
    const file = join(root, dir, 'package.json');
    if (existsSync(file)) {
      let pkg: { scripts?: Record<string, unknown>; engines?: { node?: unknown } };
      try {
        pkg = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        return undefined;
      }
      if (typeof pkg.scripts?.build !== 'string') return undefined;
      const output = dir === '.' ? pattern : pattern.slice(dir.length + 1);
      const major = typeof pkg.engines?.node === 'string' ? /(\d+)/.exec(pkg.engines.node)?.[1] : undefined;
      return {
        kind: 'npm',
        dir,
        output:
          output
            .split('/')
            .filter((p) => !/[*?[\\]/.test(p))
            .join('/') || '.',
        lockfile: existsSync(join(root, dir, 'package-lock.json')),
        ...(major ? { nodeMajor: Number(major) } : {}),
      };
    }
    if (dir === '.') return undefined;
  }
}

function makeProducer(root: string, pattern: string): MakeProducer | undefined {
  const make = ['GNUmakefile', 'makefile', 'Makefile'].find((f) => existsSync(join(root, f)));
  if (!make) return undefined;
  const text = readFileSync(join(root, make), 'utf8');
  const candidates = [pattern, pattern.split('/')[0]!, posix.dirname(pattern)].filter((c) => c !== '.');
  for (const c of candidates) {
    const escaped = c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`^(?:[^\\s:#=]+\\s+)*${escaped}/?(?:\\s+[^\\s:#=]+)*\\s*:(?!=)`, 'm').test(text)) {
      return { kind: 'make', target: c };
    }
  }
  return undefined;
}

/** Embed patterns of the build that match no file, and what would produce them. */
export function missingEmbeds(project: ProjectModel): MissingEmbed[] {
  const missing: MissingEmbed[] = [];
  for (const pattern of project.embedPaths ?? []) {
    if (matchesSomething(project.root, pattern)) continue;
    const producer = npmProducer(project.root, pattern) ?? makeProducer(project.root, pattern);
    const fails = `//go:embed ${pattern} matches no file, so go build fails ("pattern ${posix.basename(pattern)}: no matching files found")`;
    const why =
      producer?.kind === 'npm'
        ? `${fails}: it is written by npm run build in ${producer.dir === '.' ? 'the project root' : `${producer.dir}/`} and not in the tree`
        : producer?.kind === 'make'
          ? `${fails}: it is written by make ${producer.target} and not in the tree`
          : `${fails}: nothing in the tree produces it (no package.json build script or Makefile target for it)`;
    missing.push({ pattern, ...(producer ? { producer } : {}), why });
  }
  return missing;
}
