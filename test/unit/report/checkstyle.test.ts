/** Checkstyle XML: read back by a real XML parser, hostile text escaped, clean files still listed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Finding } from '../../../src/core/finding.js';
import { renderCheckstyle } from '../../../src/report/index.js';
import { runGoimg } from '../../helpers/cli.js';
import { IMAGE_FINDINGS } from './fixtures.js';

interface CheckstyleError {
  line?: number;
  column?: number;
  severity: string;
  message: string;
  source: string;
}
interface CheckstyleFile {
  name: string;
  error?: CheckstyleError[];
}

function parse(xml: string): CheckstyleFile[] {
  assert.equal(XMLValidator.validate(xml), true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'file' || name === 'error',
  });
  const doc = parser.parse(xml) as { checkstyle: { version: string; file?: CheckstyleFile[] } };
  assert.equal(doc.checkstyle.version, '4.3');
  return doc.checkstyle.file ?? [];
}

test('goimg audit --format checkstyle on the seed article: one error element per finding', () => {
  const xml = runGoimg(['audit', 'examples/seed-article', '--format', 'checkstyle']);
  const json = runGoimg(['audit', 'examples/seed-article', '--format', 'json']);
  assert.equal(xml.status, json.status, xml.stderr);
  const findings = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;
  const files = parse(xml.stdout);
  assert.deepEqual(
    files.map((f) => f.name),
    ['examples/seed-article/Dockerfile'],
  );
  const errors = files[0]!.error ?? [];
  assert.deepEqual(
    errors.map((e) => `${e.source} ${e.severity} ${e.line}:${e.column}`).sort(),
    findings.map((f) => `goimg.${f.rule} ${f.severity} ${f.line}:${f.column}`).sort(),
  );
  assert.deepEqual(errors.map((e) => e.message).sort(), findings.map((f) => f.message).sort());
});

test('renderCheckstyle: a checked file without findings is listed; hostile text survives the parser', () => {
  const hostile = `say "hi" & <b>'bye'</b> ]]> \u0001 end`;
  const xml = renderCheckstyle(
    [{ rule: 'runs-as-root', severity: 'error', file: 'a"<&>.Dockerfile', line: 3, message: hostile }],
    { subjects: ['a"<&>.Dockerfile', 'clean.Dockerfile'] },
  );
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  const files = parse(xml);
  assert.deepEqual(
    files.map((f) => f.name),
    ['a"<&>.Dockerfile', 'clean.Dockerfile'],
  );
  assert.equal(files[1]!.error, undefined);
  const message = files[0]!.error![0]!.message;
  assert.ok(message.startsWith(`say "hi" & <b>'bye'</b> ]]> `), message);
});

test('renderCheckstyle: image findings are filed under the image reference, with their paths', () => {
  const files = parse(renderCheckstyle(IMAGE_FINDINGS, { subjects: ['oci:img'], subject: 'oci:img' }));
  assert.equal(files.length, 1);
  assert.equal(files[0]!.name, 'oci:img');
  assert.equal(files[0]!.error?.length, IMAGE_FINDINGS.length);
  for (const [i, f] of IMAGE_FINDINGS.entries())
    if (f.path !== undefined)
      assert.ok(
        files[0]!.error!.some((e) => e.message === `${f.path}: ${f.message}`),
        `${i}`,
      );
});
