/**
 * SARIF output validated against the SARIF 2.1.0 JSON schema (test/helpers/sarif.ts), plus the
 * links between results and rules the schema cannot check.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortFindings } from '../../../src/core/finding.js';
import { applyEdits } from '../../../src/fix/index.js';
import { renderSarif, type SarifLog } from '../../../src/report/index.js';
import { RULES } from '../../../src/rules/catalog.js';
import { assertValidSarif } from '../../helpers/sarif.js';
import { IMAGE_FINDINGS, seedAudit } from './fixtures.js';

test('renderSarif of a real audit is valid SARIF 2.1.0 with regions and rule metadata', async () => {
  const { findings, root } = await seedAudit();
  const log = JSON.parse(renderSarif(findings, { toolVersion: '0.1.0', root })) as SarifLog;
  assertValidSarif(log);
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'goimg');
  assert.equal(run.tool.driver.rules.length, RULES.length);
  assert.equal(run.originalUriBaseIds?.SRCROOT?.uri, `file://${root}/`);
  assert.equal(run.results.length, findings.length);
  const libc = run.tool.driver.rules.find((r) => r.id === 'libc-mismatch')!;
  assert.equal(libc.defaultConfiguration.level, 'error');
  assert.equal(libc.fullDescription.text, RULES.find((r) => r.id === 'libc-mismatch')!.why);
  // package.json names no repository: no web link, the help names the page in the package.
  assert.equal(libc.helpUri, undefined);
  assert.equal(run.tool.driver.informationUri, undefined);
  assert.match(libc.help.text, /docs\/rules\.md#libc-mismatch in the goimg package/);
  const sorted = sortFindings(findings);
  run.results.forEach((result, i) => {
    const finding = sorted[i]!;
    assert.equal(result.ruleId, finding.rule);
    assert.equal(run.tool.driver.rules[result.ruleIndex!]!.id, result.ruleId, 'ruleIndex points at the rule');
    assert.equal(result.message.text, finding.message);
    assert.deepEqual(result.locations[0]!.physicalLocation!.region, {
      startLine: finding.line,
      startColumn: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
    });
    assert.equal(result.locations[0]!.physicalLocation!.artifactLocation.uriBaseId, 'SRCROOT');
  });
  assert.ok(run.results.some((r) => r.ruleId === 'libc-mismatch' && r.level === 'error'));
});

test('with a repository in package.json, SARIF links each rule to its section of docs/rules.md', async () => {
  const { findings, root } = await seedAudit();
  const links = { repository: { type: 'git', url: 'git+https://github.com/example/goimg.git' } };
  const log = JSON.parse(renderSarif(findings, { toolVersion: '0.1.0', root, links })) as SarifLog;
  assertValidSarif(log);
  const driver = log.runs[0]!.tool.driver;
  assert.equal(driver.informationUri, 'https://github.com/example/goimg');
  const libc = driver.rules.find((r) => r.id === 'libc-mismatch')!;
  assert.equal(libc.helpUri, 'https://github.com/example/goimg/blob/HEAD/docs/rules.md#libc-mismatch');
  assert.match(
    libc.help.markdown,
    /\(https:\/\/github\.com\/example\/goimg\/blob\/HEAD\/docs\/rules\.md#libc-mismatch\)/,
  );
});

test('renderSarif carries audit fixes as replacements that rebuild the fixed text', async () => {
  const { findings, sources, root } = await seedAudit();
  const log = JSON.parse(renderSarif(findings, { toolVersion: '0.1.0', root })) as SarifLog;
  assertValidSarif(log);
  const result = log.runs[0]!.results.find((r) => r.ruleId === 'no-trimpath')!;
  const change = result.fixes![0]!.artifactChanges[0]!;
  assert.equal(change.artifactLocation.uri, 'Dockerfile');
  // Applying the replacements to the source gives what src/fix gives for the same fix.
  const source = sources.get('Dockerfile')!;
  const fixed = applyEdits(
    source,
    change.replacements.map((r) => ({
      kind: 'replace' as const,
      file: 'Dockerfile',
      start: r.deletedRegion.charOffset,
      end: r.deletedRegion.charOffset + r.deletedRegion.charLength,
      text: r.insertedContent.text,
    })),
  );
  assert.match(fixed, /go build -trimpath /);
  const ignore = log.runs[0]!.results.find((r) => r.ruleId === 'missing-dockerignore')!;
  assert.equal(ignore.fixes![0]!.artifactChanges[0]!.artifactLocation.uri, '.dockerignore');
  assert.equal(log.runs[0]!.results.find((r) => r.ruleId === 'go-version-unsupported')!.fixes, undefined);
});

test('renderSarif: image findings get an artifact under IMAGEROOT and a logical location', () => {
  const log = JSON.parse(
    renderSarif(
      [
        ...IMAGE_FINDINGS,
        { rule: 'no-trimpath', severity: 'info', message: 'x', file: 'a dir/Dockerfile', line: 1 },
      ],
      {
        toolVersion: '0.1.0',
        image: 'docker://127.0.0.1:5055/seed:1',
      },
    ),
  ) as SarifLog;
  assertValidSarif(log);
  const run = log.runs[0]!;
  const interp = run.results.find((r) => r.ruleId === 'missing-interpreter')!;
  assert.deepEqual(interp.locations[0]!.physicalLocation!.artifactLocation, {
    uri: 'lib64/ld-linux-x86-64.so.2',
    uriBaseId: 'IMAGEROOT',
  });
  assert.equal(
    interp.locations[0]!.logicalLocations![0]!.fullyQualifiedName,
    'docker://127.0.0.1:5055/seed:1:/lib64/ld-linux-x86-64.so.2',
  );
  const root = run.results.find((r) => r.ruleId === 'runs-as-root')!;
  assert.equal(root.locations[0]!.logicalLocations![0]!.fullyQualifiedName, 'docker://127.0.0.1:5055/seed:1');
  assert.equal(root.level, 'warning');
  const info = run.results.find((r) => r.ruleId === 'no-trimpath')!;
  assert.equal(info.level, 'note');
  assert.equal(info.locations[0]!.physicalLocation!.artifactLocation.uri, 'a%20dir/Dockerfile');
  assert.ok(run.originalUriBaseIds?.IMAGEROOT);
});

test('renderSarif with no findings is still a valid log listing the rules', () => {
  const log = JSON.parse(renderSarif([], { toolVersion: '0.1.0' })) as SarifLog;
  assertValidSarif(log);
  assert.deepEqual(log.runs[0]!.results, []);
});

test('the validator rejects a broken log (the schema is really applied)', () => {
  assert.throws(
    () => assertValidSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }),
    /invalid SARIF/,
  );
  assert.throws(() => assertValidSarif({ version: '2.0.0', runs: [] }), /invalid SARIF/);
});
