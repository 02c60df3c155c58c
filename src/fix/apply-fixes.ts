/**
 * Applies the fixes of an audit to the files under `root`: groups edits per file, creates files
 * only when absent, keeps every byte outside the edits (line endings included), prints one
 * unified diff and, unless it is a dry run, writes each changed file atomically.
 *
 * Fixes are accepted in order; a fix whose edits overlap an edit already accepted from another
 * fix is skipped whole (returned in `skipped`) so the caller can audit again and fix the rest.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { applyEdits, editsOverlap, type ReplaceEdit } from './apply-edits.js';
import { unifiedDiff } from './diff.js';
import type { Edit, Fix } from './edit.js';
import { writeFileAtomic } from './write.js';

export interface FileChange {
  /** Path relative to the root, as the edits name it. */
  file: string;
  /** The original text ("" for a created file). */
  before: string;
  after: string;
  created: boolean;
}

export interface FixResult {
  /** Changed or created files, sorted by path. */
  files: FileChange[];
  /** One unified diff over all files ("" when nothing changes). */
  diff: string;
  applied: Fix[];
  /** Fixes left out because they collide with an earlier fix. */
  skipped: Fix[];
}

export interface ApplyFixesOptions {
  /** Compute the result and the diff without writing anything. */
  dryRun: boolean;
}

function absolutePath(root: string, file: string): string {
  const base = resolve(root);
  const abs = resolve(base, file);
  if (isAbsolute(file) || !abs.startsWith(base + sep)) {
    throw new Error(`fix edit names a path outside ${root}: ${file}`);
  }
  return abs;
}

/** Reads a file as text, or null when it does not exist. Refuses bytes that would not survive. */
async function readText(abs: string, file: string): Promise<string | null> {
  let raw: Buffer;
  try {
    raw = await readFile(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) {
    throw new InputError(`${file} is not valid UTF-8; goimg will not rewrite it`, 'fix the file by hand');
  }
  return text;
}

interface FileState {
  abs: string;
  /** null: the file does not exist. */
  original: string | null;
  replaces: ReplaceEdit[];
  created?: string;
}

function sameReplace(a: ReplaceEdit, b: ReplaceEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

/** Whether `edit` can join the accepted edits of its file. Throws for edits that cannot apply at all. */
function fits(state: FileState, edit: Edit, accepted: readonly ReplaceEdit[]): boolean {
  if (edit.kind === 'create') {
    return state.created === undefined || state.created === edit.text;
  }
  if (state.original === null) throw new Error(`fix edits ${edit.file}, which does not exist`);
  if (edit.end > state.original.length || edit.start < 0 || edit.end < edit.start) {
    throw new Error(`fix edit range ${edit.start}..${edit.end} does not fit ${edit.file}`);
  }
  return accepted.every((other) => sameReplace(other, edit) || !editsOverlap(other, edit));
}

export async function applyFixes(
  root: string,
  fixes: readonly Fix[],
  options: ApplyFixesOptions,
): Promise<FixResult> {
  const states = new Map<string, FileState>();
  for (const fix of fixes) {
    for (const edit of fix.edits) {
      if (states.has(edit.file)) continue;
      const abs = absolutePath(root, edit.file);
      states.set(edit.file, { abs, original: await readText(abs, edit.file), replaces: [] });
    }
  }

  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  for (const fix of fixes) {
    // A create for a file that already exists has nothing left to do.
    const edits = fix.edits.filter((e) => e.kind === 'replace' || states.get(e.file)!.original === null);
    const ok = edits.every((edit) => fits(states.get(edit.file)!, edit, states.get(edit.file)!.replaces));
    if (!ok) {
      skipped.push(fix);
      continue;
    }
    for (const edit of edits) {
      const state = states.get(edit.file)!;
      if (edit.kind === 'create') state.created = edit.text;
      else state.replaces.push(edit);
    }
    applied.push(fix);
  }

  const files: FileChange[] = [];
  for (const [file, state] of [...states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (state.original === null) {
      if (state.created === undefined) continue;
      files.push({ file, before: '', after: state.created, created: true });
    } else if (state.replaces.length > 0) {
      const after = applyEdits(state.original, state.replaces);
      if (after !== state.original) files.push({ file, before: state.original, after, created: false });
    }
  }
  const diff = files.map((f) => unifiedDiff(f.file, f.before, f.after, { created: f.created })).join('');

  if (!options.dryRun) {
    for (const change of files) {
      const abs = states.get(change.file)!.abs;
      // Re-check just before writing: a file created meanwhile is never overwritten.
      if (change.created && (await readText(abs, change.file)) !== null) {
        throw new InputError(`${change.file} appeared while fixing; not overwriting it`);
      }
      await writeFileAtomic(abs, change.after);
    }
  }
  return { files, diff, applied, skipped };
}
