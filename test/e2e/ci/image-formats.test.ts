/** `goimg image --format junit|gitlab|checkstyle` on a real image from the engine: same findings as JSON. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parse } from 'junit2json';
import type { Finding } from '../../../src/core/finding.js';
import { gitlabSeverity } from '../../../src/report/index.js';
import { runGoimg } from '../../helpers/cli.js';
import { dockerEnv, hasEngine, hasImage } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const REF = 'docker-daemon:alpine:latest';

test('goimg image: JUnit, GitLab Code Quality and Checkstyle carry the JSON report findings', async (t) => {
  if (!need(t, hasEngine() && hasImage('alpine:latest'), 'a Docker engine with alpine:latest')) return;
  const env = dockerEnv();
  const json = runGoimg(['image', REF, '-f', 'json'], { env });
  assert.ok(json.status === 0 || json.status === 1, json.stderr);
  const findings = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;

  const sarifFile = join(mkdtempSync(join(tmpdir(), 'goimg-e2e-image-formats-')), 'image.sarif');
  const gitlab = runGoimg(['image', REF, '-f', 'gitlab', '--output', `sarif=${sarifFile}`], { env });
  assert.equal(gitlab.status, json.status, gitlab.stderr);
  // --output: the same run wrote the SARIF report a separate run prints.
  assert.equal(readFileSync(sarifFile, 'utf8'), runGoimg(['image', REF, '-f', 'sarif'], { env }).stdout);
  rmSync(dirname(sarifFile), { recursive: true, force: true });
  const issues = JSON.parse(gitlab.stdout) as {
    check_name: string;
    severity: string;
    location: { path: string };
  }[];
  assertMatchesSchema('gitlab-codequality.schema.json', issues);
  assert.deepEqual(
    issues.map((i) => `${i.check_name} ${i.severity} ${i.location.path}`).sort(),
    findings.map((f) => `${f.rule} ${gitlabSeverity(f.severity)} ${REF}`).sort(),
  );

  const junit = runGoimg(['image', REF, '-f', 'junit'], { env });
  assert.equal(junit.status, json.status, junit.stderr);
  const parsed = (await parse(junit.stdout)) as {
    tests?: number;
    testsuite?: { name?: string; testcase?: { failure?: unknown[] }[] }[];
  };
  assert.deepEqual(
    parsed.testsuite?.map((s) => s.name),
    [REF],
  );
  const cases = parsed.testsuite?.[0]?.testcase ?? [];
  assert.equal(cases.length, Math.max(findings.length, 1));
  assert.equal(cases.filter((c) => c.failure).length, findings.filter((f) => f.severity !== 'info').length);

  const checkstyle = runGoimg(['image', REF, '-f', 'checkstyle'], { env });
  assert.equal(checkstyle.status, json.status, checkstyle.stderr);
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'file' || name === 'error',
  }).parse(checkstyle.stdout) as { checkstyle: { file: { name: string; error?: { source: string }[] }[] } };
  assert.deepEqual(
    doc.checkstyle.file.map((f) => f.name),
    [REF],
  );
  assert.deepEqual(
    (doc.checkstyle.file[0]!.error ?? []).map((e) => e.source).sort(),
    findings.map((f) => `goimg.${f.rule}`).sort(),
  );
});
