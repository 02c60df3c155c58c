/**
 * The one finding shape every command emits (audit, image, binary verdicts as findings).
 * Source findings carry a 1-based range; image findings carry the path inside the image.
 */

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `--fail-on` threshold; `never` makes findings informational only. */
export type FailOn = Severity | 'never';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  path?: string;
  fixable?: boolean;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** True when at least one finding is at or above the threshold. */
export function failsThreshold(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const limit = RANK[failOn];
  return findings.some((f) => RANK[f.severity] >= limit);
}

export interface SeveritySummary {
  error: number;
  warning: number;
  info: number;
}

export function summarize(findings: readonly Finding[]): SeveritySummary {
  const summary: SeveritySummary = { error: 0, warning: 0, info: 0 };
  for (const f of findings) summary[f.severity]++;
  return summary;
}

/** Code-unit order: independent of the locale, and far cheaper than localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable order: file, line, column, then rule id; image findings by path. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareText(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.path ?? '', b.path ?? '') ||
      compareText(a.rule, b.rule),
  );
}
