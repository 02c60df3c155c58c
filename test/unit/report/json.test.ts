/** The JSON contract: version 1, contract keys only, summary counts, valid against the schemas. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonReport, renderJson } from '../../../src/report/index.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { IMAGE_FINDINGS, seedAudit } from './fixtures.js';

test('renderJson of a real audit matches schemas/audit.schema.json', async () => {
  const { findings } = await seedAudit();
  assert.ok(findings.some((f) => f.rule === 'libc-mismatch'));
  const report = JSON.parse(renderJson({ findings })) as {
    version: number;
    findings: Record<string, unknown>[];
    summary: Record<string, number>;
  };
  assertMatchesSchema('audit.schema.json', report);
  assert.equal(report.version, 1);
  assert.deepEqual(Object.keys(report), ['version', 'findings', 'summary']);
  assert.equal(report.findings.length, findings.length);
  assert.equal(report.summary.error! + report.summary.warning! + report.summary.info!, findings.length);
  // The in-memory fix never leaks into the contract; every finding says whether it is fixable.
  for (const f of report.findings) {
    assert.equal('fix' in f, false);
    assert.equal(typeof f.fixable, 'boolean');
  }
  assert.deepEqual(Object.keys(report.findings[0]!), [
    'rule',
    'severity',
    'file',
    'line',
    'column',
    'endLine',
    'endColumn',
    'message',
    'fixable',
  ]);
});

test('renderJson with no findings', () => {
  const report = JSON.parse(renderJson({ findings: [] }));
  assert.deepEqual(report, { version: 1, findings: [], summary: { error: 0, warning: 0, info: 0 } });
  assertMatchesSchema('audit.schema.json', report);
});

test('jsonReport keeps extra keys for other commands and cannot be made to lie about version or summary', () => {
  const report = jsonReport({ findings: IMAGE_FINDINGS, ref: 'docker://x', version: 7, summary: 'no' });
  assert.equal(report.version, 1);
  assert.equal(report.ref, 'docker://x');
  assert.deepEqual(report.summary, { error: 1, warning: 1, info: 0 });
  for (const f of report.findings) assertMatchesSchema('finding.schema.json', f);
  // Image findings are not source findings: the audit contract rejects them.
  assert.throws(() => assertMatchesSchema('audit.schema.json', { ...report, ref: undefined }));
});
