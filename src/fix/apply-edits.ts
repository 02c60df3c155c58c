/**
 * Applies replace edits to one file's text. Edits name offsets into the ORIGINAL text, so they
 * are applied from the end backwards and everything outside them stays byte-for-byte.
 */
import type { Edit } from './edit.js';

export type ReplaceEdit = Extract<Edit, { kind: 'replace' }>;

function sameEdit(a: ReplaceEdit, b: ReplaceEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

/**
 * Sorts edits by position (insertions at the same offset keep their given order) and drops
 * identical duplicates, which two rules proposing the same change produce.
 */
export function normalizeEdits(edits: readonly ReplaceEdit[]): ReplaceEdit[] {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map((x) => x.edit);
  const out: ReplaceEdit[] = [];
  for (const edit of sorted) {
    if (!out.some((kept) => sameEdit(kept, edit))) out.push(edit);
  }
  return out;
}

/** True when the two edits touch the same characters (insertions at one offset do not). */
export function editsOverlap(a: ReplaceEdit, b: ReplaceEdit): boolean {
  if (a.start === a.end && b.start === b.end) return false;
  if (a.start === a.end) return a.start > b.start && a.start < b.end;
  if (b.start === b.end) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/**
 * Applies replace edits (all for the same file) to `text`. Overlapping edits are a bug in the
 * rule that proposed them and throw; identical duplicates are merged.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const replaces: ReplaceEdit[] = [];
  for (const edit of edits) {
    if (edit.kind !== 'replace')
      throw new Error(`applyEdits: only replace edits, got ${edit.kind} for ${edit.file}`);
    if (
      !Number.isInteger(edit.start) ||
      !Number.isInteger(edit.end) ||
      edit.start < 0 ||
      edit.end < edit.start
    ) {
      throw new Error(`applyEdits: bad range ${edit.start}..${edit.end} in ${edit.file}`);
    }
    if (edit.end > text.length) {
      throw new Error(
        `applyEdits: range ${edit.start}..${edit.end} is past the end of ${edit.file} (${text.length})`,
      );
    }
    replaces.push(edit);
  }
  const files = new Set(replaces.map((e) => e.file));
  if (files.size > 1) throw new Error(`applyEdits: edits for several files: ${[...files].join(', ')}`);
  const sorted = normalizeEdits(replaces);
  for (let i = 1; i < sorted.length; i++) {
    for (let j = 0; j < i; j++) {
      if (editsOverlap(sorted[j]!, sorted[i]!)) {
        const a = sorted[j]!;
        const b = sorted[i]!;
        throw new Error(
          `applyEdits: overlapping edits in ${a.file}: ${a.start}..${a.end} ${JSON.stringify(a.text)} and ${b.start}..${b.end} ${JSON.stringify(b.text)}`,
        );
      }
    }
  }
  const parts: string[] = [];
  let cursor = 0;
  for (const edit of sorted) {
    parts.push(text.slice(cursor, edit.start), edit.text);
    cursor = edit.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
