/**
 * The job summary: goimg's JSON findings as a Markdown table. Messages come from the audited
 * files, so every cell is escaped: no markup, link or HTML of theirs reaches the page.
 */

const MAX_ROWS = 200;
const SEVERITIES = ['error', 'warning', 'info'];

/** Counts by severity. */
export function counts(findings) {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.severity in c) c[f.severity] += 1;
  return c;
}

/** Text made inert for a Markdown table cell. */
export function cell(text) {
  return String(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function where(f, prefix) {
  if (f.file !== undefined) {
    const file = prefix === '' ? f.file : `${prefix}/${f.file}`;
    return f.line !== undefined ? `${file}:${f.line}` : file;
  }
  return f.path ?? '';
}

/**
 * @param {{ command: string, target: string, failOn: string, exitCode: number,
 *   findings?: { rule: string, severity: string, file?: string, line?: number, path?: string, message: string }[],
 *   prefix?: string }} report  prefix: the audited directory, prepended to the findings' files
 */
export function renderSummary(report) {
  const head = `### goimg ${report.command}: ${cell(report.target)}`;
  if (report.findings === undefined)
    return `${head}\n\ngoimg stopped with exit code ${report.exitCode}: the step's log says why.\n`;
  const c = counts(report.findings);
  const total = report.findings.length;
  const verdict =
    report.exitCode === 1
      ? `fails: findings at or above ${report.failOn}`
      : `passes (fails on ${report.failOn})`;
  const lines = [
    head,
    '',
    total === 0
      ? `No findings; ${verdict}.`
      : `${plural(total, 'finding')}: ${c.error} error, ${c.warning} warning, ${c.info} info; ${verdict}.`,
  ];
  if (total > 0) {
    const sorted = [...report.findings].sort(
      (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
    );
    lines.push('', '| severity | rule | where | message |', '|---|---|---|---|');
    for (const f of sorted.slice(0, MAX_ROWS))
      lines.push(
        `| ${cell(f.severity)} | ${cell(f.rule)} | ${cell(where(f, report.prefix ?? ''))} | ${cell(f.message)} |`,
      );
    if (total > MAX_ROWS) lines.push('', `${total - MAX_ROWS} more in the annotations and reports.`);
    lines.push('', 'Run `goimg explain RULE` for why a rule matters and how to fix it.');
  }
  return `${lines.join('\n')}\n`;
}
