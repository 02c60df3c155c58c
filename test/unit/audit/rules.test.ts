import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyEdits } from '../../../src/fix/index.js';
import { AUDIT_RULES } from '../../../src/rules/audit/index.js';
import { RULES } from '../../../src/rules/catalog.js';
import {
  audit,
  context,
  contextWith,
  GOOD_ALPINE,
  GOOD_DOCS_GUIDE,
  project,
  rulesOf,
  SEED_ARTICLE,
} from './helpers.js';
import { CASES } from './rule-cases.js';

describe('audit rules flag what they must (where, what they say, what their fix writes) and not their near-misses', () => {
  for (const [rule, { flag, pass }] of Object.entries(CASES)) {
    for (const c of flag) {
      test(`${rule} flags: ${c.name}`, () => {
        const found = audit(c.text, c).filter((f) => f.rule === rule);
        const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
        assert.equal(
          found.length,
          expected.length,
          `expected ${expected.length} ${rule} finding(s); got ${JSON.stringify(found.map((f) => f.message))}`,
        );
        found.forEach((f, i) => {
          const want = expected[i]!;
          assert.equal(`${f.line}:${f.column}-${f.endLine}:${f.endColumn}`, want.at, 'range');
          assert.match(f.message, want.message);
          if (want.severity) assert.equal(f.severity, want.severity, 'severity');
          assert.equal(
            f.fix === undefined,
            want.output === undefined,
            f.fix ? 'fix not expected' : 'fix expected',
          );
          if (f.fix && want.output !== undefined) {
            // A fix edits the Dockerfile, or the entrypoint script the case names.
            const scripts = c.context?.entrypointScripts;
            const file = want.script ?? 'Dockerfile';
            const edits = f.fix.edits.filter((e) => e.file === file);
            assert.ok(edits.length > 0 && edits.every((e) => e.kind === 'replace'));
            const fixed = applyEdits(want.script ? scripts!.get(want.script)! : c.text, edits);
            assert.equal(fixed, want.output, 'fixed text');
            // Idempotent: the fixed text no longer draws this finding at the same place.
            const fixedCase = want.script
              ? {
                  ...c,
                  context: { ...c.context!, entrypointScripts: new Map([...scripts!, [want.script, fixed]]) },
                }
              : c;
            const again = audit(want.script ? c.text : fixed, fixedCase).filter(
              (g) => g.rule === rule && g.fix,
            );
            assert.ok(
              !again.some((g) => g.message === f.message && g.line === f.line),
              'the fix does not settle it',
            );
          }
        });
      });
    }
    for (const c of pass) {
      test(`${rule} passes: ${c.name}`, () => {
        const found = audit(c.text, c).filter((f) => f.rule === rule);
        assert.deepEqual(found, [], `unexpected ${rule}: ${found.map((f) => f.message).join('; ')}`);
      });
    }
  }
});

test('every source rule of the catalog has a check module and test cases', () => {
  const source = RULES.filter((r) => r.scope !== 'image' && r.id !== 'parse-error')
    .map((r) => r.id)
    .sort();
  assert.deepEqual(AUDIT_RULES.map((r) => r.id).sort(), source);
  for (const id of source) {
    assert.ok(
      CASES[id] && CASES[id].flag.length > 0 && CASES[id].pass.length > 0,
      `${id} needs flag and pass cases`,
    );
  }
  for (const r of AUDIT_RULES) {
    assert.ok(r.examples.bad && r.examples.good, `${r.id} examples`);
    const meta = RULES.find((m) => m.id === r.id)!;
    if (meta.fixable) assert.ok(r.fixDescription, `${r.id} is fixable and needs fixDescription`);
  }
});

test('good Dockerfiles (docs guide, alpine nonroot) produce no warning or error', () => {
  for (const text of [GOOD_DOCS_GUIDE, GOOD_ALPINE]) {
    const bad = audit(text).filter((f) => f.severity !== 'info');
    assert.deepEqual(bad, []);
    assert.deepEqual(rulesOf(audit(text)), []);
  }
});

test("the article's Dockerfile produces libc-mismatch at the go build", () => {
  const found = audit(SEED_ARTICLE, { project: project({ goMod: { ...project().goMod!, go: '1.21' } }) });
  const libc = found.find((f) => f.rule === 'libc-mismatch');
  assert.ok(libc);
  assert.equal(libc.severity, 'error');
  assert.equal(libc.line, 7);
  assert.match(libc.message, /net\/http/);
  assert.match(libc.message, /no such file or directory/);
  assert.ok(libc.fixable);
  // The stronger finding replaces cgo-not-disabled for the same build.
  assert.ok(!found.some((f) => f.rule === 'cgo-not-disabled'));
});

test('missing-dockerignore names .git as waste only when the generated file excludes it', () => {
  const withSuggestion = (text: string) => ({
    context: { ...context(null), suggestion: { text, savedBytes: 1000 } },
  });
  const [dropsGit] = audit(SEED_ARTICLE, withSuggestion('.git\nbin\n')).filter(
    (f) => f.rule === 'missing-dockerignore',
  );
  assert.match(dropsGit!.message, /everything in it \(\.git, build outputs/);
  // A build that runs git (git describe for the version) keeps .git in the generated file.
  const [keepsGit] = audit(SEED_ARTICLE, withSuggestion('bin\n**/.env\n')).filter(
    (f) => f.rule === 'missing-dockerignore',
  );
  assert.match(keepsGit!.message, /everything in it \(build outputs, test data, secrets\)/);
  // A context without a .git (an export, a subdirectory of the repository) sends none.
  const [noGit] = audit(SEED_ARTICLE, {
    context: { ...contextWith(['main.go']), suggestion: { text: '.git\nbin\n', savedBytes: 1000 } },
  }).filter((f) => f.rule === 'missing-dockerignore');
  assert.match(noGit!.message, /everything in it \(build outputs, test data, secrets\)/);
});

test('missing-dockerignore: a build that names its paths is judged by what BuildKit sends of them', () => {
  const text =
    'FROM golang:1.25 AS b\nCOPY go.mod main.go ./\nCOPY tests/ /src/tests/\nRUN CGO_ENABLED=0 go build -o /app .';
  const [hit, ...rest] = audit(text, {
    context: {
      ...context(null),
      sentPaths: ['go.mod', 'main.go', 'tests'],
      suggestion: { text: '**/testdata\n', savedBytes: 100_000 },
    },
  }).filter((f) => f.rule === 'missing-dockerignore');
  assert.equal(rest.length, 0);
  assert.match(
    hit!.message,
    /no \.dockerignore; BuildKit sends only the paths the build names \(go\.mod, main\.go, tests\), 123456 bytes \(120\.6 kB\) in 42 files, and a generated \.dockerignore would save 100000 bytes \(97\.7 kB\) of them/,
  );
  assert.deepEqual(hit!.fix?.edits, [{ kind: 'create', file: '.dockerignore', text: '**/testdata\n' }]);
});
