/**
 * `goimg lsp` over stdio, driven by vscode-jsonrpc as an editor would: initialize, didOpen,
 * diagnostics with exact ranges, didChange (a keystroke re-lints with the cached project; a
 * watched-file notification refreshes it), code actions, hover, fix-all through
 * workspace/executeCommand and workspace/applyEdit (the fixed files then audit clean of fixable
 * findings), a malformed message and bad params (the server answers and stays up), shutdown, exit.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument, type TextEdit } from 'vscode-languageserver-textdocument';
import { ruleDoc } from '../../../src/rules/examples.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { type AppliedEdit, LspClient, type Published } from '../../helpers/lsp-client.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-lsp-'));
const clients: LspClient[] = [];
after(() => {
  for (const c of clients) c.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const CAPABILITIES = {
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
  textDocument: { publishDiagnostics: { versionSupport: true } },
};

function project(name: string): { dir: string; dockerfile: string; uri: string; text: string } {
  const dir = join(scratch, name);
  cpSync(join(REPO_ROOT, 'examples/seed-article'), dir, { recursive: true });
  const dockerfile = join(dir, 'Dockerfile');
  return { dir, dockerfile, uri: pathToFileURL(dockerfile).href, text: readFileSync(dockerfile, 'utf8') };
}

async function started(cwd: string): Promise<LspClient> {
  const client = new LspClient(cwd);
  clients.push(client);
  const init = (await client.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(cwd).href,
    capabilities: CAPABILITIES,
  })) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
  assert.equal(init.serverInfo.name, 'goimg');
  assert.ok(init.capabilities.codeActionProvider);
  assert.equal(init.capabilities.hoverProvider, true);
  await client.conn.sendNotification('initialized', {});
  return client;
}

/** The range of `go build ...` on the `RUN go build` line, worked out from the text itself. */
function goBuildRange(text: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.startsWith('RUN go build'));
  const character = lines[line]!.indexOf('go build');
  return { start: { line, character }, end: { line, character: lines[line]!.trimEnd().length } };
}

const has = (p: Published, rule: string) => p.diagnostics.some((d) => d.code === rule);

/** Applies a workspace edit to texts by uri (documentChanges: creates and text edits). */
function applyWorkspaceEdit(texts: Map<string, string>, e: AppliedEdit['edit']): void {
  for (const change of e.documentChanges ?? []) {
    const c = change as { kind?: string; uri?: string; textDocument?: { uri: string }; edits?: TextEdit[] };
    if (c.kind === 'create') {
      if (!texts.has(c.uri!)) texts.set(c.uri!, '');
      continue;
    }
    const uri = c.textDocument!.uri;
    const doc = TextDocument.create(uri, 'dockerfile', 0, texts.get(uri) ?? '');
    texts.set(uri, TextDocument.applyEdits(doc, c.edits!));
  }
}

test('diagnostics, keystrokes, code action, hover, fix-all, shutdown and exit', async () => {
  const p = project('seed');
  const client = await started(p.dir);
  await client.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: p.uri, languageId: 'dockerfile', version: 1, text: p.text },
  });
  const first = await client.diagnostics((x) => x.uri === p.uri && x.version === 1);
  const libc = first.diagnostics.find((d) => d.code === 'libc-mismatch');
  assert.ok(libc, JSON.stringify(first.diagnostics));
  assert.deepEqual(libc.range, goBuildRange(p.text));
  assert.equal(libc.severity, 1);
  assert.equal(libc.source, 'goimg');

  // A keystroke: CGO_ENABLED=0 before go build clears the mismatch.
  const at = goBuildRange(p.text).start;
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: p.uri, version: 2 },
    contentChanges: [{ range: { start: at, end: at }, text: 'CGO_ENABLED=0 ' }],
  });
  const second = await client.diagnostics((x) => x.uri === p.uri && x.version === 2);
  assert.ok(!has(second, 'libc-mismatch'), JSON.stringify(second.diagnostics));
  assert.ok(has(second, 'no-trimpath'));

  // Undo it (a whole-text change), then ask for the code actions at the go build line.
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: p.uri, version: 3 },
    contentChanges: [{ text: p.text }],
  });
  assert.ok(has(await client.diagnostics((x) => x.uri === p.uri && x.version === 3), 'libc-mismatch'));
  const actions = (await client.conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri: p.uri },
    range: goBuildRange(p.text),
    context: { diagnostics: [] },
  })) as {
    title: string;
    kind: string;
    diagnostics?: { code: string }[];
    edit?: AppliedEdit['edit'];
    command?: { command: string; arguments: unknown[] };
  }[];
  const quick = actions.find((a) => a.kind === 'quickfix' && a.diagnostics?.[0]?.code === 'libc-mismatch');
  assert.ok(quick?.edit, JSON.stringify(actions.map((a) => a.title)));
  const texts = new Map([[p.uri, p.text]]);
  applyWorkspaceEdit(texts, quick.edit);
  assert.match(texts.get(p.uri)!, /^RUN CGO_ENABLED=0 go build -o main \.$/m);
  const fixAll = actions.find((a) => a.kind === 'source.fixAll');
  assert.equal(fixAll?.command?.command, 'goimg.fixAll');

  // Hover on the finding: the rule's documentation.
  const hover = (await client.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: p.uri },
    position: { line: at.line, character: at.character + 1 },
  })) as { contents: { kind: string; value: string } };
  assert.equal(hover.contents.kind, 'markdown');
  assert.ok(hover.contents.value.includes(ruleDoc('libc-mismatch')!.why));

  // Fix all: the server asks the client to apply the edit; written out, the files audit clean.
  const done = (await client.conn.sendRequest('workspace/executeCommand', {
    command: fixAll.command.command,
    arguments: fixAll.command.arguments,
  })) as { applied: boolean; fixed: number };
  assert.equal(done.applied, true);
  assert.ok(done.fixed > 0);
  const edit = client.applied.at(-1)!;
  const all = new Map([[p.uri, p.text]]);
  applyWorkspaceEdit(all, edit.edit);
  assert.ok(all.has(pathToFileURL(join(p.dir, '.dockerignore')).href), 'fix-all creates the .dockerignore');
  for (const [uri, text] of all) writeFileSync(fileURLToPath(uri), text);
  const audit = runGoimg(['audit', p.dir, '--format', 'json', '--fail-on', 'never']);
  assert.equal(audit.status, 0, audit.stderr);
  const left = (JSON.parse(audit.stdout) as { findings: { rule: string; fixable: boolean }[] }).findings;
  assert.deepEqual(
    left.filter((f) => f.fixable),
    [],
  );

  assert.equal(await client.conn.sendRequest('shutdown'), null);
  const exited = client.exited();
  await client.conn.sendNotification('exit');
  assert.equal(await exited, 0);
  assert.equal(client.stderr, '');
});

