/**
 * `goimg binary FILE...`: what is inside a Go executable (linkage, build info, cgo, UPX, size by
 * package), read from its bytes without running it or needing a Go toolchain.
 */
import {
  type BinaryReport,
  compareReports,
  inspectBinary,
  renderComparison,
  renderReport,
} from '../binary/index.js';
import { ExitCode, InputError, UsageError } from '../core/errors.js';
import type { Command } from './command.js';
import { flagOption, parseFailOn, stringOption } from './options.js';
import { writePage } from './write-page.js';

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--packages must be a whole number, got "${value}"`);
  return Number.parseInt(value, 10);
}

/** A report the pictures can draw: one with size attribution. */
function attributed(report: BinaryReport): BinaryReport {
  if (!report.sizes)
    throw new InputError(
      `${report.file}: no sizes to draw (${report.upx.packed ? 'UPX-packed' : 'no Go function table'})`,
    );
  return report;
}

export const binaryCommand: Command = {
  name: 'binary',
  summary: 'inspect Go executables: linkage, build info, cgo, UPX, size by package',
  usage:
    'goimg binary FILE... [--format text|json|svg] [--packages N] [--compare OTHER] [--html OUT] [--quick] [--vuln [--vuln-db URL|DIR] [--offline] [--fail-on LEVEL]]',
  help: [
    'Reads ELF executables (any architecture, 32/64-bit, either byte order) and reports:',
    '  linkage (static or dynamic, loader, needed libraries, rpath, libc family, PIE),',
    '  Go build info (exactly what `go version -m` prints), cgo and who turned it on,',
    '  stripping and DWARF, UPX packing, and size per Go package and module from the',
    '  function table, which also works on stripped binaries. Ends with verdict lines.',
    '',
    'Options:',
    '  --packages N     list the N largest packages and modules (text default 15, json all)',
    '  --compare OTHER  compare each FILE with OTHER: size, settings, modules, packages',
    '  --html OUT       also write a self-contained page: a zoomable treemap of modules and',
    '                   packages (with --compare: what grew, what is new, what went away)',
    '  --quick          build info, linkage, UPX and stripping only: skips the function table,',
    '                   so no size attribution and cgo evidence from settings and libc imports',
    '  --vuln           add a vulnerability section, as `goimg vuln` reports it; with it',
    '                   --vuln-db, --offline and --fail-on (default error) work as there',
    '',
    'One FILE prints an object with --format json, several print an array. --format svg',
    'prints a static treemap of one FILE (modules and packages, areas proportional to bytes).',
    'Examples:',
    '  goimg binary ./server',
    '  goimg binary --format json /usr/sbin/dockerd | jq .linkage',
    '  goimg binary app-stripped --compare app',
    '  goimg binary ./server --html server.html',
    '  goimg binary ./server --format svg > server.svg',
  ].join('\n'),
  formats: ['text', 'json', 'svg'],
  options: {
    packages: { type: 'string' },
    html: { type: 'string' },
    compare: { type: 'string' },
    quick: { type: 'boolean' },
    vuln: { type: 'boolean' },
    'vuln-db': { type: 'string' },
    offline: { type: 'boolean' },
    'fail-on': { type: 'string' },
  },
  async run({ args, options, format, out, cwd }) {
    if (args.length === 0)
      throw new UsageError('goimg binary needs at least one FILE', 'goimg binary ./server');
    const limit = parseCount(stringOption(options, 'packages'));
    const compare = stringOption(options, 'compare');
    const quick = options.quick === true;
    const html = stringOption(options, 'html');
    const pictures = html !== undefined || format === 'svg';
    if (pictures && args.length !== 1)
      throw new UsageError(
        '--html and --format svg draw one FILE',
        'goimg binary ./server --html server.html',
      );
    if (pictures && quick) throw new UsageError('--html and --format svg need the sizes that --quick skips');
    if (format === 'svg' && compare)
      throw new UsageError('--format svg draws one binary; use --html for --compare');
    // The pictures need every package; the JSON keeps its --packages cut.
    const jsonLimit = compare || pictures ? undefined : limit;
    const reports = [];
    for (const file of args) reports.push(await inspectBinary(file, { quick, packages: jsonLimit }));
    if (pictures) for (const r of reports) attributed(r);
    if (format === 'svg') {
      const { binarySvg } = await import('../visual/index.js');
      out.result(binarySvg(reports[0]!));
      return ExitCode.Clean;
    }
    if (compare) {
      const other = await inspectBinary(compare, { quick });
      if (html !== undefined) {
        const { comparePage } = await import('../visual/index.js');
        writePage(cwd, html, comparePage(reports[0]!, attributed(other)));
        out.note(`binary: comparison page written to ${html}`);
      }
      const comparisons = reports.map((r) => compareReports(r, other, limit ?? 20));
      if (format === 'json')
        out.result(JSON.stringify(comparisons.length === 1 ? comparisons[0] : comparisons, null, 2));
      else out.result(comparisons.map((c) => renderComparison(c, out.paint)).join('\n\n'));
      return ExitCode.Clean;
    }
    if (html !== undefined) {
      const { binaryPage } = await import('../visual/index.js');
      writePage(cwd, html, binaryPage(reports[0]!));
      out.note(`binary: page written to ${html}`);
    }
    if (!flagOption(options, 'vuln')) {
      if (format === 'json') out.result(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
      else out.result(reports.map((r) => renderReport(r, out.paint, limit ?? 15)).join('\n\n'));
      return ExitCode.Clean;
    }
    const failOn = parseFailOn(stringOption(options, 'fail-on'));
    const { binaryVulnerabilities } = await import('./vuln.js');
    const { db, vulns, text, fails } = await binaryVulnerabilities(args, options, out, failOn);
    if (format === 'json') {
      const withVulns = reports.map((r, i) => ({ ...r, vulnerabilities: vulns[i] }));
      out.result(JSON.stringify(withVulns.length === 1 ? withVulns[0] : withVulns, null, 2));
    } else {
      const parts = reports.map((r, i) => `${renderReport(r, out.paint, limit ?? 15)}\n\n${text[i]}`);
      out.result(`${parts.join('\n\n')}\n${db}`);
    }
    return fails ? ExitCode.Findings : ExitCode.Clean;
  },
};
