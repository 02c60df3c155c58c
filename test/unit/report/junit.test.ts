/** JUnit XML: read back by a JUnit parser, hostile text escaped, clean files still reported. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'junit2json';
import { type Finding, summarize } from '../../../src/core/finding.js';
import { renderJunit } from '../../../src/report/index.js';
import { runGoimg } from '../../helpers/cli.js';
import { IMAGE_FINDINGS } from './fixtures.js';

interface Case {
  classname?: string;
  name?: string;
  file?: string;
  line?: number;
  failure?: { message?: string; type?: string; inner?: string }[];
  'system-out'?: string[];
}
interface Suite {
  name?: string;
  tests?: number;
  failures?: number;
  testcase?: Case[];
}
interface Suites {
  tests?: number;
  failures?: number;
  testsuite?: Suite[];
}

test('goimg audit --format junit on the seed article: one testcase per finding, failures for errors and warnings', async () => {
  const junit = runGoimg(['audit', 'examples/seed-article', '--format', 'junit']);
  const json = runGoimg(['audit', 'examples/seed-article', '--format', 'json']);
  assert.equal(junit.status, json.status, junit.stderr);
  const findings = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;
  assert.ok(findings.length > 0);
  const parsed = (await parse(junit.stdout)) as Suites;
  const suites = parsed.testsuite ?? [];
  assert.deepEqual(
    suites.map((s) => s.name),
    ['examples/seed-article/Dockerfile'],
  );
  const cases = suites.flatMap((s) => s.testcase ?? []);
  assert.equal(cases.length, findings.length);
  assert.equal(parsed.tests, findings.length);
  const s = summarize(findings);
  assert.equal(parsed.failures, s.error + s.warning);
  assert.equal(cases.filter((c) => c.failure).length, s.error + s.warning);
  assert.deepEqual(cases.map((c) => c.name?.split(' ')[0]).sort(), findings.map((f) => f.rule).sort());
  for (const c of cases) {
    assert.equal(c.file, 'examples/seed-article/Dockerfile');
    assert.ok(typeof c.line === 'number' && c.line >= 1);
    if (c.failure) assert.ok(['error', 'warning'].includes(c.failure[0]!.type!));
    else assert.match(c['system-out']![0]!, /^info /);
  }
});

test('renderJunit: a checked file without findings is one passing testcase', async () => {
  const parsed = (await parse(renderJunit([], { subjects: ['Dockerfile', 'api.Dockerfile'] }))) as Suites;
  assert.equal(parsed.tests, 2);
  assert.equal(parsed.failures, 0);
  for (const suite of parsed.testsuite ?? []) {
    assert.equal(suite.testcase?.length, 1);
    assert.equal(suite.testcase?.[0]?.failure, undefined);
  }
});

test('renderJunit: quotes, markup, ampersands and control characters survive a real parser', async () => {
  const hostile = `say "hi" & <b>'bye'</b> ]]> \u0001\u001b[31m \uD800 end`;
  const out = renderJunit(
    [{ rule: 'runs-as-root', severity: 'error', file: 'a"<&>.Dockerfile', line: 3, message: hostile }],
    { subjects: ['a"<&>.Dockerfile'] },
  );
  assert.doesNotMatch(out, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  const parsed = (await parse(out)) as Suites;
  const c = parsed.testsuite?.[0]?.testcase?.[0];
  assert.equal(parsed.testsuite?.[0]?.name, 'a"<&>.Dockerfile');
  assert.equal(c?.file, 'a"<&>.Dockerfile');
  const message = c?.failure?.[0]?.message ?? '';
  assert.ok(message.startsWith(`say "hi" & <b>'bye'</b> ]]> `), message);
  assert.ok(message.includes('\\x01\\x1b[31m'), message);
  assert.ok(message.endsWith('\uFFFD end'), message);
  assert.ok(c?.failure?.[0]?.inner?.includes(`say "hi" & <b>'bye'</b>`));
});

test('renderJunit: image findings group under the image reference', async () => {
  const parsed = (await parse(
    renderJunit(IMAGE_FINDINGS, { subjects: ['oci:img'], subject: 'oci:img' }),
  )) as Suites;
  assert.equal(parsed.testsuite?.length, 1);
  assert.equal(parsed.testsuite?.[0]?.name, 'oci:img');
  assert.equal(parsed.testsuite?.[0]?.testcase?.length, IMAGE_FINDINGS.length);
});
