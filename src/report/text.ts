/**
 * Human output for findings: grouped by file, each with its position, severity, rule id, the
 * source line with the range underlined, and the rule's docs link; a one-line summary ends it.
 */
import { posix } from 'node:path';
import {
  type Finding,
  type Severity,
  type SeveritySummary,
  sortFindings,
  summarize,
} from '../core/finding.js';
import { hasRule, ruleDocsUrl } from '../rules/catalog.js';
import { visible } from './sanitize.js';

/** Colour functions (src/cli/output.ts's Palette satisfies this). */
export interface TextPalette {
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export interface TextOptions {
  /** Source texts by finding file path, to show the offending line. */
  sources?: ReadonlyMap<string, string>;
  paint: TextPalette;
  /** The audited directory as the user named it; file headings are shown relative to the cwd through it. */
  root?: string;
  /** Heading for findings without a file (image findings), e.g. the image reference. */
  target?: string;
  /** Command that applies fixes, named in the summary when some findings are fixable. */
  fixCommand?: string;
}

function paintSeverity(paint: TextPalette, severity: Severity): string {
  if (severity === 'error') return paint.red(severity);
  if (severity === 'warning') return paint.yellow(severity);
  return paint.blue(severity);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 errors, 2 warnings, 1 info" or "no findings". */
export function summaryLine(summary: SeveritySummary): string {
  if (summary.error + summary.warning + summary.info === 0) return 'no findings';
  return `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${summary.info} info`;
}

/** The line holding `line` (1-based), without its terminator. */
function sourceLine(text: string, line: number): string | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return undefined;
    start = nl + 1;
  }
  if (start > text.length || (start === text.length && line > 1)) return undefined;
  const nl = text.indexOf('\n', start);
  return text.slice(start, nl === -1 ? text.length : nl).replace(/\r$/, '');
}

/** Source line plus a caret line under [column, endColumn) (to the line's end when the range spans lines). */
function snippet(f: Finding, source: string | undefined, paint: TextPalette, indent: string): string[] {
  if (source === undefined || f.line === undefined) return [];
  const raw = sourceLine(source, f.line);
  if (raw === undefined) return [];
  const column = Math.max(1, Math.min(f.column ?? 1, raw.length + 1));
  const sameLine = f.endLine === undefined || f.endLine === f.line;
  let end = sameLine ? (f.endColumn ?? column + 1) : raw.length + 1;
  end = Math.min(Math.max(end, column + 1), Math.max(raw.length + 1, column + 1));
  // Keep tabs in the caret line's padding so the carets line up under tabbed source.
  const pad = raw.slice(0, column - 1).replace(/[^\t]/g, ' ');
  const gutter = String(f.line);
  return [
    `${indent}${paint.dim(`${gutter} |`)} ${visible(raw)}`,
    `${indent}${paint.dim(`${' '.repeat(gutter.length)} |`)} ${pad}${paint.red('^'.repeat(end - column))}`,
  ];
}

function heading(file: string, root: string | undefined): string {
  return root && root !== '.' ? posix.join(root.replace(/\\/g, '/'), file) : file;
}

export function renderText(findings: readonly Finding[], options: TextOptions): string {
  const { paint } = options;
  const sorted = sortFindings(findings);
  const groups = new Map<string, Finding[]>();
  for (const f of sorted) {
    const key = f.file !== undefined ? heading(f.file, options.root) : (options.target ?? 'image');
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const out: string[] = [];
  for (const [name, list] of groups) {
    out.push(paint.bold(visible(name)));
    for (const f of list) {
      const where =
        f.line !== undefined ? `${f.line}:${f.column ?? 1}` : f.path !== undefined ? visible(f.path) : '';
      const fixable = f.fixable ? paint.dim(' (fixable)') : '';
      out.push(`  ${where ? `${where}  ` : ''}${paintSeverity(paint, f.severity)}  ${f.rule}${fixable}`);
      out.push(...f.message.split(/\r?\n/).map((line) => `    ${visible(line)}`));
      out.push(...snippet(f, f.file !== undefined ? options.sources?.get(f.file) : undefined, paint, '    '));
      if (hasRule(f.rule)) out.push(`    ${paint.dim(ruleDocsUrl(f.rule))}`);
    }
    out.push('');
  }
  const summary = summarize(sorted);
  let last = summaryLine(summary);
  const fixable = sorted.filter((f) => f.fixable).length;
  if (fixable > 0 && options.fixCommand) last += `; ${fixable} fixable with ${options.fixCommand}`;
  out.push(summary.error > 0 ? paint.bold(last) : last);
  return `${out.join('\n')}\n`;
}
