/**
 * A vulnerability check as text, JSON and SARIF. Text from the database is shown through
 * `visible`: a remote advisory must not drive the terminal.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Palette } from '../core/palette.js';
import { visible } from '../report/sanitize.js';
import { type SarifLog, type SarifResult, type SarifRule, sarifLevel } from '../report/sarif.js';
import type { VulnReport } from './check.js';
import type { VulnFinding } from './match.js';

export interface VulnRun {
  db: { source: string; modified: string };
  binaries: VulnReport[];
}

export function counts(reports: readonly VulnReport[]): {
  reachable: number;
  notPresent: number;
  unchecked: number;
} {
  let reachable = 0;
  let notPresent = 0;
  for (const r of reports)
    for (const f of r.findings) {
      if (f.level === 'symbol') reachable++;
      else notPresent++;
    }
  return { reachable, notPresent, unchecked: reports.filter((r) => r.status !== 'checked').length };
}

export function renderVulnJson(run: VulnRun): string {
  return JSON.stringify({ version: 1, ...run, summary: counts(run.binaries) }, null, 2);
}

function headline(f: VulnFinding): string {
  const aliases = f.aliases.length > 0 ? ` (${f.aliases.map(visible).join(', ')})` : '';
  const fixed = f.fixed ? `, fixed in ${visible(f.fixed)}` : ', no fix yet';
  return `${visible(f.id)}${aliases} ${visible(f.module)} ${visible(f.found) || '(unknown version)'}${fixed}`;
}

function findingLines(f: VulnFinding, paint: Palette): string[] {
  const lines = [`  ${f.level === 'symbol' ? paint.red(headline(f)) : headline(f)}`];
  if (f.summary) lines.push(`    ${visible(f.summary)}`);
  for (const p of f.packages) {
    if (f.level === 'symbol' && p.present.length > 0 && p.vulnerable.length === 0)
      lines.push(
        `    in the binary: ${visible(p.path)} (the whole package is affected; ${p.present.length} of its functions)`,
      );
    else if (f.level === 'symbol' && p.present.length > 0)
      lines.push(`    in the binary: ${visible(p.path)} ${p.present.map(visible).join(', ')}`);
    else if (f.level !== 'symbol') {
      const which = p.vulnerable.length > 0 ? p.vulnerable.map(visible).join(', ') : 'any function';
      lines.push(`    not in the binary: ${visible(p.path)} ${which}`);
    }
  }
  lines.push(`    fix: ${visible(f.fix)}`);
  return lines;
}

/** One binary's lines: its headline, then reachable findings, then the others. */
export function renderVulnReport(r: VulnReport, paint: Palette): string[] {
  if (r.status !== 'checked') return [`${paint.bold(visible(r.file))}: ${r.reason ?? r.status}`];
  const out: string[] = [];
  const reachable = r.findings.filter((f) => f.level === 'symbol');
  const other = r.findings.filter((f) => f.level !== 'symbol');
  const head = `${paint.bold(visible(r.file))} (${visible(r.goVersion ?? '')}): `;
  out.push(
    head +
      (reachable.length === 0
        ? paint.green('no vulnerable function present')
        : paint.red(
            `${reachable.length} vulnerabilit${reachable.length === 1 ? 'y' : 'ies'} with vulnerable functions present`,
          )),
  );
  for (const f of reachable) out.push(...findingLines(f, paint));
  if (other.length > 0) {
    out.push(`  ${paint.dim(`${other.length} more: module affected, function not present`)}`);
    for (const f of other) out.push(...findingLines(f, paint));
  }
  return out;
}

export function dbLine(db: VulnRun['db'], paint: Palette): string {
  return paint.dim(`vulnerability database: ${visible(db.source)} (modified ${visible(db.modified)})`);
}

export function renderVulnText(run: VulnRun, paint: Palette): string {
  return [...run.binaries.flatMap((r) => renderVulnReport(r, paint)), dbLine(run.db, paint)].join('\n');
}

function fileUri(file: string): string {
  return isAbsolute(file) ? pathToFileURL(file).href : file.split('/').map(encodeURIComponent).join('/');
}

export function vulnSarif(run: VulnRun, toolVersion: string): SarifLog {
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  const results: SarifResult[] = [];
  for (const r of run.binaries) {
    for (const f of r.findings) {
      if (!index.has(f.id)) {
        index.set(f.id, rules.length);
        const url = `https://pkg.go.dev/vuln/${f.id}`;
        const text = f.summary || f.id;
        rules.push({
          id: f.id,
          name: f.id,
          shortDescription: { text },
          fullDescription: { text: f.aliases.length > 0 ? `${text} (${f.aliases.join(', ')})` : text },
          helpUri: url,
          help: { text: `${text} See ${url}.`, markdown: `${text}\n\n[${f.id}](${url})` },
          defaultConfiguration: { level: 'error' },
          properties: {
            category: 'vulnerability',
            scope: 'binary',
            fixable: false,
            tags: ['security', ...f.aliases],
          },
        });
      }
      const present = f.packages.flatMap((p) => p.present.map((s) => `${p.path}.${s}`));
      const where =
        f.level === 'symbol' ? `present: ${present.join(', ')}` : 'module affected, function not present';
      results.push({
        ruleId: f.id,
        ruleIndex: index.get(f.id) as number,
        level: sarifLevel(f.severity),
        message: {
          text: `${f.id}: ${f.module} ${f.found || '(unknown version)'}${f.fixed ? `, fixed in ${f.fixed}` : ''}; ${where}; fix: ${f.fix}`,
        },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: fileUri(r.file) } },
            logicalLocations: [{ fullyQualifiedName: f.module, kind: 'module' }],
          },
        ],
      });
    }
  }
  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'goimg', version: toolVersion, semanticVersion: toolVersion, rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
