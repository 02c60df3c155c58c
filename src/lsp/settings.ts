/**
 * What `.goimg.yaml` says about linting a directory, as `goimg audit` reads it: rule levels,
 * `ignore` globs (relative to the config's directory) and `audit.context`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { AuditFinding } from '../audit/engine.js';
import { filterIgnored } from '../config/ignore.js';
import { applyRuleOverrides, type RuleLevel } from '../config/overrides.js';

export interface LintSettings {
  /** The build context, when the config names one. */
  context?: string;
  /** The findings a user sees: `ignore` globs and rule levels applied. */
  visible(root: string, findings: readonly AuditFinding[]): AuditFinding[];
}

function hasConfig(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.goimg.yaml')) || existsSync(join(d, '.goimg.yml'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** Reads the config that applies to `dir` (none: the defaults). A broken config rejects with its error. */
export async function loadLintSettings(dir: string): Promise<LintSettings> {
  const loaded = hasConfig(dir) ? await (await import('../config/load.js')).loadConfigFor(dir) : undefined;
  const c = loaded?.config;
  const base = loaded?.dir ?? dir;
  const overrides: Record<string, RuleLevel> = c?.rules ?? {};
  const patterns = c?.ignore ?? [];
  const settings: LintSettings = {
    visible(root, findings) {
      const kept =
        patterns.length === 0
          ? findings
          : filterIgnored(
              findings.map((f) => ({ f, file: relative(base, resolve(root, f.file)) })),
              patterns,
            ).map((x) => x.f);
      return applyRuleOverrides(kept, overrides);
    },
  };
  if (c?.audit?.context) settings.context = resolve(base, c.audit.context);
  return settings;
}
