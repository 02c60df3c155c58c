/** `goimg explain`: every rule's documentation offline, the rule list, and clear usage errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../../src/rules/catalog.js';
import { ruleDoc } from '../../../src/rules/examples.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { oracleDir } from '../dockerfile/bkdump.js';

interface ExplainedRule {
  id: string;
  title: string;
  severity: string;
  category: string;
  scope: string;
  fixable: boolean;
  checkedBy: string[];
  why: string;
  examples: { bad: string; good: string };
  fix: string;
}

function explainJson(id: string): ExplainedRule {
  const r = runGoimg(['explain', id, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as unknown;
  assertMatchesSchema('explain.schema.json', report);
  return (report as { rule: ExplainedRule }).rule;
}

test('every rule in the catalog is explained, with its metadata, a bad and a good example and a fix', () => {
  assert.ok(RULES.length > 0);
  for (const meta of RULES) {
    const rule = explainJson(meta.id);
    assert.equal(rule.id, meta.id);
    assert.equal(rule.title, meta.title);
    assert.equal(rule.severity, meta.severity);
    assert.equal(rule.why, meta.why);
    assert.equal(rule.fixable, meta.fixable);
    assert.ok(rule.examples.bad.trim().length > 0, `${meta.id}: bad example`);
    assert.ok(rule.examples.good.trim().length > 0, `${meta.id}: good example`);
    assert.notEqual(rule.examples.bad, rule.examples.good, `${meta.id}: the examples differ`);
    assert.equal(
      /goimg audit --fix/.test(rule.fix),
      meta.fixable,
      `${meta.id}: the fix names --fix iff fixable`,
    );
  }
});

test('the text explanation has every section, the examples verbatim and the severity with its meaning', () => {
  for (const meta of RULES) {
    const r = runGoimg(['explain', meta.id]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = r.stdout;
    assert.ok(out.startsWith(`${meta.id}: ${meta.title}\n`), `${meta.id}: heading`);
    for (const section of ['Why it matters', 'Bad', 'Good', 'Fix', 'Severity']) {
      assert.match(out, new RegExp(`^${section}$`, 'm'), `${meta.id}: ${section}`);
    }
    const rule = ruleDoc(meta.id)!;
    for (const line of [...rule.examples.bad.split('\n'), ...rule.examples.good.split('\n')]) {
      assert.ok(out.includes(`\n  ${line}\n`), `${meta.id}: example line ${line}`);
    }
    assert.match(out, new RegExp(`^  ${meta.severity} by default: `, 'm'), `${meta.id}: severity`);
  }
});

test('docs/rules.md holds the same examples and fix as the explanation', () => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');
  for (const meta of RULES) {
    const rule = ruleDoc(meta.id)!;
    const start = page.indexOf(`<a id="${meta.id}"></a>`);
    assert.ok(start >= 0, `${meta.id}: section`);
    const next = page.indexOf('<a id="', start + 1);
    const section = page.slice(start, next === -1 ? undefined : next);
    assert.ok(section.includes(rule.examples.bad), `${meta.id}: bad example in docs/rules.md`);
    assert.ok(section.includes(rule.examples.good), `${meta.id}: good example in docs/rules.md`);
    assert.ok(section.includes(`Fix: ${rule.fix}`), `${meta.id}: fix in docs/rules.md`);
  }
});

test('the parse-error examples are what they claim: the bad one does not parse, the good one does', () => {
  const rule = explainJson('parse-error');
  const dir = mkdtempSync(join(tmpdir(), 'goimg-explain-'));
  try {
    const rulesIn = (dockerfile: string) => {
      writeFileSync(join(dir, 'Dockerfile'), `${dockerfile}\n`);
      const r = runGoimg(['audit', dir, '--format', 'json', '--fail-on', 'never']);
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    };
    assert.ok(rulesIn(rule.examples.bad).includes('parse-error'));
    assert.ok(!rulesIn(rule.examples.good).includes('parse-error'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a rule, explain lists every rule with its severity and title', () => {
  const r = runGoimg(['explain']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  for (const meta of RULES) {
    const line = lines.find((l) => l.startsWith(`${meta.id} `));
    assert.ok(line, `${meta.id} listed`);
    assert.match(line, new RegExp(`^${meta.id} +${meta.severity} +`));
    assert.ok(line.includes(meta.title), `${meta.id}: title`);
  }
  const json = runGoimg(['explain', '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { rules: { id: string; severity: string }[] };
  assertMatchesSchema('explain.schema.json', report);
  assert.deepEqual(
    report.rules.map((x) => [x.id, x.severity]),
    RULES.map((x) => [x.id, x.severity]),
  );
});

test('an unknown rule is a usage error (exit 2) that suggests the closest id', () => {
  for (const [typed, meant] of [
    ['libc-mismtach', 'libc-mismatch'],
    ['trimpath', 'no-trimpath'],
    ['Runs-As-Root', 'runs-as-root'],
  ] as const) {
    const r = runGoimg(['explain', typed]);
    assert.equal(r.status, 2, typed);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`unknown rule "${typed}"`));
    assert.match(r.stderr, new RegExp(`hint: did you mean '${meant}'\\?`));
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  }
  const far = runGoimg(['explain', 'zzzzzzzz']);
  assert.equal(far.status, 2);
  assert.doesNotMatch(far.stderr, /did you mean/);
  assert.match(far.stderr, /hint: run 'goimg explain' for the list of rules/);
});

test('explain rejects more than one rule and hostile input without echoing control characters', () => {
  const two = runGoimg(['explain', 'no-trimpath', 'runs-as-root']);
  assert.equal(two.status, 2);
  assert.match(two.stderr, /explain takes one rule id, got 2/);
  const hostile = runGoimg(['explain', `\u001b[31mred${'x'.repeat(10_000)}`]);
  assert.equal(hostile.status, 2);
  assert.ok(!hostile.stderr.includes('\u001b'));
  assert.ok(hostile.stderr.length < 1000);
});

test('text findings point to goimg explain, and the command they name works', () => {
  const r = runGoimg(['audit', 'examples/seed-article', '--fail-on', 'never']);
  assert.equal(r.status, 0, r.stderr);
  const hints = [...r.stdout.matchAll(/^ {4}run goimg explain (\S+)$/gm)].map((m) => m[1]!);
  assert.ok(hints.includes('libc-mismatch'), r.stdout);
  assert.doesNotMatch(r.stdout, /rules\.md/);
  const explained = runGoimg(['explain', 'libc-mismatch']);
  assert.equal(explained.status, 0);
});

test('explain names the same check in hadolint and BuildKit, in text and in JSON', () => {
  const json = explainJson('unpinned-base-image') as ExplainedRule & { sameAs?: { hadolint?: string[] } };
  assert.deepEqual(json.sameAs, { hadolint: ['DL3006', 'DL3007'] });
  const text = runGoimg(['explain', 'secrets-in-build-args']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(
    text.stdout,
    /Other tools\n {2}The same check as BuildKit's build check SecretsUsedInArgOrEnv/,
  );
  assert.match(text.stdout.replace(/\s+/g, ' '), /`# check=skip=SecretsUsedInArgOrEnv`/);
  assert.equal((explainJson('no-trimpath') as { sameAs?: unknown }).sameAs, undefined);
});

test("every BuildKit check a rule names is a check in BuildKit's own rule set", (t) => {
  const oracle = oracleDir();
  if (!need(t, oracle !== undefined, "BuildKit's source (shared/oracles/buildkit-parser)")) return;
  const ruleset = readFileSync(join(oracle!, 'frontend', 'dockerfile', 'linter', 'ruleset.go'), 'utf8');
  const names = new Set([...ruleset.matchAll(/Name:\s+"(\w+)"/g)].map((m) => m[1]!));
  const named = RULES.flatMap((r) => r.sameAs?.buildkit ?? []);
  assert.ok(named.length > 0);
  for (const name of named) assert.ok(names.has(name), `${name} is not a BuildKit check`);
});
