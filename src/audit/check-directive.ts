/**
 * BuildKit's `# check=` parser directive, read as BuildKit's ParseLintOptions reads it:
 * `skip=Rule1,Rule2` or `skip=all`, `error=true|false`, `experimental=...`, separated by `;`.
 * goimg honours it for its rules that are the same as a BuildKit check (the catalog's
 * `sameAs.buildkit`), so one directive switches the check off in both tools.
 */
import type { Finding } from '../core/finding.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { getRule, hasRule } from '../rules/catalog.js';

export interface CheckDirective {
  skipAll: boolean;
  skip: ReadonlySet<string>;
  /** BuildKit fails the build on a check's warning: the overlapping findings become errors. */
  error: boolean;
}

// Go's strconv.ParseBool.
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** The directive's options; undefined when BuildKit would refuse them (then nothing changes). */
export function parseCheckDirective(value: string): CheckDirective | undefined {
  const text = value.trim();
  const out = { skipAll: false, skip: new Set<string>(), error: false };
  if (text === '') return out;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 'skip') {
      if (v === 'all') out.skipAll = true;
      else for (const rule of v.split(',')) out.skip.add(rule.trim());
    } else if (key === 'error') {
      if (TRUE.has(v)) out.error = true;
      else if (FALSE.has(v)) out.error = false;
      else return undefined;
    } else if (key !== 'experimental') {
      return undefined;
    }
  }
  return out;
}

/** Drops (skip) or raises (error=true) the findings of rules that duplicate a BuildKit check. */
export function applyCheckDirective<F extends Finding>(df: DockerfileModel, findings: F[]): F[] {
  const directive = df.directives.find((d) => d.name === 'check');
  const options = directive && parseCheckDirective(directive.value);
  if (!options) return findings;
  const out: F[] = [];
  for (const f of findings) {
    const checks = hasRule(f.rule) ? (getRule(f.rule).sameAs?.buildkit ?? []) : [];
    if (checks.length === 0) out.push(f);
    else if (options.skipAll || checks.some((c) => options.skip.has(c))) continue;
    else out.push(options.error ? { ...f, severity: 'error' } : f);
  }
  return out;
}
