/**
 * Unified diffs in the format `git apply` and `patch -p1` accept: `--- a/F` / `+++ b/F`, hunks
 * with three lines of context, `\ No newline at end of file` after a last line without one.
 * The line diff is jsdiff's (Myers); lines keep a `\r` before their newline while being
 * compared, so CRLF files and a newline added or removed at the end show up exactly. The
 * header and hunk ranges follow git's conventions.
 */
import { structuredPatch } from 'diff';

function range(start: number, count: number): string {
  // git's convention: an empty range names the line before it.
  const first = count === 0 ? start - 1 : start;
  return count === 1 ? `${first}` : `${first},${count}`;
}

export interface DiffOptions {
  /** Lines of context around each change (default 3). */
  context?: number;
  /** The file does not exist before (`--- /dev/null`). */
  created?: boolean;
}

/**
 * Myers' diff takes time in proportion to the lines times the edits: past this many edits
 * (never the case for fixes, which touch a few lines) the file is shown as one replacement,
 * still a valid patch, so time stays linear in the input.
 */
const MAX_EDITS = 500;

type Hunk = { oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] };

/** Lines without their `\n`, each followed by git's marker when it has no newline. */
function marked(text: string, sign: '-' | '+'): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  const last = lines.pop()!;
  const out = lines.map((l) => sign + l);
  if (last !== '') out.push(sign + last, '\\ No newline at end of file');
  return out;
}

function count(text: string): number {
  if (text === '') return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

/** A unified diff of `before` → `after` for `file` (a relative path); "" when they are equal. */
export function unifiedDiff(file: string, before: string, after: string, options: DiffOptions = {}): string {
  if (before === after) return '';
  const patch = structuredPatch(file, file, before, after, '', '', {
    context: options.context ?? 3,
    maxEditLength: MAX_EDITS,
  });
  const hunks: Hunk[] = patch?.hunks ?? [
    {
      oldStart: 1,
      oldLines: count(before),
      newStart: 1,
      newLines: count(after),
      lines: [...marked(before, '-'), ...marked(after, '+')],
    },
  ];
  const out: string[] = [options.created ? '--- /dev/null\n' : `--- a/${file}\n`, `+++ b/${file}\n`];
  for (const h of hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`);
    for (const line of h.lines) out.push(`${line}\n`);
  }
  return out.join('');
}
