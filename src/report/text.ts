/**
 * Human output for findings: grouped by file, each with its position, severity, rule id, the
 * source line with the range underlined, and the command that explains the rule; a one-line
 * summary ends it.
 */
import { posix } from 'node:path';
import {
  type Finding,
  type Severity,
  type SeveritySummary,
  sortFindings,
  summarize,
} from '../core/finding.js';
import { hasRule } from '../rules/catalog.js';
import { visible } from './sanitize.js';

/** Where a finding's rule is documented: offline, in goimg itself. */
export function explainHint(rule: string): string {
  return `run goimg explain ${rule}`;
}

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

/** Terminal columns of a code point: 2 for East Asian wide and emoji, 0 for combining marks. */
function cellWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Blank padding as wide as `text` on a terminal (tabs kept so tab stops line up). */
function blankLike(text: string): string {
  let out = '';
  for (const ch of text) out += ch === '\t' ? '\t' : ' '.repeat(cellWidth(ch.codePointAt(0)!));
  return out;
}

function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += cellWidth(ch.codePointAt(0)!);
  return n;
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
  // Columns are UTF-16 offsets; the carets are placed by terminal cells, so wide characters line up.
  const pad = blankLike(visible(raw.slice(0, column - 1)));
  const carets = Math.max(1, columns(visible(raw.slice(column - 1, end - 1))));
  const gutter = String(f.line);
  return [
    `${indent}${paint.dim(`${gutter} |`)} ${visible(raw)}`,
    `${indent}${paint.dim(`${' '.repeat(gutter.length)} |`)} ${pad}${paint.red('^'.repeat(carets))}`,
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
      if (hasRule(f.rule)) out.push(`    ${paint.dim(explainHint(f.rule))}`);
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
