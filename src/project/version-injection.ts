/**
 * Version injection a project already does with `-X` linker flags (a goreleaser or ko build, a
 * Makefile, the existing Dockerfile): which variables get which value. Values that depend on the
 * release (goreleaser's {{.Version}}, a Makefile's $(VERSION), a Dockerfile's ${VERSION}) become
 * build arguments, so a generated Dockerfile takes them as `--build-arg` and `goimg build`
 * derives them from git.
 */

/** What a build argument stands for: how goimg derives it from git when nobody gives it. */
export type ArgRole =
  | 'version'
  | 'tag'
  | 'commit'
  | 'short-commit'
  | 'date'
  | 'commit-date'
  | 'timestamp'
  | 'commit-timestamp'
  | 'branch'
  | 'other';

export interface BuildArg {
  name: string;
  role: ArgRole;
  /** A literal default the project gives (a Makefile `VERSION ?= 0.1.0`, a Dockerfile ARG default). */
  default?: string;
}

export interface XFlag {
  /** importpath.name, e.g. "main.version". */
  symbol: string;
  /** The value, with `${ARG}` where a build argument goes. */
  value: string;
}

export interface VersionInjection {
  /** Where the flags come from ("Makefile", ".goreleaser.yaml build app", "Dockerfile"). */
  source: string;
  flags: XFlag[];
  args: BuildArg[];
  /** Other -ldflags words of a release config (-extldflags ...), -s and -w left out. */
  otherLdflags: string[];
  /** The platform names the values use (PLATFORM_FIELDS), in order of first use. */
  platformFields: string[];
  notes: string[];
}

/**
 * goreleaser's per-target template fields and the name each value uses. They describe the
 * platform being built, so they are never build arguments: BuildKit's TARGETOS and TARGETARCH, and
 * two values derived from TARGETARCH and TARGETVARIANT (GOARM; os_arch plus the arm or amd64
 * variant). goimg build fills all four in for each platform it builds.
 */
export const PLATFORM_FIELDS: Readonly<Record<string, string>> = {
  Os: 'TARGETOS',
  Arch: 'TARGETARCH',
  Arm: 'GORELEASER_ARM',
  Target: 'GORELEASER_TARGET',
};

/** goreleaser template fields and the build argument each becomes. */
const TEMPLATE_ARGS: Record<string, { name: string; role: ArgRole }> = {
  Version: { name: 'VERSION', role: 'version' },
  RawVersion: { name: 'VERSION', role: 'version' },
  Tag: { name: 'TAG', role: 'tag' },
  Commit: { name: 'COMMIT', role: 'commit' },
  FullCommit: { name: 'COMMIT', role: 'commit' },
  ShortCommit: { name: 'SHORT_COMMIT', role: 'short-commit' },
  Date: { name: 'DATE', role: 'date' },
  CommitDate: { name: 'COMMIT_DATE', role: 'commit-date' },
  Timestamp: { name: 'TIMESTAMP', role: 'timestamp' },
  CommitTimestamp: { name: 'COMMIT_TIMESTAMP', role: 'commit-timestamp' },
  Branch: { name: 'BRANCH', role: 'branch' },
};

/** A variable's role from its name (VERSION, GIT_COMMIT, BUILD_DATE, ...). */
export function roleOfName(name: string): ArgRole {
  const n = name.toUpperCase();
  if (/SHORT.*(COMMIT|SHA)|(COMMIT|SHA).*SHORT/.test(n)) return 'short-commit';
  if (/COMMIT|SHA|REVISION|^REV$|GIT_REV/.test(n)) return 'commit';
  if (/DATE|TIME|BUILT_AT/.test(n)) return 'date';
  if (/BRANCH/.test(n)) return 'branch';
  if (/TAG/.test(n)) return 'tag';
  if (/VERSION/.test(n)) return 'version';
  return 'other';
}

/** A make `$(shell ...)` command's role, from what it asks git or date. */
function roleOfCommand(cmd: string): ArgRole | undefined {
  // The Makefile's own describe keeps the tag as it is (v1.2.3), as `make` would inject it.
  if (/git\s+describe/.test(cmd)) return 'tag';
  if (/git\s+rev-parse\s+--short/.test(cmd)) return 'short-commit';
  if (/git\s+rev-parse/.test(cmd)) return 'commit';
  if (/git\s+log.*%c[IDd]/.test(cmd)) return 'commit-date';
  if (/\bdate\b/.test(cmd)) return 'date';
  return undefined;
}

/** -X words from -ldflags words: "-X a=b", "-X=a=b", "-Xa=b" are all Go's spellings. */
export function xPairs(words: string[]): { pairs: string[]; other: string[] } {
  const pairs: string[] = [];
  const other: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-X' || w === '--X') {
      if (words[i + 1] !== undefined) pairs.push(words[++i]!);
    } else if (/^--?X=?./.test(w)) pairs.push(w.replace(/^--?X=?/, ''));
    else if (w !== '-s' && w !== '-w') other.push(w);
  }
  return { pairs, other };
}