test('a keystroke reuses the project model; a watched-file change refreshes it', async () => {
  const p = project('watch');
  const client = await started(p.dir);
  await client.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: p.uri, languageId: 'dockerfile', version: 1, text: p.text },
  });
  assert.ok(has(await client.diagnostics((x) => x.uri === p.uri && x.version === 1), 'libc-mismatch'));
  // The program stops importing net/http: nothing links libc any more.
  for (const name of readdirSync(p.dir).filter((n) => n.endsWith('.go'))) rmSync(join(p.dir, name));
  writeFileSync(join(p.dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  // Until the client reports the change, a keystroke keeps the model it has.
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: p.uri, version: 2 },
    contentChanges: [{ text: `${p.text}\n` }],
  });
  assert.ok(has(await client.diagnostics((x) => x.uri === p.uri && x.version === 2), 'libc-mismatch'));
  const before = client.published.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(join(p.dir, 'main.go')).href, type: 2 }],
  });
  const refreshed = await client.diagnostics((x) => x.uri === p.uri, before);
  assert.ok(!has(refreshed, 'libc-mismatch'), JSON.stringify(refreshed.diagnostics));
  assert.ok(has(refreshed, 'no-trimpath'));
});

test('a malformed message and bad params get errors; the server stays up', async () => {
  const p = project('malformed');
  const client = await started(p.dir);
  await client.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: p.uri, languageId: 'dockerfile', version: 1, text: p.text },
  });
  await client.diagnostics((x) => x.uri === p.uri && x.version === 1);
  // Not JSON at all, framed as a message.
  const junk = '{"jsonrpc": "2.0", "id": 99, "method": ';
  client.child.stdin.write(`Content-Length: ${Buffer.byteLength(junk)}\r\n\r\n${junk}`);
  await assert.rejects(
    client.conn.sendRequest('textDocument/hover', { textDocument: 42, position: null }),
    (err: { code: number; message: string }) => err.code === -32602 && /textDocument\.uri/.test(err.message),
  );
  await assert.rejects(
    client.conn.sendRequest('workspace/executeCommand', { command: 'goimg.fixAll', arguments: [] }),
    (err: { code: number }) => err.code === -32602,
  );
  await assert.rejects(
    client.conn.sendRequest('goimg/noSuchMethod', {}),
    (err: { code: number }) => err.code === -32601,
  );
  // Still answering.
  const hover = (await client.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: p.uri },
    position: goBuildRange(p.text).start,
  })) as { contents: { value: string } } | null;
  assert.ok(hover?.contents.value.includes('libc-mismatch'));
  assert.equal(await client.conn.sendRequest('shutdown'), null);
  const exited = client.exited();
  await client.conn.sendNotification('exit');
  assert.equal(await exited, 0);
});

test('a broken .goimg.yaml is one error diagnostic until the watched change fixes it', async () => {
  const p = project('config');
  const config = join(p.dir, '.goimg.yaml');
  writeFileSync(config, 'rules:\n  libc-mismatchh: off\n');
  const client = await started(p.dir);
  await client.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: p.uri, languageId: 'dockerfile', version: 1, text: p.text },
  });
  const broken = await client.diagnostics((x) => x.uri === p.uri && x.version === 1);
  assert.equal(broken.diagnostics.length, 1);
  assert.equal(broken.diagnostics[0]!.severity, 1);
  assert.match(
    broken.diagnostics[0]!.message,
    /\.goimg\.yaml:2:3: unknown rule "libc-mismatchh".*libc-mismatch/,
  );
  writeFileSync(config, 'rules:\n  libc-mismatch: off\n');
  const before = client.published.length;
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(config).href, type: 2 }],
  });
  const fixed = await client.diagnostics((x) => x.uri === p.uri, before);
  assert.ok(!has(fixed, 'libc-mismatch'), 'the rule is off');
  assert.ok(has(fixed, 'no-trimpath'));
});
