/**
 * The pure parts of the language server: finding ranges (exact, UTF-16, whole first line for a
 * file-level finding, CRLF, clamped), severities, fix edits as workspace edits for clients with
 * and without documentChanges, the diagnostics union, file kinds, and hover text.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AuditFinding } from '../../../src/audit/engine.js';
import { DiagnosticStore } from '../../../src/lsp/diagnostic-store.js';
import { findingRange, rangesTouch, toDiagnostic } from '../../../src/lsp/diagnostics.js';
import { type EditTarget, fixChanges, rewriteChange, workspaceEdit } from '../../../src/lsp/edits.js';
import { affectsProject, documentKind, pathToUri, uriToPath } from '../../../src/lsp/files.js';
import { hoverMarkdown } from '../../../src/lsp/hover.js';
import { ruleDoc } from '../../../src/rules/examples.js';

const TEXT = '# 编译阶段 🐳\nFROM golang:1.21 AS builder\nRUN go build -o main .\n';

function finding(over: Partial<AuditFinding>): AuditFinding {
  return {
    rule: 'libc-mismatch',
    severity: 'error',
    message: 'm',
    file: 'Dockerfile',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    fixable: false,
    ...over,
  };
}

describe('ranges', () => {
  test('a span keeps its columns as 0-based UTF-16 positions with an exclusive end', () => {
    const r = findingRange(finding({ line: 3, column: 5, endLine: 3, endColumn: 23 }), TEXT);
    assert.deepEqual(r, { start: { line: 2, character: 4 }, end: { line: 2, character: 22 } });
    const line = TEXT.split('\n')[2]!;
    assert.equal(line.slice(r.start.character, r.end.character), 'go build -o main .');
  });

  test('a file-level finding covers its first line, in UTF-16 units, without a CR', () => {
    const first = TEXT.split('\n')[0]!;
    assert.deepEqual(findingRange(finding({}), TEXT).end, { line: 0, character: first.length });
    assert.deepEqual(findingRange(finding({}), 'FROM a\r\nRUN b\r\n').end, { line: 0, character: 6 });
  });

  test('a span past the text is clamped to it', () => {
    const r = findingRange(finding({ line: 9, column: 40, endLine: 12, endColumn: 3 }), 'FROM a\n');
    assert.deepEqual(r.start, { line: 1, character: 0 });
  });

  test('severities, code and source', () => {
    const d = toDiagnostic(finding({ severity: 'info', rule: 'no-trimpath' }), TEXT);
    assert.equal(d.severity, 3);
    assert.equal(d.code, 'no-trimpath');
    assert.equal(d.source, 'goimg');
    assert.equal(toDiagnostic(finding({ severity: 'warning' }), TEXT).severity, 2);
  });

  test('ranges touch when they share a position', () => {
    const a = { start: { line: 2, character: 4 }, end: { line: 2, character: 22 } };
    assert.ok(rangesTouch(a, { start: { line: 2, character: 22 }, end: { line: 2, character: 22 } }));
    assert.ok(!rangesTouch(a, { start: { line: 2, character: 23 }, end: { line: 3, character: 0 } }));
    assert.ok(!rangesTouch(a, { start: { line: 1, character: 0 }, end: { line: 2, character: 3 } }));
  });
});

describe('workspace edits', () => {
  const root = '/w';
  const texts = new Map([['/w/Dockerfile', TEXT]]);
  const target: EditTarget = {
    root,
    textOf: (p) => texts.get(p),
    uriOf: (p) => pathToUri(p),
    versionOf: (uri) => (uri === pathToUri('/w/Dockerfile') ? 7 : null),
  };
  const at = TEXT.indexOf('go build');
  const insert = { kind: 'replace' as const, file: 'Dockerfile', start: at, end: at, text: 'CGO_ENABLED=0 ' };
  const create = { kind: 'create' as const, file: '.dockerignore', text: '.git\n' };

  test('offset edits land where the audit meant them, after non-BMP characters too', () => {
    const changes = fixChanges([insert], target)!;
    const edit = workspaceEdit(changes, target, { documentChanges: false, create: false })!;
    const edits = edit.changes![pathToUri('/w/Dockerfile')]!;
    const doc = TextDocument.create('x', 'dockerfile', 1, TEXT);
    assert.equal(TextDocument.applyEdits(doc, edits), TEXT.replace('go build', 'CGO_ENABLED=0 go build'));
  });

  test('documentChanges carry the open version; a created file needs the create operation', () => {
    const changes = fixChanges([insert, create], target)!;
    assert.equal(workspaceEdit(changes, target, { documentChanges: true, create: false }), undefined);
    assert.equal(workspaceEdit(changes, target, { documentChanges: false, create: true }), undefined);
    const edit = workspaceEdit(changes, target, { documentChanges: true, create: true })!;
    const list = edit.documentChanges as {
      kind?: string;
      uri?: string;
      textDocument?: { version: number | null };
    }[];
    assert.deepEqual(
      list.map((c) => c.kind ?? c.textDocument?.version),
      [7, 'create', null],
    );
  });

  test('a fix never overwrites a file that exists, nor edits one that does not', () => {
    assert.equal(fixChanges([{ ...create, file: 'Dockerfile' }], target), undefined);
    assert.equal(fixChanges([{ ...insert, file: 'missing' }], target), undefined);
  });

  test('a rewrite replaces the whole text', () => {
    const c = rewriteChange('/w/Dockerfile', TEXT, 'FROM scratch\n', false);
    const doc = TextDocument.create('x', 'dockerfile', 1, TEXT);
    assert.equal(TextDocument.applyEdits(doc, c.edits), 'FROM scratch\n');
  });
});

test('a file shows the union of what every lint said about it, each diagnostic once', () => {
  const store = new DiagnosticStore();
  const d = (code: string) => ({
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    code,
    message: code,
  });
  assert.deepEqual(
    store
      .set(
        'a',
        new Map([
          ['a', [d('x')]],
          ['ign', [d('y')]],
        ]),
      )
      .sort(),
    ['a', 'ign'],
  );
  store.set('ign', new Map([['ign', [d('y'), d('z')]]]));
  assert.deepEqual(
    store.get('ign').map((x) => x.code),
    ['y', 'z'],
  );
  assert.deepEqual(store.drop('ign'), ['ign']);
  assert.deepEqual(
    store.get('ign').map((x) => x.code),
    ['y'],
  );
  assert.deepEqual(store.set('a', new Map()).sort(), ['a', 'ign']);
  assert.deepEqual(store.get('ign'), []);
});

test('file kinds and the files that change the project', () => {
  for (const name of ['Dockerfile', 'dockerfile', 'api.Dockerfile', 'Dockerfile.prod'])
    assert.equal(documentKind(`/p/${name}`), 'dockerfile', name);
  for (const name of ['.dockerignore', 'Dockerfile.dockerignore'])
    assert.equal(documentKind(`/p/${name}`), 'dockerignore', name);
  assert.equal(documentKind('/p/main.go'), undefined);
  assert.equal(documentKind('/p/build.txt', 'dockerfile'), 'dockerfile');
  for (const name of ['go.mod', 'go.sum', 'go.work', 'x.go', '.dockerignore', '.goimg.yaml'])
    assert.ok(affectsProject(`/p/${name}`), name);
  assert.ok(!affectsProject('/p/README.md'));
  assert.equal(uriToPath(pathToUri('/p/a b/Dockerfile')), '/p/a b/Dockerfile');
  assert.equal(uriToPath('untitled:Untitled-1'), undefined);
});

test('hover explains the rule with its examples', () => {
  const doc = ruleDoc('libc-mismatch')!;
  const md = hoverMarkdown('libc-mismatch', 'the message')!;
  for (const part of ['the message', doc.title, doc.why, doc.examples.bad, doc.examples.good]) {
    assert.ok(md.includes(part), part);
  }
  assert.equal(hoverMarkdown('no-such-rule', 'x'), undefined);
});
