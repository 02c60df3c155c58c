/** Text output: grouped by file, source line with the range underlined, the goimg explain hint, summary. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { palette } from '../../../src/cli/output.js';
import type { Finding } from '../../../src/core/finding.js';
import { renderText, summaryLine } from '../../../src/report/index.js';
import { IMAGE_FINDINGS, seedAudit } from './fixtures.js';

const plain = palette(false);

test('renderText shows the source line, underlines the range and points to goimg explain', () => {
  const source = 'FROM golang:1.22\n\tRUN go build -o /app .\n';
  const f: Finding = {
    rule: 'no-trimpath',
    severity: 'info',
    file: 'Dockerfile',
    line: 2,
    column: 6,
    endLine: 2,
    endColumn: 14,
    message: 'go build without -trimpath',
    fixable: true,
  };
  const out = renderText([f], { sources: new Map([['Dockerfile', source]]), paint: plain, root: 'svc' });
  assert.equal(
    out,
    [
      'svc/Dockerfile',
      '  2:6  info  no-trimpath (fixable)',
      '    go build without -trimpath',
      '    2 | \tRUN go build -o /app .',
      '      | \t    ^^^^^^^^',
      '    run goimg explain no-trimpath',
      '',
      '0 errors, 0 warnings, 1 info',
      '',
    ].join('\n'),
  );
});

test('renderText groups a real audit by file and ends with the summary line', async () => {
  const { findings, sources } = await seedAudit();
  const out = renderText(findings, {
    sources,
    paint: plain,
    root: 'examples/seed-article',
    fixCommand: 'goimg audit --fix',
  });
  assert.equal(out.match(/^examples\/seed-article\/Dockerfile$/gm)?.length, 1);
  assert.match(out, /error {2}libc-mismatch/);
  assert.match(out, /^ {4}run goimg explain libc-mismatch$/m);
  const last = out.trimEnd().split('\n').pop()!;
  assert.match(last, /^\d+ errors?, \d+ warnings?, \d+ info; \d+ fixable with goimg audit --fix$/);
  // Every finding with a line in a known source gets a caret line.
  const carets = out.split('\n').filter((l) => /^ +\| +\^+$/.test(l.replace(/\t/g, ' '))).length;
  assert.equal(carets, findings.length);
});

test('renderText: image findings under the target, multi-line ranges, CRLF, hostile text', () => {
  const source = 'FROM a\r\nRUN x \\\r\n  y\r\n';
  const out = renderText(
    [
      ...IMAGE_FINDINGS,
      {
        rule: 'cleanup-in-later-layer',
        severity: 'warning',
        file: 'Dockerfile',
        line: 2,
        column: 1,
        endLine: 3,
        endColumn: 4,
        message: 'm',
      },
      {
        rule: 'parse-error',
        severity: 'error',
        file: 'Dockerfile',
        line: 9,
        column: 1,
        endLine: 9,
        endColumn: 1,
        message: 'evil \u001b[2J',
      },
    ],
    { sources: new Map([['Dockerfile', source]]), paint: plain, target: 'docker://127.0.0.1:5055/seed:1' },
  );
  assert.match(out, /^docker:\/\/127\.0\.0\.1:5055\/seed:1$/m);
  assert.match(out, /\/lib64\/ld-linux-x86-64\.so\.2 {2}error {2}missing-interpreter/);
  assert.match(out, /\n {4}2 \| RUN x \\\n {6}\| \^{7}\n/, 'underlined to the end of the first line, no \\r');
  assert.doesNotMatch(out, /\u001b/, 'control characters are escaped');
  assert.match(out, /evil \\x1b\[2J/);
  assert.match(out, /2 errors, 2 warnings, 0 info\n$/);
});

test('renderText lines carets up under wide characters and escaped control characters', () => {
  const out = renderText(
    [
      {
        rule: 'parse-error',
        severity: 'error',
        file: 'a',
        line: 1,
        column: 8,
        endLine: 1,
        endColumn: 9,
        message: 'm',
      },
      {
        rule: 'parse-error',
        severity: 'error',
        file: 'b',
        line: 1,
        column: 3,
        endLine: 1,
        endColumn: 5,
        message: 'm',
      },
    ],
    {
      sources: new Map([
        ['a', '# 编译阶段 x\n'],
        ['b', '\u001bXab\n'],
      ]),
      paint: plain,
    },
  );
  assert.match(out, /1 \| # 编译阶段 x\n {6}\| {12}\^\n/);
  assert.match(out, /1 \| \\x1bXab\n {6}\| {6}\^\^\n/);
});

test('renderText with colour paints severities and the summary', () => {
  const out = renderText(IMAGE_FINDINGS, { paint: palette(true) });
  assert.match(out, /\u001b\[31merror\u001b\[39m/);
  assert.match(out, /\u001b\[33mwarning\u001b\[39m/);
});

test('summaryLine', () => {
  assert.equal(summaryLine({ error: 0, warning: 0, info: 0 }), 'no findings');
  assert.equal(summaryLine({ error: 3, warning: 2, info: 1 }), '3 errors, 2 warnings, 1 info');
  assert.equal(summaryLine({ error: 1, warning: 1, info: 0 }), '1 error, 1 warning, 0 info');
  assert.equal(renderText([], { paint: plain }), 'no findings\n');
});
