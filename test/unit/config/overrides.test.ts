/** Rule overrides from the config and --rule, and ignore globs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyRuleOverrides,
  compileIgnore,
  filterIgnored,
  parseRuleFlag,
  parseRuleFlags,
} from '../../../src/config/index.js';
import { UsageError } from '../../../src/core/errors.js';
import type { Finding } from '../../../src/core/finding.js';

const findings: (Finding & { extra?: number })[] = [
  { rule: 'no-trimpath', severity: 'info', message: 'a', file: 'Dockerfile', line: 3, extra: 1 },
  { rule: 'runs-as-root', severity: 'warning', message: 'b', file: 'Dockerfile', line: 9 },
  { rule: 'libc-mismatch', severity: 'error', message: 'c', file: 'Dockerfile', line: 1 },
];

test('applyRuleOverrides drops rules set to off and changes the severity of others', () => {
  const out = applyRuleOverrides(findings, { 'no-trimpath': 'off', 'runs-as-root': 'error' });
  assert.deepEqual(
    out.map((f) => [f.rule, f.severity]),
    [
      ['runs-as-root', 'error'],
      ['libc-mismatch', 'error'],
    ],
  );
  // Other fields are kept, the input is not mutated.
  assert.equal(applyRuleOverrides(findings, { 'no-trimpath': 'warning' })[0]!.extra, 1);
  assert.equal(findings[1]!.severity, 'warning');
  assert.deepEqual(applyRuleOverrides(findings, {}), findings);
});

test('applyRuleOverrides rejects unknown rule ids, listing the valid ones', () => {
  assert.throws(
    () => applyRuleOverrides(findings, { 'made-up': 'off' }),
    (err: Error) =>
      err instanceof UsageError && /unknown rule "made-up"; valid rules: .*no-trimpath/.test(err.message),
  );
  assert.throws(() => applyRuleOverrides(findings, { 'no-trimpat': 'off' }), /did you mean "no-trimpath"/);
});

test('parseRuleFlag parses ID=LEVEL and explains mistakes', () => {
  assert.deepEqual(parseRuleFlag('no-trimpath=off'), { id: 'no-trimpath', level: 'off' });
  assert.deepEqual(parseRuleFlag('runs-as-root=ERROR'), { id: 'runs-as-root', level: 'error' });
  assert.throws(() => parseRuleFlag('no-trimpath'), /--rule expects ID=LEVEL/);
  assert.throws(
    () => parseRuleFlag('no-trimpath=warn'),
    /level must be one of off, info, warning, error, got "warn"; did you mean "warning"/,
  );
  assert.throws(() => parseRuleFlag('trimpath=off'), /unknown rule "trimpath"; did you mean "no-trimpath"/);
  assert.deepEqual(parseRuleFlags(['no-trimpath=off', 'no-trimpath=error']), { 'no-trimpath': 'error' });
});

test('ignore globs: *, **, names at any depth, directories cover their contents', () => {
  const ignored = compileIgnore(['testdata/**', '*.dev.Dockerfile', 'legacy/', '/Dockerfile.old', 'a?c']);
  assert.ok(ignored('testdata/x/Dockerfile'));
  assert.ok(ignored('svc/api.dev.Dockerfile'));
  assert.ok(ignored('api.dev.Dockerfile'));
  assert.ok(ignored('legacy/Dockerfile'));
  assert.ok(ignored('tools/legacy/Dockerfile'), 'a pattern without an inner slash matches at any depth');
  assert.ok(ignored('Dockerfile.old'));
  assert.ok(!ignored('svc/Dockerfile.old'), 'a leading slash anchors to the root');
  assert.ok(ignored('abc'));
  assert.ok(!ignored('abbc'));
  assert.ok(!ignored('Dockerfile'));
  assert.ok(!ignored('testdatax/Dockerfile'));
  const braces = compileIgnore(['deploy/{dev,ci}/**', '.*.Dockerfile']);
  assert.ok(braces('deploy/ci/Dockerfile') && braces('deploy/dev/x/Dockerfile'));
  assert.ok(!braces('deploy/prod/Dockerfile'));
  assert.ok(braces('svc/.local.Dockerfile'), 'dot files match');
  const kept = filterIgnored(
    [{ file: 'testdata/Dockerfile' }, { file: 'Dockerfile' }, { path: '/usr/bin/x' }, {}],
    ['testdata', 'usr/bin/**'],
  );
  assert.deepEqual(kept, [{ file: 'Dockerfile' }, {}]);
});