function emptyInjection(source: string): VersionInjection {
  return { source, flags: [], args: [], otherLdflags: [], platformFields: [], notes: [] };
}

function addArg(args: BuildArg[], arg: BuildArg): void {
  if (!args.some((a) => a.name === arg.name)) args.push(arg);
}

/** From a goreleaser or ko build's ldflags (templates as written). */
export function fromReleaseLdflags(ldflags: string[], source: string, projectName: string): VersionInjection {
  const { pairs, other } = xPairs(ldflags);
  const result = emptyInjection(source);
  const evaluate = (text: string): string | undefined => {
    let unknown: string | undefined;
    const value = text.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (_all, expr: string) => {
      const field = /^\.(\w+)$/.exec(expr)?.[1];
      if (field === 'ProjectName') return projectName;
      const platform = field ? PLATFORM_FIELDS[field] : undefined;
      if (platform) {
        if (!result.platformFields.includes(platform)) result.platformFields.push(platform);
        return `\${${platform}}`;
      }
      const env = /^\.Env\.(\w+)$/.exec(expr)?.[1];
      if (env) {
        addArg(result.args, { name: env, role: roleOfName(env) });
        return `\${${env}}`;
      }
      const known = field ? TEMPLATE_ARGS[field] : undefined;
      if (!known) {
        unknown ??= `{{ ${expr} }}`;
        return '';
      }
      addArg(result.args, known);
      return `\${${known.name}}`;
    });
    if (unknown) {
      result.notes.push(
        `${source}: ${text} uses the template ${unknown}, which goimg cannot evaluate: left out (pass it with --ldflags)`,
      );
      return undefined;
    }
    return value;
  };
  for (const pair of pairs) {
    const v = evaluate(pair);
    const eq = v?.indexOf('=') ?? -1;
    if (v !== undefined && eq > 0) result.flags.push({ symbol: v.slice(0, eq), value: v.slice(eq + 1) });
  }
  for (const w of other) {
    const v = evaluate(w);
    if (v !== undefined) result.otherLdflags.push(v);
  }
  return result;
}

/** Make variables assigned in a Makefile (`A := x`, `A ?= x`, `A = x`, `export A = x`). */
function makeVariables(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const m of joined.matchAll(
    /^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}=|\?=|\+=|=)\s*(.*)$/gm,
  )) {
    if (!vars.has(m[1]!)) vars.set(m[1]!, m[2]!.replace(/\s+#.*$/, '').trim());
  }
  return vars;
}

/** A word's variable references, `$(A)` `${A}` `$A`, resolved through `vars` (make) when given. */
const REF = /\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * -X flags written in a Makefile or a Dockerfile's RUN: `-X main.version=$(VERSION)`. Variables
 * in the symbol are expanded (a Makefile's `PKG := example.com/x`); variables in the value become
 * build arguments, their role told by the make `$(shell ...)` that sets them, else by their name.
 */
export function fromScriptText(
  text: string,
  source: string,
  argDefaults: ReadonlyMap<string, string | undefined> = new Map(),
): VersionInjection {
  const result = emptyInjection(source);
  const vars = source === 'Dockerfile' ? new Map<string, string>() : makeVariables(text);
  const expand = (word: string, depth = 0): string =>
    depth > 5
      ? word
      : word.replace(REF, (all, a?: string, b?: string) => {
          const v = vars.get((a ?? b)!);
          return v !== undefined && !v.includes('$(shell') ? expand(v, depth + 1) : all;
        });
  const words = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^-ldflags=/, '').replace(/^["']+|["']+$/g, ''));
  for (let i = 0; i < words.length; i++) {
    let pair: string | undefined;
    if (words[i] === '-X') pair = words[i + 1];
    else if (/^-X=?\S+=/.test(words[i]!)) pair = words[i]!.replace(/^-X=?/, '');
    if (!pair) continue;
    pair = pair.replace(/^["']+|["']+$/g, '');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const symbol = expand(pair.slice(0, eq));
    if (symbol.includes('$') || result.flags.some((f) => f.symbol === symbol)) continue;
    const value = pair.slice(eq + 1).replace(REF, (_all, a?: string, b?: string, c?: string) => {
      const name = (a ?? b ?? c)!;
      const assigned = vars.get(name);
      const shell = assigned ? /\$\(shell\s+(.*)\)/.exec(assigned)?.[1] : undefined;
      const role = (shell ? roleOfCommand(shell) : undefined) ?? roleOfName(name);
      const literal = assigned !== undefined && !assigned.includes('$') ? assigned : argDefaults.get(name);
      addArg(result.args, { name, role, ...(literal ? { default: literal } : {}) });
      return `\${${name}}`;
    });
    result.flags.push({ symbol, value });
  }
  return result;
}
