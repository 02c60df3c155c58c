/** GitLab Code Quality: schema-valid, severities mapped, fingerprints stable and distinct. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gitlabIssues, gitlabSeverity } from '../../../src/report/index.js';
import { runGoimg } from '../../helpers/cli.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { IMAGE_FINDINGS } from './fixtures.js';

interface Issue {
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

test('goimg audit --format gitlab on the seed article matches the Code Quality schema', () => {
  const r = runGoimg(['audit', 'examples/seed-article', '--format', 'gitlab']);
  const json = runGoimg(['audit', 'examples/seed-article', '--format', 'json']);
  assert.equal(r.status, json.status, r.stderr);
  const issues = JSON.parse(r.stdout) as Issue[];
  assertMatchesSchema('gitlab-codequality.schema.json', issues);
  const findings = (
    JSON.parse(json.stdout) as { findings: { rule: string; severity: 'error' | 'warning' | 'info' }[] }
  ).findings;
  assert.equal(issues.length, findings.length);
  assert.ok(issues.length > 0);
  assert.deepEqual(
    issues.map((i) => `${i.check_name} ${i.severity}`).sort(),
    findings.map((f) => `${f.rule} ${gitlabSeverity(f.severity)}`).sort(),
  );
  for (const i of issues) assert.equal(i.location.path, 'examples/seed-article/Dockerfile');
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
  const again = JSON.parse(
    runGoimg(['audit', 'examples/seed-article', '--format', 'gitlab']).stdout,
  ) as Issue[];
  assert.deepEqual(
    again.map((i) => i.fingerprint),
    issues.map((i) => i.fingerprint),
  );
});

test('gitlabSeverity: info stays info, warning is major, error is critical', () => {
  assert.equal(gitlabSeverity('info'), 'info');
  assert.equal(gitlabSeverity('warning'), 'major');
  assert.equal(gitlabSeverity('error'), 'critical');
});

test('gitlabIssues: the fingerprint changes with the line and the message, and image findings are valid', () => {
  const f = { rule: 'no-trimpath', severity: 'info', file: 'Dockerfile', line: 4, message: 'm' } as const;
  const [a] = gitlabIssues([f]);
  const [b] = gitlabIssues([{ ...f, line: 5 }]);
  const [c] = gitlabIssues([{ ...f, message: 'n' }]);
  assert.notEqual(a!.fingerprint, b!.fingerprint);
  assert.notEqual(a!.fingerprint, c!.fingerprint);
  const image = gitlabIssues(IMAGE_FINDINGS, { subject: 'oci:img' });
  assertMatchesSchema('gitlab-codequality.schema.json', image);
  assert.ok(image.every((i) => i.location.path === 'oci:img'));
  assertMatchesSchema('gitlab-codequality.schema.json', gitlabIssues([]));
});
