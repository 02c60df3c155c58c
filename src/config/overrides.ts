/**
 * Per-rule severity overrides from `.goimg.yaml` (`rules:`) and `--rule ID=LEVEL`: `off` drops
 * the rule's findings, a severity replaces the catalog's default.
 */
import { UsageError } from '../core/errors.js';
import { type Finding, isSeverity, type Severity } from '../core/finding.js';
import { hasRule, RULES } from '../rules/catalog.js';
import { didYouMean } from './suggest.js';

export const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];
export type RuleOverrides = Readonly<Record<string, RuleLevel>>;

export function isRuleLevel(value: string): value is RuleLevel {
  return (RULE_LEVELS as readonly string[]).includes(value);
}

export function ruleIds(): string[] {
  return RULES.map((r) => r.id);
}

/** The error text for an unknown rule id: a near miss, or every valid id. */
export function unknownRuleMessage(id: string): string {
  const hint = didYouMean(id, ruleIds());
  return hint ? `unknown rule "${id}"${hint}` : `unknown rule "${id}"; valid rules: ${ruleIds().join(', ')}`;
}

/** Parses the CLI's `--rule ID=LEVEL`. */
export function parseRuleFlag(value: string): { id: string; level: RuleLevel } {
  const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(value);
  if (!m) throw new UsageError(`--rule expects ID=LEVEL (e.g. no-trimpath=off), got "${value}"`);
  const id = m[1]!;
  const level = m[2]!.toLowerCase();
  if (!hasRule(id)) throw new UsageError(`--rule: ${unknownRuleMessage(id)}`);
  if (!isRuleLevel(level)) {
    throw new UsageError(
      `--rule ${id}: level must be one of ${RULE_LEVELS.join(', ')}, got "${m[2]}"${didYouMean(level, RULE_LEVELS)}`,
    );
  }
  return { id, level };
}

/** Parses every `--rule` flag into one overrides object (later flags win). */
export function parseRuleFlags(values: readonly string[]): Record<string, RuleLevel> {
  const out: Record<string, RuleLevel> = {};
  for (const v of values) {
    const { id, level } = parseRuleFlag(v);
    out[id] = level;
  }
  return out;
}

/**
 * Drops findings of rules set to `off` and gives the others their overridden severity.
 * Unknown rule ids are an error listing the valid ones.
 */
export function applyRuleOverrides<T extends Finding>(findings: readonly T[], overrides: RuleOverrides): T[] {
  for (const [id, level] of Object.entries(overrides)) {
    if (!hasRule(id)) throw new UsageError(unknownRuleMessage(id));
    if (!isRuleLevel(level))
      throw new UsageError(`rule ${id}: level must be one of ${RULE_LEVELS.join(', ')}, got "${level}"`);
  }
  const out: T[] = [];
  for (const f of findings) {
    const level = Object.hasOwn(overrides, f.rule) ? overrides[f.rule] : undefined;
    if (level === undefined) out.push(f);
    else if (level !== 'off')
      out.push(isSeverity(level) && level !== f.severity ? { ...f, severity: level as Severity } : f);
  }
  return out;
}
