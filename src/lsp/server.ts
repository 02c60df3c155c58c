/**
 * The language server's wiring: documents in, diagnostics, code actions and hovers out. Every
 * open Dockerfile and .dockerignore is linted on open and on each change (changes arriving while
 * a lint runs are folded into one more lint); watched project files drop the cached project
 * model. Nothing here writes to stdout: the connection owns it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  type ExecuteCommandParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isGoimgError } from '../core/errors.js';
import { DiagnosticStore } from './diagnostic-store.js';
import { findingRange, rangesTouch, toDiagnostic } from './diagnostics.js';
import { type EditSupport, type EditTarget, fixChanges, rewriteChange, workspaceEdit } from './edits.js';
import {
  affectsProject,
  type DocumentKind,
  documentKind,
  pathToUri,
  uriToPath,
  WATCHED_GLOBS,
} from './files.js';
import { fixAll } from './fix-all.js';
import { hoverMarkdown } from './hover.js';
import { type LintResult, lintDocument } from './lint.js';
import { ProjectModels } from './project-models.js';

export const FIX_ALL_COMMAND = 'goimg.fixAll';

interface Linted {
  version: number;
  path: string;
  result: LintResult;
  /** The texts the audit read, by absolute path (open documents' unsaved texts included). */
  overlay: Map<string, string>;
}

interface OpenDoc {
  doc: TextDocument;
  path: string;
  kind: DocumentKind;
}

