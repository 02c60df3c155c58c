/**
 * Audit findings as LSP diagnostics. A finding's 1-based line and column with an exclusive end
 * become the protocol's 0-based range over the same UTF-16 code units; a finding about the whole
 * file (an empty range at its start) covers that first line, so editors show and hover it.
 */
import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver';
import type { AuditFinding } from '../audit/engine.js';
import type { Severity } from '../core/finding.js';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

type Placed = Pick<AuditFinding, 'line' | 'column' | 'endLine' | 'endColumn'>;

function lineLength(lines: readonly string[], line: number): number {
  return (lines[line] ?? '').replace(/\r$/, '').length;
}

/** The protocol range of a finding in `text`, clamped to the text. */
export function findingRange(f: Placed, text: string): Range {
  const lines = text.split('\n');
  const last = Math.max(lines.length - 1, 0);
  const at = (line: number, column: number) => {
    const l = Math.min(Math.max(line - 1, 0), last);
    return { line: l, character: Math.min(Math.max(column - 1, 0), lineLength(lines, l)) };
  };
  const start = at(f.line, f.column);
  const end = at(f.endLine, f.endColumn);
  if (end.line < start.line || (end.line === start.line && end.character <= start.character)) {
    return { start, end: { line: start.line, character: lineLength(lines, start.line) } };
  }
  return { start, end };
}

/** The diagnostic of one finding in `text` (the text of the file the finding is in). */
export function toDiagnostic(f: AuditFinding, text: string): Diagnostic {
  return {
    range: findingRange(f, text),
    severity: SEVERITY[f.severity],
    code: f.rule,
    source: 'goimg',
    message: f.message,
    data: { rule: f.rule, fixable: f.fixable },
  };
}

/** True when two ranges share a position (an empty range touching another counts). */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) =>
    x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
