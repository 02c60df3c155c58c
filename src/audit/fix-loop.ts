/**
 * `--fix` and `--fix-dry-run`: applies the findings' fixes, audits the edited text again and
 * repeats until nothing fixable is left (a fix can uncover another: a new `RUN go mod download`
 * gets its cache mount in the next round), so one `--fix` reaches the fixed point and a second
 * changes nothing. Rounds run in memory on an overlay; only the final texts are written, each
 * atomically. Edits that collide with an accepted edit wait for the next round.
 */
import { resolve } from 'node:path';
import type { Fix } from '../fix/edit.js';
import { applyEdits, editsOverlap, type ReplaceEdit, unifiedDiff, writeFileAtomic } from '../fix/index.js';
import type { AuditFinding } from './engine.js';
import { type AuditOptions, type AuditResult, auditDirectory } from './load.js';

export interface FixOutcome {
  /** The audit after the last round (what is left). */
  result: AuditResult;
  /** Findings whose fixes were applied, over all rounds. */
  fixed: AuditFinding[];
  files: { file: string; before: string; after: string; created: boolean }[];
  diff: string;
  rounds: number;
}

const MAX_ROUNDS = 6;

/** Picks the fixes of one round: each whole fix only if none of its edits collides with one accepted. */
function selectFixes(findings: AuditFinding[]): { chosen: AuditFinding[]; edits: Map<string, Fix['edits']> } {
  const edits = new Map<string, Fix['edits']>();
  const chosen: AuditFinding[] = [];
  for (const f of findings) {
    if (!f.fix) continue;
    const fits = f.fix.edits.every((e) => {
      const mine = edits.get(e.file) ?? [];
      if (e.kind === 'create') return !mine.some((m) => m.kind === 'create' && m.text !== e.text);
      return mine.every(
        (m) =>
          m.kind === 'create' ||
          (m.start === e.start && m.end === e.end && m.text === e.text) ||
          (!editsOverlap(m as ReplaceEdit, e) &&
            !(m.start === m.end && e.start === e.end && m.start === e.start)),
      );
    });
    if (!fits) continue;
    for (const e of f.fix.edits) edits.set(e.file, [...(edits.get(e.file) ?? []), e]);
    chosen.push(f);
  }
  return { chosen, edits };
}

/**
 * Runs `audit` → fixes → audit until stable. `select` says which findings may be fixed (after
 * rule overrides); `write` false leaves the disk untouched (dry run).
 */
export async function fixUntilStable(
  dir: string,
  options: AuditOptions,
  select: (findings: AuditFinding[]) => AuditFinding[],
  write: boolean,
): Promise<FixOutcome> {
  const root = resolve(dir);
  // Starts from the caller's overlay: the language server fixes the unsaved text of a document.
  const overlay = new Map<string, string>(options.overlay ?? []);
  const originals = new Map<string, string | null>();
  const fixed: AuditFinding[] = [];
  const { readFile } = await import('node:fs/promises');
  const current = async (file: string): Promise<string | null> => {
    const abs = resolve(root, file);
    if (overlay.has(abs)) return overlay.get(abs)!;
    try {
      return await readFile(abs, 'utf8');
    } catch {
      return null;
    }
  };
  let result = await auditDirectory(dir, { ...options, overlay });
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    const { chosen, edits } = selectFixes(select(result.findings));
    let changed = false;
    for (const [file, list] of edits) {
      const before = await current(file);
      if (!originals.has(file)) originals.set(file, before);
      let after: string;
      const create = list.find((e) => e.kind === 'create');
      if (create) {
        if (before !== null) continue; // never overwrite an existing file
        after = create.text;
      } else {
        if (before === null) continue;
        after = applyEdits(before, list);
      }
      if (after !== before) {
        overlay.set(resolve(root, file), after);
        changed = true;
      }
    }
    if (!changed) break;
    rounds++;
    fixed.push(...chosen);
    result = await auditDirectory(dir, { ...options, overlay });
  }
  const files: FixOutcome['files'] = [];
  for (const [file, before] of [...originals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const after = overlay.get(resolve(root, file));
    if (after === undefined || after === before) continue;
    files.push({ file, before: before ?? '', after, created: before === null });
  }
  if (write) for (const f of files) await writeFileAtomic(resolve(root, f.file), f.after);
  const diff = files.map((f) => unifiedDiff(f.file, f.before, f.after, { created: f.created })).join('');
  return { result, fixed, files, diff, rounds };
}
