/**
 * JUnit XML for CI test reports: one testsuite per checked file (or image), one testcase per
 * finding. Errors and warnings are failures; info findings pass with the message as output.
 * A checked file without findings gets one passing testcase, so the report shows it ran.
 */
import type { Finding } from '../core/finding.js';
import { sortFindings } from '../core/finding.js';
import { xmlAttr, xmlText } from './xml.js';

export interface JunitOptions {
  /** Every checked file (or image reference), findings or not. */
  subjects?: readonly string[];
  /** The suite for findings without a file (image findings): the image reference. */
  subject?: string;
}

interface Suite {
  name: string;
  findings: Finding[];
}

function location(f: Finding): string {
  if (f.file !== undefined) return f.line !== undefined ? `${f.file}:${f.line}` : f.file;
  return f.path ?? '';
}

function testcase(suite: string, f: Finding): string {
  const at = location(f);
  const name = at !== '' ? `${f.rule} (${at})` : f.rule;
  const open = `    <testcase classname="${xmlAttr(suite)}" name="${xmlAttr(name)}"${
    f.file !== undefined ? ` file="${xmlAttr(f.file)}"` : ''
  }${f.line !== undefined ? ` line="${f.line}"` : ''}>`;
  const text =
    at !== '' ? `${f.severity} ${f.rule} at ${at}: ${f.message}` : `${f.severity} ${f.rule}: ${f.message}`;
  if (f.severity === 'info')
    return `${open}\n      <system-out>${xmlText(text)}</system-out>\n    </testcase>`;
  return `${open}\n      <failure message="${xmlAttr(f.message)}" type="${f.severity}">${xmlText(text)}</failure>\n    </testcase>`;
}

export function renderJunit(findings: readonly Finding[], options: JunitOptions = {}): string {
  const suites = new Map<string, Suite>();
  const suite = (name: string) => {
    const found = suites.get(name);
    if (found) return found;
    const s: Suite = { name, findings: [] };
    suites.set(name, s);
    return s;
  };
  for (const name of options.subjects ?? []) suite(name);
  for (const f of sortFindings(findings)) suite(f.file ?? options.subject ?? 'goimg').findings.push(f);
  let tests = 0;
  let failures = 0;
  const body: string[] = [];
  for (const s of [...suites.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const failed = s.findings.filter((f) => f.severity !== 'info').length;
    const cases =
      s.findings.length > 0
        ? s.findings.map((f) => testcase(s.name, f))
        : [`    <testcase classname="${xmlAttr(s.name)}" name="${xmlAttr(`goimg (${s.name})`)}"/>`];
    tests += cases.length;
    failures += failed;
    body.push(
      `  <testsuite name="${xmlAttr(s.name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0">`,
      ...cases,
      '  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="goimg" tests="${tests}" failures="${failures}" errors="0">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
