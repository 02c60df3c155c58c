/**
 * goimg's fixes (offset edits into a file's text, or a file to create) as LSP workspace edits.
 * Offsets are UTF-16 indices into the text the audit read, which are the protocol's positions.
 * File creation needs `documentChanges` with the `create` resource operation; a client without
 * them gets the fixes that only edit existing files.
 */
import { resolve } from 'node:path';
import type {
  CreateFile,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Edit } from '../fix/edit.js';

export interface EditSupport {
  documentChanges: boolean;
  create: boolean;
}

/** One file's part of an edit: text edits on its current text, or a new file's whole text. */
export interface FileChange {
  path: string;
  created: boolean;
  edits: TextEdit[];
}

export interface EditTarget {
  /** The audited directory the edits' relative paths start from. */
  root: string;
  /** The text the audit read for an absolute path (undefined when the file does not exist). */
  textOf(path: string): string | undefined;
  /** The client's uri for a path (an open document keeps the client's spelling). */
  uriOf(path: string): string;
  /** The open document's version, null when the file is not open. */
  versionOf(uri: string): number | null;
}

/** The file changes of one fix; undefined when an edit names a file it cannot apply to. */
export function fixChanges(edits: readonly Edit[], target: EditTarget): FileChange[] | undefined {
  const byPath = new Map<string, FileChange>();
  for (const e of edits) {
    const path = resolve(target.root, e.file);
    const before = target.textOf(path);
    let change = byPath.get(path);
    if (e.kind === 'create') {
      if (before !== undefined) return undefined; // a fix never overwrites a file
      change ??= { path, created: true, edits: [] };
      change.edits.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: e.text,
      });
    } else {
      if (before === undefined) return undefined;
      const doc = TextDocument.create('', '', 0, before);
      change ??= { path, created: false, edits: [] };
      change.edits.push({
        range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
        newText: e.text,
      });
    }
    byPath.set(path, change);
  }
  return [...byPath.values()];
}

/** A whole-file rewrite from `before` to `after` (what the fix-all loop returns per file). */
export function rewriteChange(path: string, before: string, after: string, created: boolean): FileChange {
  const end = TextDocument.create('', '', 0, before).positionAt(before.length);
  return { path, created, edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: after }] };
}

/** The workspace edit for `changes`, or undefined when the client cannot apply it. */
export function workspaceEdit(
  changes: readonly FileChange[],
  target: Pick<EditTarget, 'uriOf' | 'versionOf'>,
  support: EditSupport,
): WorkspaceEdit | undefined {
  if (changes.length === 0) return undefined;
  if (changes.some((c) => c.created) && !(support.documentChanges && support.create)) return undefined;
  if (!support.documentChanges) {
    const out: Record<string, TextEdit[]> = {};
    for (const c of changes) out[target.uriOf(c.path)] = c.edits;
    return { changes: out };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const c of changes) {
    const uri = target.uriOf(c.path);
    if (c.created) documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    const textDocument: OptionalVersionedTextDocumentIdentifier = {
      uri,
      version: c.created ? null : target.versionOf(uri),
    };
    documentChanges.push({ textDocument, edits: c.edits });
  }
  return { documentChanges };
}
