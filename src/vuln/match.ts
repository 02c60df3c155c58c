/**
 * Advisories matched against one binary, as govulncheck's binary mode matches them: a module
 * (the standard library as "stdlib" at the binary's Go version) whose version falls in an
 * affected range, then narrowed to the vulnerable symbols the function table holds. Levels:
 *   symbol   a vulnerable function is in the binary: it can be called;
 *   package  the vulnerable package is linked, none of its vulnerable functions is;
 *   module   the module is required, the vulnerable package is not linked.
 * Modules replaced by a local directory are skipped (their code is not the published module's).
 */
import type { Severity } from '../core/finding.js';
import type { BinaryModule } from './binary.js';
import type { OsvEntry, OsvImport } from './osv.js';
import { fixedVersion, goTagToSemver, isAffected, moduleSemver, semverToGoTag } from './semver.js';
import type { PackageSymbols } from './symbols.js';

export const STDLIB = 'stdlib';

export type VulnLevel = 'symbol' | 'package' | 'module';

export interface VulnPackage {
  path: string;
  /** The vulnerable symbols the advisory lists (empty: the whole package). */
  vulnerable: string[];
  /** Those the binary contains. */
  present: string[];
}

export interface VulnFinding {
  id: string;
  aliases: string[];
  summary: string;
  module: string;
  /** The version in the binary (the Go release for stdlib); "" when unknown. */
  found: string;
  /** The first version that fixes it (a Go release for stdlib); null when none does. */
  fixed: string | null;
  level: VulnLevel;
  severity: Severity;
  packages: VulnPackage[];
  /** What to do: `go get module@version`, or the Go release to build with. */
  fix: string;
}

export interface MatchInput {
  goVersion: string;
  goos: string;
  goarch: string;
  modules: readonly BinaryModule[];
  functions: PackageSymbols | null;
}

/** The modules to look up: the standard library and every non-local dependency, with versions. */
export function modulesToCheck(
  input: Pick<MatchInput, 'goVersion' | 'modules'>,
): { path: string; version: string | null; found: string }[] {
  const out = [{ path: STDLIB, version: goTagToSemver(input.goVersion), found: input.goVersion }];
  for (const m of input.modules) {
    if (!m.local) out.push({ path: m.path, version: moduleSemver(m.version), found: m.version });
  }
  return out;
}

function appliesTo(imp: OsvImport, goos: string, goarch: string): boolean {
  return (
    (!imp.goos?.length || imp.goos.includes(goos)) && (!imp.goarch?.length || imp.goarch.includes(goarch))
  );
}

function fixText(module: string, fixed: string | null): string {
  if (fixed === null) return 'no fixed version yet';
  if (module === STDLIB) return `build with ${semverToGoTag(fixed)} or later`;
  return `go get ${module}@v${fixed}`;
}

/** `entries`: the advisories the index lists for the binary's modules (any order, duplicates fine). */
export function matchVulns(input: MatchInput, entries: readonly OsvEntry[]): VulnFinding[] {
  const mods = modulesToCheck(input);
  const findings: VulnFinding[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    for (const mod of mods) {
      const key = `${entry.id}\0${mod.path}`;
      if (seen.has(key)) continue;
      const affected = entry.affected.filter(
        (a) => a.package.name === mod.path && (mod.version === null || isAffected(a, mod.version)),
      );
      if (affected.length === 0) continue;
      seen.add(key);
      const packages: VulnPackage[] = [];
      let linked = false;
      for (const a of affected) {
        for (const imp of a.ecosystem_specific?.imports ?? []) {
          if (!appliesTo(imp, input.goos, input.goarch)) continue;
          const have = input.functions?.get(imp.path);
          if (have) linked = true;
          const vulnerable = [...(imp.symbols ?? [])].sort();
          const present =
            vulnerable.length === 0 ? [...(have ?? [])].sort() : vulnerable.filter((s) => have?.has(s));
          packages.push({ path: imp.path, vulnerable, present });
        }
      }
      const hasImports = affected.some((a) => (a.ecosystem_specific?.imports ?? []).length > 0);
      // An advisory whose imports all name other platforms does not apply to this binary.
      if (hasImports && packages.length === 0) continue;
      const reachable = packages.some((p) => p.present.length > 0);
      // Without a function table nothing can be narrowed: a listed module counts as reachable.
      const level: VulnLevel =
        reachable || (input.functions === null && hasImports) ? 'symbol' : linked ? 'package' : 'module';
      const fixed =
        mod.version === null
          ? null
          : (affected.map((a) => fixedVersion(a, mod.version as string)).find((f) => f) ?? null);
      findings.push({
        id: entry.id,
        aliases: entry.aliases ?? [],
        summary: entry.summary ?? '',
        module: mod.path,
        found: mod.found,
        fixed: fixed && mod.path === STDLIB ? semverToGoTag(fixed) : fixed ? `v${fixed}` : null,
        level,
        severity: level === 'symbol' ? 'error' : 'info',
        packages,
        fix: fixText(mod.path, fixed),
      });
    }
  }
  const rank: Record<VulnLevel, number> = { symbol: 0, package: 1, module: 2 };
  return findings.sort(
    (a, b) => rank[a.level] - rank[b.level] || a.id.localeCompare(b.id) || a.module.localeCompare(b.module),
  );
}
