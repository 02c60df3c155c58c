/** `goimg audit FILE...`: paths as pre-commit passes them, reported from the current directory. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';

interface Report {
  findings: { rule: string; file?: string; line?: number }[];
}

test('audit of a Dockerfile path equals the audit of its directory, with the path from the current directory', () => {
  const dir = JSON.parse(runGoimg(['audit', 'examples/seed-article', '-f', 'json']).stdout) as Report;
  const file = runGoimg(['audit', 'examples/seed-article/Dockerfile', '-f', 'json']);
  assert.equal(file.status, 1, file.stderr);
  const byFile = JSON.parse(file.stdout) as Report;
  assert.ok(dir.findings.length > 0);
  assert.deepEqual(
    byFile.findings,
    dir.findings.map((f) => ({ ...f, file: `examples/seed-article/${f.file}` })),
  );
});

test('a Dockerfile named twice, or inside a directory also named, is audited once', () => {
  const once = JSON.parse(
    runGoimg(['audit', 'examples/seed-article/Dockerfile', '-f', 'json']).stdout,
  ) as Report;
  const twice = JSON.parse(
    runGoimg(['audit', 'examples/seed-article/Dockerfile', 'examples/seed-article/Dockerfile', '-f', 'json'])
      .stdout,
  ) as Report;
  assert.deepEqual(twice.findings, once.findings);
  const withDir = runGoimg([
    'audit',
    'examples/seed-article',
    'examples/seed-article/Dockerfile',
    '-f',
    'json',
  ]);
  assert.equal((JSON.parse(withDir.stdout) as Report).findings.length, once.findings.length);
});

test('a path that does not exist is a usage error, not a stack trace', () => {
  const r = runGoimg(['audit', 'examples/seed-article/Dockerfile', 'no/such/Dockerfile']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no\/such\/Dockerfile does not exist/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('a .dockerignore path audits the Dockerfiles beside it, named from the current directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-e2e-fileargs-'));
  try {
    cpSync(join(REPO_ROOT, 'examples', 'seed-article'), join(dir, 'svc'), { recursive: true });
    writeFileSync(join(dir, 'svc', '.dockerignore'), '.git\n');
    const r = runGoimg(['audit', 'svc/.dockerignore', '-f', 'json'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as Report).findings;
    assert.ok(findings.length > 0);
    assert.ok(
      findings.every((f) => f.file?.startsWith('svc/')),
      r.stdout,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
