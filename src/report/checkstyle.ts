/**
 * Checkstyle XML, the report format many CI tools and review bots read (Jenkins' warnings
 * plugin, reviewdog, SonarQube's generic import): one `<file>` per checked file (or image), one
 * `<error>` per finding with goimg's severity and the rule as its source.
 */
import type { Finding } from '../core/finding.js';
import { sortFindings } from '../core/finding.js';
import { xmlAttr } from './xml.js';

export interface CheckstyleOptions {
  /** Every checked file (or image reference), findings or not. */
  subjects?: readonly string[];
  /** The file for findings without one (image findings): the image reference. */
  subject?: string;
}

function error(f: Finding): string {
  const message = f.path !== undefined && f.file === undefined ? `${f.path}: ${f.message}` : f.message;
  const at = `${f.line !== undefined ? ` line="${f.line}"` : ''}${f.column !== undefined ? ` column="${f.column}"` : ''}`;
  return `    <error${at} severity="${f.severity}" message="${xmlAttr(message)}" source="goimg.${xmlAttr(f.rule)}"/>`;
}

export function renderCheckstyle(findings: readonly Finding[], options: CheckstyleOptions = {}): string {
  const files = new Map<string, Finding[]>();
  for (const name of options.subjects ?? []) files.set(name, []);
  for (const f of sortFindings(findings)) {
    const name = f.file ?? options.subject ?? 'goimg';
    files.set(name, [...(files.get(name) ?? []), f]);
  }
  const body: string[] = [];
  for (const name of [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const list = files.get(name)!;
    if (list.length === 0) body.push(`  <file name="${xmlAttr(name)}"/>`);
    else body.push(`  <file name="${xmlAttr(name)}">`, ...list.map(error), '  </file>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<checkstyle version="4.3">',
    ...body,
    '</checkstyle>',
    '',
  ].join('\n');
}
