/**
 * Unified diffs in the format `git apply` and `patch -p1` accept: `--- a/F` / `+++ b/F`, hunks
 * with three lines of context, `\ No newline at end of file` after a last line without one.
 * Lines keep their terminator while being compared, so CRLF files and a newline added or
 * removed at the end show up exactly.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their terminators ("a\n", "b\r\n", "c"). */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Past this many LCS cells the changed middle is shown as one replacement (still a valid patch). */
const MAX_CELLS = 25_000_000;

function diffLines(a: string[], b: string[]): Op[] {
  // Common prefix and suffix first: fixes touch a few lines of a file.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const ops: Op[] = a.slice(0, pre).map((line) => ({ kind: ' ', line }));
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const n = am.length;
  const m = bm.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (const line of am) ops.push({ kind: '-', line });
    for (const line of bm) ops.push({ kind: '+', line });
  } else {
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] =
          am[i] === bm[j]
            ? lcs[(i + 1) * w + j + 1]! + 1
            : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push({ kind: ' ', line: am[i++]! });
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        ops.push({ kind: '-', line: am[i++]! });
      } else {
        ops.push({ kind: '+', line: bm[j++]! });
      }
    }
  }
  for (const line of a.slice(a.length - suf)) ops.push({ kind: ' ', line });
  return ops;
}

function range(start: number, count: number): string {
  // git's convention: an empty range names the line before it.
  const first = count === 0 ? start - 1 : start;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function emit(op: Op): string {
  if (op.line.endsWith('\n')) return `${op.kind}${op.line}`;
  return `${op.kind}${op.line}\n\\ No newline at end of file\n`;
}

export interface DiffOptions {
  /** Lines of context around each change (default 3). */
  context?: number;
  /** The file does not exist before (`--- /dev/null`). */
  created?: boolean;
}

/** A unified diff of `before` → `after` for `file` (a relative path); "" when they are equal. */
export function unifiedDiff(file: string, before: string, after: string, options: DiffOptions = {}): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const ops = diffLines(splitLines(before), splitLines(after));
  const out: string[] = [options.created ? '--- /dev/null\n' : `--- a/${file}\n`, `+++ b/${file}\n`];
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let k = 0;
  while (k < changed.length) {
    // Extend the hunk while the next change is within 2 * context lines.
    let last = changed[k]!;
    let next = k + 1;
    while (next < changed.length && changed[next]! - last <= 2 * context + 1) last = changed[next++]!;
    const from = Math.max(0, changed[k]! - context);
    const to = Math.min(ops.length, last + context + 1);
    let oldStart = 1;
    let newStart = 1;
    for (let i = 0; i < from; i++) {
      if (ops[i]!.kind !== '+') oldStart++;
      if (ops[i]!.kind !== '-') newStart++;
    }
    const body = ops.slice(from, to);
    const oldCount = body.filter((op) => op.kind !== '+').length;
    const newCount = body.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n`);
    for (const op of body) out.push(emit(op));
    k = next;
  }
  return out.join('');
}
