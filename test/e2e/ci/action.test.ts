/**
 * The GitHub Action run as the runner runs it: `node action/main.mjs` with INPUT_* variables,
 * GITHUB_WORKSPACE, and the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, on a copy of the seed
 * article. The annotations, outputs, summary and SARIF are checked against goimg's own JSON.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../../../src/core/finding.js';
import { goimgEnv, REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { dockerEnv, hasEngine, hasImage, hasTool } from '../../helpers/env.js';
import { isolatedGitEnv } from '../../helpers/git-repo.js';
import { need } from '../../helpers/requirements.js';
import { assertValidSarif } from '../../helpers/sarif.js';

const ENTRY = join(REPO_ROOT, 'action', 'main.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-action-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Reads the GITHUB_OUTPUT file's `name<<DELIMITER` blocks as the runner does. */
function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    assert.ok(end > i, `unterminated output ${m[1]}`);
    out[m[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

let runs = 0;
function runAction(workspace: string, inputs: Record<string, string>, entry = ENTRY): ActionRun {
  runs += 1;
  const outputFile = join(scratch, `output-${runs}`);
  const summaryFile = join(scratch, `summary-${runs}.md`);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTION_PATH: join(entry, '..', '..'),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const r = spawnSync(process.execPath, [entry], {
    cwd: workspace,
    env: goimgEnv({ ...dockerEnv(), ...env }),
    encoding: 'utf8',
  });
  return {
    status: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: readOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

function workspaceWith(dir: string): string {
  const ws = mkdtempSync(join(scratch, 'ws-'));
  cpSync(join(REPO_ROOT, 'examples', 'seed-article'), join(ws, dir), { recursive: true });
  return ws;
}

function findingsOf(dir: string): Finding[] {
  const r = runGoimg(['audit', dir, '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

/** A Markdown table row's cells, split on the pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

test('action.yml declares a node20 action whose inputs are the ones the entry point reads', () => {
  const meta = parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, unknown>;
    runs: { using: string; main: string };
  };
  assert.equal(meta.runs.using, 'node20');
  assert.ok(existsSync(join(REPO_ROOT, meta.runs.main)));
  const source = readFileSync(ENTRY, 'utf8');
  const read = [...source.matchAll(/input\(env, '([a-z-]+)'/g)].map((m) => m[1]!);
  assert.deepEqual(Object.keys(meta.inputs).sort(), [...new Set(read)].sort());
  for (const name of ['findings', 'errors', 'warnings', 'infos', 'sarif', 'exit-code'])
    assert.ok(name in meta.outputs, name);
});

test('the action on the seed article: annotations, outputs, job summary and SARIF agree with goimg', () => {
  const ws = workspaceWith('app');
  const expected = findingsOf(join(ws, 'app'));
  assert.ok(expected.some((f) => f.severity === 'error'));
  const r = runAction(ws, { path: 'app', 'fail-on': 'warning', sarif: 'goimg.sarif' });
  assert.equal(r.status, 1, r.stderr);

  // Annotations: one workflow command per finding, paths from the repository root.
  const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
  assert.equal(annotations.length, expected.length);
  for (const f of expected) {
    const kind = f.severity === 'info' ? 'notice' : f.severity;
    assert.ok(
      annotations.some((a) => a.startsWith(`::${kind} file=app/${f.file},line=${f.line},`)),
      `${f.rule} at ${f.line}`,
    );
  }

  const count = (s: string) => expected.filter((f) => f.severity === s).length;
  assert.deepEqual(r.outputs, {
    'exit-code': '1',
    sarif: 'goimg.sarif',
    findings: String(expected.length),
    errors: String(count('error')),
    warnings: String(count('warning')),
    infos: String(count('info')),
  });

  assert.match(r.summary, /^### goimg audit: app\n/);
  assert.match(r.summary, /fails: findings at or above warning/);
  const rows = r.summary.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| severity'));
  assert.equal(rows.length, expected.length);
  for (const row of rows) {
    const [severity, rule, where] = cells(row);
    assert.ok(
      expected.some((f) => f.severity === severity && f.rule === rule && `app/${f.file}:${f.line}` === where),
      row,
    );
  }

  const sarif = JSON.parse(readFileSync(join(ws, 'goimg.sarif'), 'utf8')) as {
    runs: {
      results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    }[];
  };
  assertValidSarif(sarif);
  const results = sarif.runs[0]!.results;
  assert.deepEqual(results.map((x) => x.ruleId).sort(), expected.map((f) => f.rule).sort());
  for (const x of results)
    assert.equal(x.locations[0]!.physicalLocation.artifactLocation.uri, 'app/Dockerfile');
});

test('the action passes under fail-on never, prints the chosen format and escapes the summary', () => {
  const dir = 'svc | <b>one & two';
  const ws = workspaceWith(dir);
  const expected = findingsOf(join(ws, dir));
  const r = runAction(ws, { path: dir, 'fail-on': 'never', format: 'json', sarif: 'out.sarif' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length, expected.length);
  assert.equal(r.outputs['exit-code'], '0');
  assert.equal(r.outputs.findings, String(expected.length));
  assert.equal(r.outputs.sarif, 'out.sarif');
  const sarif = JSON.parse(readFileSync(join(ws, 'out.sarif'), 'utf8')) as {
    runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  };
  assertValidSarif(sarif);
  for (const x of sarif.runs[0]!.results)
    assert.equal(
      x.locations[0]!.physicalLocation.artifactLocation.uri,
      `${encodeURIComponent(dir)}/Dockerfile`,
    );
  assert.match(r.summary, /passes \(fails on never\)/);
  assert.doesNotMatch(r.summary, /<b>/);
  const rows = r.summary.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| severity'));
  assert.equal(rows.length, expected.length);
  for (const row of rows) assert.equal(cells(row).length, 4, row);
});

test('the action reports bad input as an annotation and an exit code, never a stack trace', () => {
  const ws = workspaceWith('app');
  const wrong = runAction(ws, { command: 'build' });
  assert.equal(wrong.status, 2);
  assert.match(wrong.stdout, /^::error title=goimg::input command must be audit or image, got "build"$/m);

  const missing = runAction(ws, { path: 'no-such-dir' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no-such-dir/);
  assert.match(missing.stdout, /^::error title=goimg::goimg audit stopped with exit code 2$/m);
  assert.equal(missing.outputs['exit-code'], '2');
  assert.equal(missing.outputs.findings, undefined);
  assert.match(missing.summary, /goimg stopped with exit code 2/);
  for (const r of [wrong, missing]) assert.doesNotMatch(`${r.stdout}${r.stderr}`, /\n\s+at /);
});

test('a release tag carries the CLI bundle: the action runs from the tagged tree without node_modules', (t) => {
  if (!need(t, hasTool('git') && hasTool('tar'), 'git and tar')) return;
  const repo = mkdtempSync(join(scratch, 'repo-'));
  const env = goimgEnv({
    ...isolatedGitEnv(scratch),
  });
  const run = (cmd: string, args: string[], cwd = repo) => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  for (const path of [
    'action.yml',
    'action',
    'bin',
    'package.json',
    '.gitignore',
    'scripts/release-action.mjs',
  ])
    cpSync(join(REPO_ROOT, path), join(repo, path), { recursive: true });
  run('git', ['init', '-q']);
  run('git', ['add', '.']);
  run('git', ['commit', '-q', '-m', 'source']);
  const head = run('git', ['rev-parse', 'HEAD']);
  cpSync(join(REPO_ROOT, 'dist', 'cli'), join(repo, 'dist', 'cli'), { recursive: true });

  run(process.execPath, ['scripts/release-action.mjs', 'v1', '--no-build']);
  assert.equal(run('git', ['rev-parse', 'HEAD']), head, 'the branch does not move');
  assert.equal(run('git', ['status', '--porcelain']), '', 'the working tree is untouched');
  assert.equal(run('git', ['rev-parse', 'v1^']), head);

  const checkout = join(scratch, 'checkout');
  mkdirSync(checkout);
  const archive = join(scratch, 'v1.tar');
  run('git', ['archive', '--output', archive, 'v1']);
  run('tar', ['-xf', archive, '-C', checkout]);
  assert.ok(existsSync(join(checkout, 'dist', 'cli', 'main.js')));
  assert.ok(!existsSync(join(checkout, 'node_modules')));

  const ws = workspaceWith('app');
  const expected = findingsOf(join(ws, 'app'));
  const r = runAction(ws, { path: 'app' }, join(checkout, 'action', 'main.mjs'));
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.outputs.findings, String(expected.length));
  assert.equal(
    r.stdout.split('\n').filter((l) => /^::(error|warning|notice) file=app\//.test(l)).length,
    expected.length,
  );
});

test('the action on a built image: one read of the image feeds annotations, outputs, summary and SARIF', (t) => {
  if (!need(t, hasEngine() && hasImage('alpine:latest'), 'a Docker engine with alpine:latest')) return;
  const ref = 'docker-daemon:alpine:latest';
  const json = runGoimg(['image', ref, '--format', 'json'], { env: dockerEnv() });
  assert.ok(json.status === 0 || json.status === 1, json.stderr);
  const expected = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;
  const ws = mkdtempSync(join(scratch, 'ws-'));
  const r = runAction(ws, { command: 'image', path: ref, 'fail-on': 'never', sarif: 'image.sarif' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.outputs.findings, String(expected.length));
  assert.equal(
    r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l)).length,
    expected.length,
  );
  assert.match(r.summary, /^### goimg image: docker-daemon:alpine:latest\n/);
  const sarif = JSON.parse(readFileSync(join(ws, 'image.sarif'), 'utf8')) as {
    runs: { results: unknown[] }[];
  };
  assertValidSarif(sarif);
  assert.equal(sarif.runs[0]!.results.length, expected.length);
});
