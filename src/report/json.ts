/**
 * The JSON contract shared by audit and image: `{"version":1, ...extra, "findings":[...],
 * "summary":{"error","warning","info"}}`. Findings are projected to the contract's keys, so
 * internal fields (an audit finding's `fix`) never leak into the output.
 */
import { type Finding, type SeveritySummary, sortFindings, summarize } from '../core/finding.js';

/** A finding with exactly the keys of schemas/finding.schema.json, in a stable order. */
export function contractFinding(f: Finding): Finding {
  const out: Partial<Finding> = { rule: f.rule, severity: f.severity };
  if (f.file !== undefined) out.file = f.file;
  if (f.line !== undefined) out.line = f.line;
  if (f.column !== undefined) out.column = f.column;
  if (f.endLine !== undefined) out.endLine = f.endLine;
  if (f.endColumn !== undefined) out.endColumn = f.endColumn;
  if (f.path !== undefined) out.path = f.path;
  out.message = f.message;
  out.fixable = f.fixable ?? false;
  return out as Finding;
}

export interface JsonReport {
  version: 1;
  findings: Finding[];
  summary: SeveritySummary;
  [key: string]: unknown;
}

export interface JsonReportInput {
  findings: readonly Finding[];
  [key: string]: unknown;
}

/** The report object: version first, the command's extra keys, then findings and summary. */
export function jsonReport(input: JsonReportInput): JsonReport {
  const { findings, ...extra } = input;
  delete extra.version;
  delete extra.summary;
  const sorted = sortFindings(findings).map(contractFinding);
  return { version: 1, ...extra, findings: sorted, summary: summarize(sorted) };
}

export function renderJson(input: JsonReportInput): string {
  return `${JSON.stringify(jsonReport(input), null, 2)}\n`;
}
