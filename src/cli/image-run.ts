/**
 * What `goimg image REF` runs once its command has asked an engine for the export (image.ts):
 * options, the analysis (src/image does the work), the report and its renderings.
 */
import { applyRuleOverrides, loadConfigFor } from '../config/index.js';
import { humanBytes } from '../core/bytes.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { failsThreshold, summarize } from '../core/finding.js';
import { version } from '../core/version.js';
import { analyzeRef } from '../image/analyze-ref.js';
import type { DaemonExport } from '../image/sources/daemon-export.js';
import { parsePlatforms } from '../oci/platform.js';
import { renderCheckstyle, renderGithub, renderGitlab, renderJunit, renderSarif } from '../report/index.js';
import type { ImageReport } from '../rules/image/report.js';
import { buildImageReport } from '../rules/image/report.js';
import {
  checkThresholds,
  parseMinEfficiency,
  parseWasteLimit,
  type ThresholdResult,
} from '../rules/image/thresholds.js';
import { dbLine } from '../vuln/render.js';
import type { CommandContext } from './command.js';
import { listOption, parseFailOn, stringOption } from './options.js';
import { Output } from './output.js';
import { parseReportFiles, writeReportFiles } from './report-files.js';
import { writePage } from './write-page.js';

function short(text: string | null, width: number): string {
  const t = (text ?? '')
    .replace(/^\/bin\/sh -c (#\(nop\) )?/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > width ? `${t.slice(0, width - 1)}…` : t;
}

function baseLine(b: NonNullable<ImageReport['base']>): string {
  const parts = [
    `${b.os}${b.pointRelease ? ` (${b.distroless ? 'distroless, ' : ''}${b.distro} ${b.pointRelease})` : ''}`,
  ];
  if (b.eol) parts.push(b.endOfLife ? `end of life since ${b.eol}` : `supported until ${b.eol}`);
  if (b.newerPointRelease) parts.push(`newer point release ${b.newestPointRelease}`);
  if (b.ageDays !== null) parts.push(`created ${b.ageDays} days ago`);
  return parts.join('; ');
}

/** What was read for a layer: its compressed size and algorithm, or that it was not compressed. */
function storedAs(layer: ImageReport['layers'][number], uncompressed: string): string {
  return layer.compression === 'none' ? uncompressed : `${humanBytes(layer.size)} ${layer.compression}`;
}

export function renderImageText(report: ImageReport, thresholds: ThresholdResult[], out: Output): string {
  const { bold, dim, red, yellow, blue, green } = out.paint;
  const lines: string[] = [];
  lines.push(bold(`${report.ref}`));
  lines.push(`  platform ${report.platform}   config ${report.configDigest}`);
  if (report.digest) lines.push(`  manifest ${report.digest}`);
  const c = report.config;
  lines.push(`  entrypoint ${JSON.stringify(c.entrypoint)}  cmd ${JSON.stringify(c.cmd)}`);
  lines.push(
    `  user ${c.user || dim('(root)')}  workdir ${c.workdir || '/'}  ports ${c.exposedPorts.join(' ') || '-'}`,
  );
  lines.push('');
  lines.push(bold('Layers'));
  const stored = /^docker-(daemon|archive):/.test(report.ref)
    ? 'uncompressed in the export'
    : 'stored uncompressed';
  for (const [i, l] of report.layers.entries()) {
    lines.push(
      `  ${String(i).padStart(2)}  ${humanBytes(l.uncompressedSize).padStart(9)}${dim(`, ${storedAs(l, stored)}`.padEnd(28))}  ${String(l.files).padStart(6)} files  ${short(l.createdBy, 70)}`,
    );
  }
  lines.push('');
  const w = report.waste;
  lines.push(
    `${bold('Waste')}  ${humanBytes(w.bytes)} of ${humanBytes(w.totalBytes)} in layers; efficiency ${(w.efficiency * 100).toFixed(2)}%`,
  );
  for (const p of w.paths.slice(0, 10))
    lines.push(`  ${humanBytes(p.bytes).padStart(9)}  ${p.path}  ${dim(`layers ${p.layers.join(',')}`)}`);
  lines.push(bold('Largest files'));
  for (const f of report.largestFiles.slice(0, 5))
    lines.push(`  ${humanBytes(f.bytes).padStart(9)}  ${f.path}  ${dim(`layer ${f.layer}`)}`);
  lines.push('');
  const e = report.entrypoint;
  const b = e.binary;
  lines.push(
    `${bold('Runs')}  ${JSON.stringify(e.argv)} -> ${e.resolved ?? red('(not found)')}${
      b
        ? `  ${b.linkage.kind}${b.linkage.interpreter ? ` (${b.linkage.interpreter})` : ''}${b.goVersion ? `, ${b.goVersion}` : ''}`
        : ''
    }`,
  );
  if (report.goBinaries.length) {
    lines.push(bold('Go binaries'));
    for (const g of report.goBinaries) {
      lines.push(`  ${g.path}  ${humanBytes(g.size)}  ${g.goVersion}  ${g.module ?? ''}`);
      for (const m of g.modules ?? []) lines.push(`    ${humanBytes(m.size).padStart(9)}  ${m.path}`);
    }
  }
  if (report.base) lines.push(`${bold('Base')}  ${baseLine(report.base)}`);
  for (const warning of report.warnings) lines.push(yellow(`note: ${warning}`));
  lines.push('');
  if (report.findings.length === 0) lines.push(green('No runtime findings.'));
  for (const f of report.findings) {
    const sev =
      f.severity === 'error' ? red('error') : f.severity === 'warning' ? yellow('warning') : blue('info');
    lines.push(`${sev} [${f.rule}] ${f.path ? `${f.path}: ` : ''}${f.message}`);
  }
  for (const t of thresholds)
    lines.push(t.passed ? green(`ok: ${t.message}`) : red(`threshold: ${t.message}`));
  const s = summarize(report.findings);
  lines.push(dim(`${s.error} error(s), ${s.warning} warning(s), ${s.info} info`));
  return lines.join('\n');
}

export async function runImage(
  { args, options, format, out, cwd }: CommandContext,
  formats: readonly string[],
  daemonExport: Promise<DaemonExport> | undefined,
): Promise<number> {
  const files = parseReportFiles(listOption(options, 'output'), formats);
  const file = (await loadConfigFor(cwd))?.config;
  const failOn = parseFailOn(stringOption(options, 'fail-on') ?? file?.failOn);
  const maxWasteText = stringOption(options, 'max-waste') ?? file?.image?.maxWaste;
  const minEffText = stringOption(options, 'min-efficiency') ?? file?.image?.minEfficiency?.toString();
  const maxWaste = maxWasteText !== undefined ? parseWasteLimit(String(maxWasteText)) : null;
  const minEfficiency = minEffText !== undefined ? parseMinEfficiency(minEffText) : null;
  const platforms = parsePlatforms(stringOption(options, 'platform') ?? file?.image?.platform);
  if (platforms.length > 1) throw new UsageError('goimg image reads one platform at a time');
  if (options['vuln-db'] !== undefined && options.vuln !== true)
    throw new UsageError('--vuln-db needs --vuln', `goimg image ${args[0]} --vuln --vuln-db DIR`);
  // Release data (a fetch when the cached copy is stale) loads while the image is read.
  const eol = import('../releases/load.js').then(async ({ loadBaseImageEol }) => {
    return (await loadBaseImageEol({ offline: options.offline === true })).table;
  });
  eol.catch(() => undefined);
  const vulnDb = options.vuln === true ? await (await import('./vuln.js')).openDb(options, out) : undefined;
  const analysis = await analyzeRef(args[0]!, {
    ...(vulnDb ? { vulnDb } : {}),
    ...(daemonExport ? { daemonExport } : {}),
    platform: platforms[0],
    insecure: options.insecure === true,
    onLayer: (i, total) => out.debug(`layer ${i + 1}/${total} read`),
    onBlob: (name, bytes) => out.debug(`${name} read (${humanBytes(bytes)})`),
  });
  const report = buildImageReport(analysis, { eol: await eol });
  if (file?.rules) report.findings = applyRuleOverrides(report.findings, file.rules);
  const html = stringOption(options, 'html');
  if (html !== undefined) {
    const { imagePage } = await import('../visual/index.js');
    writePage(cwd, html, imagePage(report, analysis));
    out.note(`image: page written to ${html}`);
  }
  const thresholds = checkThresholds(report, maxWaste, minEfficiency);
  const vulnDbField = vulnDb ? { vulnerabilityDb: { source: vulnDb.source, modified: vulnDb.modified } } : {};
  const render = (f: string, to: Output): string => {
    if (f === 'json') return JSON.stringify({ ...report, thresholds, ...vulnDbField }, null, 2);
    if (f === 'sarif') return renderSarif(report.findings, { toolVersion: version(), image: report.ref });
    if (f === 'github') return renderGithub(report.findings);
    if (f === 'junit') return renderJunit(report.findings, { subjects: [report.ref], subject: report.ref });
    if (f === 'gitlab') return renderGitlab(report.findings, { subject: report.ref });
    if (f === 'checkstyle')
      return renderCheckstyle(report.findings, { subjects: [report.ref], subject: report.ref });
    const text = renderImageText(report, thresholds, to);
    return vulnDb ? `${text}\n${dbLine(vulnDb, to.paint)}` : text;
  };
  out.result(render(format, out));
  const plain = new Output({ color: false, quiet: true, verbose: false });
  await writeReportFiles(files, cwd, (f) => render(f, plain));
  const failed = thresholds.filter((t) => !t.passed);
  if (format !== 'text') for (const t of failed) out.note(`threshold: ${t.message}`);
  return failsThreshold(report.findings, failOn) || failed.length > 0 ? ExitCode.Findings : ExitCode.Clean;
}
