/**
 * `goimg vuln FILE...`: the Go vulnerability database matched against executables, narrowed to
 * the vulnerable functions each binary really contains.
 */

import { ExitCode, UsageError } from '../core/errors.js';
import { type FailOn, failsThreshold } from '../core/finding.js';
import { version } from '../core/version.js';
import { defaultCacheDir } from '../env/cache-dir.js';
import {
  checkBinary,
  dbLine,
  openVulnDb,
  PUBLIC_VULN_DB,
  renderVulnJson,
  renderVulnReport,
  renderVulnText,
  type VulnDb,
  type VulnReport,
  type VulnRun,
  vulnSarif,
} from '../vuln/index.js';
import type { Command, OptionValues } from './command.js';
import { flagOption, parseFailOn, stringOption } from './options.js';
import type { Output } from './output.js';

/** The database --vuln-db, GOVULNDB or the public one names, honouring --offline and GOIMG_OFFLINE. */
export async function openDb(options: OptionValues, out: Output): Promise<VulnDb> {
  const spec = stringOption(options, 'vuln-db') ?? (process.env.GOVULNDB || PUBLIC_VULN_DB);
  const offline = flagOption(options, 'offline') || process.env.GOIMG_OFFLINE === '1';
  return openVulnDb(spec, { offline, cacheDir: defaultCacheDir(), warn: (t) => out.note(`warning: ${t}`) });
}

/** Whether any finding reaches --fail-on: reachable ones are errors, the others info. */
export function vulnsFail(reports: readonly VulnReport[], failOn: FailOn): boolean {
  const findings = reports.flatMap((b) =>
    b.findings.map((f) => ({ rule: f.id, severity: f.severity, message: '' })),
  );
  return failsThreshold(findings, failOn);
}

/** `goimg binary --vuln`: each file's report and text section, the database line, the verdict. */
export async function binaryVulnerabilities(
  files: readonly string[],
  options: OptionValues,
  out: Output,
  failOn: FailOn,
): Promise<{ db: string; vulns: VulnReport[]; text: string[]; fails: boolean }> {
  const db = await openDb(options, out);
  const vulns: VulnReport[] = [];
  for (const file of files) vulns.push(await checkBinary(file, db));
  return {
    db: dbLine(db, out.paint),
    vulns,
    text: vulns.map((v) => renderVulnReport(v, out.paint).join('\n')),
    fails: vulnsFail(vulns, failOn),
  };
}

export const vulnCommand: Command = {
  name: 'vuln',
  summary: 'known vulnerabilities of Go executables, narrowed to the vulnerable functions they contain',
  usage:
    'goimg vuln FILE... [--format text|json|sarif] [--vuln-db URL|file://DIR] [--offline] [--fail-on LEVEL]',
  help: [
    "Matches the Go vulnerability database against each binary's Go version (the standard",
    'library) and every module in its build info, then keeps the advisories whose vulnerable',
    "functions are in the binary's function table or inlined into its functions (stripped",
    "binaries included), as govulncheck's binary mode does. An advisory whose module is affected",
    'but whose functions are not in the binary is listed as "module affected, function not',
    'present" (info).',
    'UPX-packed x86-64 binaries are unpacked in memory (NRV methods and LZMA); other packings',
    'are reported as "cannot be checked: packed (...)".',
    '',
    'Options:',
    `  --vuln-db URL|DIR  the database (default ${PUBLIC_VULN_DB}, or GOVULNDB): http(s)://,`,
    '                     file://DIR or a directory; remote ones are cached for a day',
    '  --offline          never fetch (also GOIMG_OFFLINE=1): only the cached copy is read',
    '  --fail-on LEVEL    exit 1 on findings at or above error|warning|info|never (default error:',
    '                     a vulnerable function is present)',
    '',
    'Examples:',
    '  goimg vuln ./server',
    '  goimg vuln --vuln-db file:///srv/vulndb --format sarif ./server > vuln.sarif',
  ].join('\n'),
  formats: ['text', 'json', 'sarif'],
  options: {
    'vuln-db': { type: 'string' },
    offline: { type: 'boolean' },
    'fail-on': { type: 'string' },
  },
  async run({ args, options, format, out }) {
    if (args.length === 0) throw new UsageError('goimg vuln needs at least one FILE', 'goimg vuln ./server');
    const failOn = parseFailOn(stringOption(options, 'fail-on'));
    const db = await openDb(options, out);
    const run: VulnRun = { db: { source: db.source, modified: db.modified }, binaries: [] };
    for (const file of args) run.binaries.push(await checkBinary(file, db));
    if (format === 'json') out.result(renderVulnJson(run));
    else if (format === 'sarif') out.result(JSON.stringify(vulnSarif(run, version()), null, 2));
    else out.result(renderVulnText(run, out.paint));
    return vulnsFail(run.binaries, failOn) ? ExitCode.Findings : ExitCode.Clean;
  },
};