function paramError(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function uriParam(params: unknown, where: string): string {
  const uri = (params as { textDocument?: { uri?: unknown } } | null)?.textDocument?.uri;
  if (typeof uri !== 'string') throw paramError(`${where}: textDocument.uri must be a string`);
  return uri;
}

export function startServer(connection: Connection, version: string): void {
  const documents = new TextDocuments(TextDocument);
  const models = new ProjectModels();
  const store = new DiagnosticStore();
  const linted = new Map<string, Linted>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let support: EditSupport = { documentChanges: false, create: false };
  let watchDynamically = false;

  const open = (uri: string): OpenDoc | undefined => {
    const doc = documents.get(uri);
    const path = uriToPath(uri);
    if (!doc || !path) return undefined;
    const kind = documentKind(path, doc.languageId);
    return kind ? { doc, path, kind } : undefined;
  };

  const openDocs = (): OpenDoc[] => documents.keys().flatMap((u) => open(u) ?? []);

  /** Unsaved texts of every open document, by path: the audit reads them instead of the disk. */
  const overlay = (): Map<string, string> => new Map(openDocs().map((d) => [d.path, d.doc.getText()]));

  const uriOf = (path: string): string => openDocs().find((d) => d.path === path)?.doc.uri ?? pathToUri(path);

  const textOf = (path: string, texts: ReadonlyMap<string, string>): string | undefined => {
    const t = texts.get(path);
    if (t !== undefined) return t;
    try {
      return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };

  const publish = (targets: readonly string[], version?: number, source?: string): void => {
    for (const uri of targets) {
      const params: { uri: string; diagnostics: Diagnostic[]; version?: number } = {
        uri,
        diagnostics: store.get(uri),
      };
      if (uri === source && version !== undefined) params.version = version;
      void connection.sendDiagnostics(params);
    }
  };

  /** The one diagnostic a document gets when it cannot be linted (a broken config, a bad pattern). */
  const failure = (err: unknown): Diagnostic => {
    const goimg = isGoimgError(err);
    if (!goimg) connection.console.error(`goimg: internal error: ${(err as Error)?.stack ?? String(err)}`);
    const message = goimg
      ? `${err.message}${err.hint ? ` (${err.hint})` : ''}`
      : `internal error (a bug in goimg): ${(err as Error)?.message ?? String(err)}`;
    return {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Error,
      source: 'goimg',
      message,
    };
  };

  const lintNow = async (uri: string): Promise<void> => {
    const d = open(uri);
    if (!d) return;
    const version = d.doc.version;
    const texts = overlay();
    const byTarget = new Map<string, Diagnostic[]>();
    try {
      const result = await lintDocument(models, d.path, d.kind, texts);
      linted.set(uri, { version, path: d.path, result, overlay: texts });
      for (const [file, findings] of result.byFile) {
        const text = textOf(file, texts) ?? '';
        byTarget.set(
          uriOf(file),
          findings.map((f) => toDiagnostic(f, text)),
        );
      }
      if (!byTarget.has(uri)) byTarget.set(uri, []);
    } catch (err) {
      linted.delete(uri);
      connection.console.error(`goimg: cannot lint ${d.path}: ${(err as Error)?.message ?? String(err)}`);
      byTarget.set(uri, [failure(err)]);
    }
    // A newer text arrived meanwhile: its own lint publishes.
    if (open(uri)?.doc.version !== version) return;
    publish(store.set(uri, byTarget), version, uri);
  };

  /** Lints `uri`; a request made while its lint runs is served by one more lint afterwards. */
  const lint = (uri: string): Promise<void> => {
    const current = running.get(uri);
    if (current) {
      again.add(uri);
      return current;
    }
    const run = (async () => {
      do {
        again.delete(uri);
        await lintNow(uri);
      } while (again.has(uri));
    })().finally(() => running.delete(uri));
    running.set(uri, run);
    return run;
  };

  /** The lint of the document's current text (linting it first when an edit is newer). */
  const fresh = async (uri: string): Promise<Linted | undefined> => {
    const d = open(uri);
    if (!d) return undefined;
    let l = linted.get(uri);
    if (l?.version !== d.doc.version) {
      await lint(uri);
      l = linted.get(uri);
    }
    return l?.version === d.doc.version ? l : undefined;
  };

  /** Other open documents in the same directory whose findings an edit of `d` can change. */
  const neighbours = (d: OpenDoc): string[] =>
    openDocs()
      .filter((o) => o.doc.uri !== d.doc.uri && dirname(o.path) === dirname(d.path))
      .filter((o) => d.kind === 'dockerignore' || o.kind === 'dockerignore')
      .map((o) => o.doc.uri);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const ws = params.capabilities.workspace;
    support = {
      documentChanges: ws?.workspaceEdit?.documentChanges === true,
      create: ws?.workspaceEdit?.resourceOperations?.includes('create') === true,
    };
    watchDynamically = ws?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        hoverProvider: true,
        executeCommandProvider: { commands: [FIX_ALL_COMMAND] },
      },
      serverInfo: { name: 'goimg', version },
    };
  });

  connection.onInitialized(() => {
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
      });
    } else {
      connection.console.info(
        'goimg: this client does not watch files for servers; reopen a Dockerfile after changing the Go project',
      );
    }
  });

  documents.onDidChangeContent((e) => {
    const d = open(e.document.uri);
    if (!d) return;
    void lint(d.doc.uri);
    for (const n of neighbours(d)) void lint(n);
  });

  documents.onDidClose((e) => {
    linted.delete(e.document.uri);
    publish(store.drop(e.document.uri));
  });

  connection.onDidChangeWatchedFiles((params) => {
    const dropped = new Set<string>();
    for (const change of params.changes ?? []) {
      const path = typeof change?.uri === 'string' ? uriToPath(change.uri) : undefined;
      if (path && affectsProject(path)) for (const dir of models.invalidate(path)) dropped.add(dir);
    }
    for (const d of openDocs()) if (dropped.has(dirname(d.path))) void lint(d.doc.uri);
  });

  const editTarget = (l: Linted): EditTarget => ({
    root: l.result.root,
    textOf: (path) => textOf(path, l.overlay),
    uriOf,
    versionOf: (uri) => documents.get(uri)?.version ?? null,
  });

  connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
    const uri = uriParam(params, 'textDocument/codeAction');
    const range = params.range;
    if (typeof range?.start?.line !== 'number' || typeof range?.end?.line !== 'number') {
      throw paramError('textDocument/codeAction: range must be a range');
    }
    const l = await fresh(uri);
    if (!l) return [];
    const only = params.context?.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const text = l.overlay.get(l.path) ?? '';
    const findings = l.result.byFile.get(l.path) ?? [];
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      const target = editTarget(l);
      for (const f of findings) {
        if (!f.fix) continue;
        const diagnostic = toDiagnostic(f, text);
        if (!rangesTouch(findingRange(f, text), range)) continue;
        const changes = fixChanges(f.fix.edits, target);
        const edit = changes && workspaceEdit(changes, target, support);
        if (!edit) continue;
        actions.push({
          title: `goimg: ${f.fix.description}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit,
        });
      }
    }
    if (
      findings.some((f) => f.fix) &&
      (wants(CodeActionKind.SourceFixAll) || wants(CodeActionKind.QuickFix))
    ) {
      actions.push({
        title: 'goimg: fix all safely fixable findings in this file',
        kind: CodeActionKind.SourceFixAll,
        command: { title: 'goimg: fix all', command: FIX_ALL_COMMAND, arguments: [uri] },
      });
    }
    return actions;
  });

  connection.onExecuteCommand(async (params: ExecuteCommandParams) => {
    if (params?.command !== FIX_ALL_COMMAND) {
      throw new ResponseError(ErrorCodes.InvalidRequest, `unknown command ${String(params?.command)}`);
    }
    const uri = params.arguments?.[0];
    if (typeof uri !== 'string')
      throw paramError(`${FIX_ALL_COMMAND}: the first argument must be a document uri`);
    const d = open(uri);
    if (!d) throw paramError(`${FIX_ALL_COMMAND}: ${uri} is not an open Dockerfile or .dockerignore`);
    const texts = overlay();
    const outcome = await fixAll(models, d.path, d.kind, texts);
    if (!outcome || outcome.files.length === 0) return { applied: false, fixed: 0 };
    const target: EditTarget = {
      root: outcome.root,
      textOf: (path) => textOf(path, texts),
      uriOf,
      versionOf: (u) => documents.get(u)?.version ?? null,
    };
    const changes = outcome.files
      .filter((f) => !f.created || (support.documentChanges && support.create))
      .map((f) => rewriteChange(f.path, f.before, f.after, f.created));
    const edit = workspaceEdit(changes, target, support);
    if (!edit) return { applied: false, fixed: 0 };
    const r = await connection.workspace.applyEdit({ label: 'goimg: fix all', edit });
    return { applied: r.applied, fixed: outcome.fixed };
  });

  connection.onHover(async (params: HoverParams): Promise<Hover | null> => {
    const uri = uriParam(params, 'textDocument/hover');
    const at = params.position;
    if (typeof at?.line !== 'number' || typeof at?.character !== 'number') {
      throw paramError('textDocument/hover: position must be a position');
    }
    const l = await fresh(uri);
    if (!l) return null;
    const text = l.overlay.get(l.path) ?? '';
    const parts = (l.result.byFile.get(l.path) ?? [])
      .filter((f) => rangesTouch(findingRange(f, text), { start: at, end: at }))
      .flatMap((f) => hoverMarkdown(f.rule, f.message) ?? []);
    if (parts.length === 0) return null;
    return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } };
  });

  documents.listen(connection);
  connection.listen();
}
