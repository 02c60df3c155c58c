/**
 * Go build constraints, evaluated for the platforms a container image targets: linux on
 * amd64 or arm64, with cgo on or off. A file is kept when it builds for at least one of them,
 * so a file that only builds with cgo (`//go:build cgo`) still counts as part of the project.
 */

const GOOS = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos'.split(
    ' ',
  ),
);
const GOARCH = new Set(
  '386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm'.split(
    ' ',
  ),
);

interface Target {
  arch: string;
  cgo: boolean;
  /** Tags set with -tags (besides the platform's own). */
  tags?: ReadonlySet<string>;
}

const TARGETS: readonly Target[] = [
  { arch: 'amd64', cgo: false },
  { arch: 'amd64', cgo: true },
  { arch: 'arm64', cgo: false },
  { arch: 'arm64', cgo: true },
];

function tagTrue(tag: string, t: Target): boolean {
  if (tag === 'linux' || tag === 'unix' || tag === 'gc') return true;
  if (tag === 'cgo') return t.cgo;
  if (/^go1\.\d+$/.test(tag)) return true;
  if (t.tags?.has(tag)) return true;
  return tag === t.arch;
}

/** Evaluates a `//go:build` expression (||, &&, !, parentheses). Malformed → true (keep the file). */
export function evalGoBuild(expr: string, t: Target): boolean {
  const toks = expr.match(/\|\||&&|!|\(|\)|[\w.]+/g) ?? [];
  let i = 0;
  let bad = false;
  const or = (): boolean => {
    let v = and();
    while (toks[i] === '||') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (toks[i] === '&&') {
      i++;
      const r = not();
      v = v && r;
    }
    return v;
  };
  const not = (): boolean => {
    if (toks[i] === '!') {
      i++;
      return !not();
    }
    if (toks[i] === '(') {
      i++;
      const v = or();
      if (toks[i] !== ')') bad = true;
      i++;
      return v;
    }
    const tag = toks[i++];
    if (tag === undefined || tag === ')' || tag === '||' || tag === '&&') {
      bad = true;
      return true;
    }
    return tagTrue(tag, t);
  };
  const v = or();
  if (bad || i !== toks.length) return true;
  return v;
}

/** Old `// +build` lines: each line is an OR of space-separated terms, terms are AND of commas. */
export function evalPlusBuild(lines: readonly string[], t: Target): boolean {
  return lines.every((line) =>
    line
      .split(/\s+/)
      .filter(Boolean)
      .some((term) =>
        term.split(',').every((tag) => (tag.startsWith('!') ? !tagTrue(tag.slice(1), t) : tagTrue(tag, t))),
      ),
  );
}

/** The `_GOOS`, `_GOARCH` and `_GOOS_GOARCH` file name suffixes. */
function nameMatches(fileName: string, t: Target): boolean {
  let stem = fileName.replace(/\.go$/, '');
  if (stem.endsWith('_test')) stem = stem.slice(0, -'_test'.length);
  const parts = stem.split('_');
  if (parts.length < 2) return true;
  const last = parts[parts.length - 1]!;
  const prev = parts.length >= 3 ? parts[parts.length - 2]! : undefined;
  if (prev !== undefined && GOOS.has(prev) && GOARCH.has(last)) return prev === 'linux' && last === t.arch;
  if (GOOS.has(last)) return last === 'linux';
  if (GOARCH.has(last)) return last === t.arch;
  return true;
}

/** True when the file builds for linux/amd64 or linux/arm64, with or without cgo. */
export function buildsForLinux(
  fileName: string,
  goBuild: string | undefined,
  plusBuild: readonly string[],
): boolean {
  return TARGETS.some((t) => {
    if (!nameMatches(fileName, t)) return false;
    if (goBuild !== undefined) return evalGoBuild(goBuild, t);
    if (plusBuild.length > 0) return evalPlusBuild(plusBuild, t);
    return true;
  });
}

/** What a build sets: -tags, GOARCH and CGO_ENABLED (undefined: amd64 or arm64, cgo on or off). */
export interface BuildSettings {
  tags?: readonly string[];
  arch?: string;
  cgo?: boolean;
}

/** True when the file builds for linux with these settings (any of the unset ones). */
export function buildsFor(
  fileName: string,
  goBuild: string | undefined,
  plusBuild: readonly string[],
  settings: BuildSettings,
): boolean {
  const tags = new Set(settings.tags ?? []);
  const targets: Target[] = [];
  for (const arch of settings.arch !== undefined ? [settings.arch] : ['amd64', 'arm64'])
    for (const cgo of settings.cgo !== undefined ? [settings.cgo] : [false, true])
      targets.push({ arch, cgo, tags });
  return targets.some((t) => {
    if (!nameMatches(fileName, t)) return false;
    if (goBuild !== undefined) return evalGoBuild(goBuild, t);
    if (plusBuild.length > 0) return evalPlusBuild(plusBuild, t);
    return true;
  });
}

const KNOWN_TAGS = new Set(['linux', 'unix', 'gc', 'gccgo', 'cgo', 'ignore']);

/** True when a constraint names a tag that only -tags can set (`sqlite`, `netgo`), so some build may include the file. */
export function mentionsCustomTag(goBuild: string | undefined, plusBuild: readonly string[]): boolean {
  const text = goBuild ?? plusBuild.join(' ');
  for (const tag of text.match(/[\w.]+/g) ?? []) {
    if (KNOWN_TAGS.has(tag) || GOOS.has(tag) || GOARCH.has(tag) || /^go1\.\d+$/.test(tag)) continue;
    return true;
  }
  return false;
}
