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
  /** What the script writes, relative to `dir` ("dist", or "../ui/build" outside it). */
  output: string;
  /** The package.json script that writes it ("build"). */
  script: string;
  /** The Makefile target whose recipe runs the script, when the project builds through make. */
  make?: string;
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

/** The pattern up to its first glob element: the directory the producer writes. */
function literalPart(pattern: string): string {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((p) => /[*?[\\]/.test(p));
  return (firstGlob < 0 ? parts : parts.slice(0, firstGlob)).join('/') || '.';
}

/** The package.json in `dir` when it has `script`: what the asset stage needs to run it. */
function npmPackage(root: string, dir: string, script: string): Omit<NpmProducer, 'output'> | undefined {
  let pkg: { scripts?: Record<string, unknown>; engines?: { node?: unknown } };
  try {
    pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof pkg.scripts?.[script] !== 'string') return undefined;
  const major = typeof pkg.engines?.node === 'string' ? /(\d+)/.exec(pkg.engines.node)?.[1] : undefined;
  return {
    kind: 'npm',
    dir,
    script,
    lockfile: existsSync(join(root, dir, 'package-lock.json')),
    ...(major ? { nodeMajor: Number(major) } : {}),
  };
}

function npmProducer(root: string, pattern: string): NpmProducer | undefined {
  // The package.json nearest above the pattern's first element that is missing.
  for (let dir = posix.dirname(pattern); ; dir = posix.dirname(dir)) {
    if (existsSync(join(root, dir, 'package.json'))) {
      const pkg = npmPackage(root, dir, 'build');
      return pkg && { ...pkg, output: posix.relative(dir, literalPart(pattern)) || '.' };
    }
    if (dir === '.') return undefined;
  }
}

/** A Makefile rule: its prerequisites and recipe lines (continuations joined, prefixes kept). */
interface MakeRule {
  prerequisites: string[];
  recipe: string[];
}

function makeRule(text: string, target: string): MakeRule | undefined {
  const escaped = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const head = new RegExp(
    `^(?:[^\\s:#=]+[ \\t]+)*${escaped}/?(?:[ \\t]+[^\\s:#=]+)*[ \\t]*:(?!=)(.*)$`,
    'm',
  ).exec(text);
  if (!head) return undefined;
  // "target: deps ; recipe" (and "target:: deps" for a double-colon rule).
  const rest = head[1]!.replace(/^:/, '');
  const semi = rest.indexOf(';');
  const deps = semi < 0 ? rest : rest.slice(0, semi);
  const recipe = semi < 0 || rest.slice(semi + 1).trim() === '' ? [] : [rest.slice(semi + 1).trim()];
  const lines = text
    .slice(head.index + head[0].length + 1)
    .replace(/\\\n\t?/g, ' ')
    .split('\n');
  for (const line of lines) {
    if (line.startsWith('\t')) recipe.push(line.slice(1).trim());
    else if (line.trim() !== '' && !line.startsWith('#')) break;
  }
  return { prerequisites: deps.split('#')[0]!.trim().split(/\s+/).filter(Boolean), recipe };
}

/**
 * The npm script a recipe runs when it is only an npm build: lines of `[cd DIR &&] npm ci|install`
 * and one `npm run SCRIPT`, all in one directory (make runs each line in its own shell, from the
 * root). Anything else (a copy, a generator, yarn) is a step the asset stage would not take.
 */
function npmRecipe(recipe: string[]): { dir: string; script: string } | undefined {
  let dir: string | undefined;
  let script: string | undefined;
  for (const line of recipe.filter((l) => l !== '')) {
    const commands = line
      .replace(/^[@+-]+\s*/, '')
      .split(/&&|;/)
      .map((c) => c.trim());
    const cd = /^cd\s+([\w./-]+)$/.exec(commands[0]!);
    const here = cd ? posix.normalize(cd[1]!.replace(/\/$/, '')) : '.';
    if (cd) commands.shift();
    if (commands.length === 0) continue;
    if (here.startsWith('..') || here.startsWith('/') || (dir !== undefined && dir !== here))
      return undefined;
    dir = here;
    for (const c of commands) {
      const run = /^npm\s+run(?:-script)?\s+([\w:.-]+)$/.exec(c);
      if (run && script === undefined) script = run[1];
      else if (!/^npm\s+(?:ci|install|i)$/.test(c)) return undefined;
    }
  }
  return dir !== undefined && script !== undefined ? { dir, script } : undefined;
}

function makeProducer(root: string, pattern: string): NpmProducer | MakeProducer | undefined {
  const make = ['GNUmakefile', 'makefile', 'Makefile'].find((f) => existsSync(join(root, f)));
  if (!make) return undefined;
  const text = readFileSync(join(root, make), 'utf8');
  const candidates = [pattern, pattern.split('/')[0]!, posix.dirname(pattern)].filter((c) => c !== '.');
  for (const target of candidates) {
    const rule = makeRule(text, target);
    if (!rule) continue;
    const npm = npmRecipe(rule.recipe);
    // A prerequisite the stage cannot see built (a code generator's target) would be missing there.
    const inputsOnly = rule.prerequisites.every(
      (p) => existsSync(join(root, p)) || posix.basename(p) === 'node_modules',
    );
    const pkg = npm && inputsOnly ? npmPackage(root, npm.dir, npm.script) : undefined;
    if (!pkg) return { kind: 'make', target };
    return { ...pkg, make: target, output: posix.relative(pkg.dir, literalPart(pattern)) || '.' };
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
        ? `${fails}: it is written by ${producer.make ? `make ${producer.make} (` : ''}npm run ${producer.script} in ${producer.dir === '.' ? 'the project root' : `${producer.dir}/`}${producer.make ? ')' : ''} and not in the tree`
        : producer?.kind === 'make'
          ? `${fails}: it is written by make ${producer.target}, whose recipe is not an npm build goimg can run in a stage, and it is not in the tree`
          : `${fails}: nothing in the tree produces it (no package.json build script or Makefile target for it)`;
    missing.push({ pattern, ...(producer ? { producer } : {}), why });
  }
  return missing;
}
