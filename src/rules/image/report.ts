/**
 * The `goimg image` report: its JSON contract (version 1), built from an analysis by
 * running the image runtime checks. Pure: no I/O.
 */
import type { BinaryReport } from '../../binary/report.js';
import { type Finding, sortFindings } from '../../core/finding.js';
import type { ImageAnalysis } from '../../image/analyze.js';
import { type AnalyzeRefOptions, analyzeRef } from '../../image/analyze-ref.js';
import { commandOf, findProgram } from '../../image/resolve.js';
import { bundledBaseImageEol } from '../../releases/bundled.js';
import type { EolTable } from '../../releases/types.js';
import { STDLIB, type VulnFinding, type VulnReport } from '../../vuln/index.js';
import { type BaseFreshness, baseFreshness } from './base-freshness.js';
import { type EntrypointInfo, makeExists, makeNonEmptyDir } from './context.js';
import { IMAGE_RULES } from './index.js';

export interface ImageReport {
  version: 1;
  ref: string;
  digest: string | null;
  configDigest: string;
  platform: string;
  config: {
    entrypoint: string[] | null;
    cmd: string[] | null;
    env: string[];
    user: string;
    workdir: string;
    exposedPorts: string[];
    labels: Record<string, string>;
    history: { created: string | null; createdBy: string | null; emptyLayer: boolean }[];
  };
  layers: {
    digest: string;
    diffId: string;
    size: number;
    uncompressedSize: number;
    files: number;
    createdBy: string | null;
    compression: 'gzip' | 'zstd' | 'none';
  }[];
  waste: {
    bytes: number;
    /** Sum of all layers' regular-file bytes. */
    totalBytes: number;
    efficiency: number;
    paths: { path: string; bytes: number; layers: number[] }[];
  };
  largestFiles: { path: string; bytes: number; layer: number }[];
  entrypoint: { path: string | null; resolved: string | null; argv: string[]; binary: BinaryReport | null };
  findings: Finding[];
  goBinaries: GoBinary[];
  /** The OS release from /etc/os-release against the lifecycle data, or null without one. */
  base: BaseFreshness | null;
  warnings: string[];
}

/** A Go binary of the merged file system, with its largest modules. */
export interface GoBinary {
  path: string;
  goVersion: string;
  module: string | null;
  size: number;
  /** The five largest modules (null when the binary could not be attributed, e.g. UPX-packed). */
  modules: { path: string; version: string | null; size: number }[] | null;
  /** The vulnerability check (images read with a vulnerability database only). */
  vulnerabilities?: VulnReport;
}

const TOP_MODULES = 5;

export interface ReportOptions {
  wastePaths?: number;
  largestFiles?: number;
  /** Lifecycle data to judge the base by; default: the bundled snapshot. */
  eol?: EolTable;
  /** "Today", for end of life and the image's age. */
  now?: Date;
}

function resolveEntrypoint(analysis: ImageAnalysis): EntrypointInfo {
  const config = analysis.image.config;
  const cmd = commandOf(config);
  if (!cmd.program) {
    return {
      shebang: null,
      path: null,
      resolved: null,
      problem: cmd.argv.length ? 'the shell command starts with no plain program' : 'no ENTRYPOINT or CMD',
      binary: null,
    };
  }
  const { found, escaped, tried } = findProgram(analysis.fs, config, cmd.program);
  if (!found) {
    const problem = escaped
      ? `${escaped.path}: ${escaped.reason === 'loop' ? 'symlink loop' : 'symlink points outside the image (not followed)'}`
      : `not found in the image (looked at ${tried.map((t) => `/${t}`).join(', ')})`;
    return { path: cmd.program, resolved: null, problem, binary: null, shebang: null };
  }
  const binary = analysis.binaryAt(found.path, found.node.layer) ?? null;
  const shebang = analysis.shebangAt(found.path, found.node.layer) ?? null;
  return { path: cmd.program, resolved: `/${found.path}`, problem: null, binary, shebang };
}

export function buildImageReport(analysis: ImageAnalysis, options: ReportOptions = {}): ImageReport {
  const { image, fs } = analysis;
  const c = image.config.config ?? {};
  const entrypoint = resolveEntrypoint(analysis);
  const command = commandOf(image.config);
  const eol = options.eol ?? bundledBaseImageEol();
  const base = baseFreshness(analysis, eol, options.now ?? new Date());
  const ctx = {
    analysis,
    config: image.config,
    command,
    entrypoint,
    exists: makeExists(analysis),
    nonEmptyDir: makeNonEmptyDir(analysis),
    eol,
    base,
  };
  const findings: Finding[] = IMAGE_RULES.flatMap((rule) => rule.check(ctx));
  const warnings = [...analysis.warnings];
  for (const { path, binary } of analysis.visibleBinaries()) {
    const v = binary.vulns;
    if (!v) continue;
    if (v.status !== 'checked') warnings.push(`/${path}: vulnerabilities ${v.reason ?? 'cannot be checked'}`);
    findings.push(...v.findings.map((f) => vulnerabilityFinding(`/${path}`, f)));
  }
  if (entrypoint.problem) warnings.push(`entrypoint: ${entrypoint.problem}`);
  const goBinaries = analysis
    .visibleBinaries()
    .filter(({ binary }) => binary.report.goVersion !== null)
    .map(({ path, binary }) => ({
      path: `/${path}`,
      goVersion: binary.report.goVersion!,
      module: binary.report.buildInfo?.main?.path ?? binary.report.buildInfo?.path ?? null,
      size: binary.report.size,
      modules:
        binary.sizes?.modules
          .slice(0, TOP_MODULES)
          .map((m) => ({ path: m.path, version: m.version, size: m.size })) ?? null,
      ...(binary.vulns ? { vulnerabilities: binary.vulns } : {}),
    }));
  const platform = [image.config.os, image.config.architecture, image.config.variant]
    .filter(Boolean)
    .join('/');
  return {
    version: 1,
    ref: image.ref,
    digest: image.digest,
    configDigest: image.configDigest,
    platform,
    config: {
      entrypoint: c.Entrypoint ?? null,
      cmd: c.Cmd ?? null,
      env: c.Env ?? [],
      user: c.User ?? '',
      workdir: c.WorkingDir ?? '',
      exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
      labels: c.Labels ?? {},
      history: (image.config.history ?? []).map((h) => ({
        created: h.created ?? null,
        createdBy: h.created_by ?? null,
        emptyLayer: h.empty_layer === true,
      })),
    },
    layers: analysis.layers.map((l) => ({
      digest: l.digest,
      diffId: l.diffId,
      size: l.size,
      uncompressedSize: l.uncompressedSize,
      files: l.files,
      createdBy: l.createdBy,
      compression: l.compression,
    })),
    waste: {
      bytes: fs.wasteBytes,
      totalBytes: fs.totalFileBytes,
      efficiency: fs.efficiency,
      paths: fs.wastedPaths(options.wastePaths ?? 20).map((w) => ({ ...w, path: `/${w.path}` })),
    },
    largestFiles: fs.largestFiles(options.largestFiles ?? 10).map((f) => ({ ...f, path: `/${f.path}` })),
    entrypoint: {
      path: entrypoint.path,
      resolved: entrypoint.resolved,
      argv: command.argv,
      binary: entrypoint.binary?.report ?? null,
    },
    findings: sortFindings(findings),
    goBinaries,
    base,
    warnings,
  };
}

/** One advisory as an image finding: the advisory, what is affected, the functions present, the fix. */
function vulnerabilityFinding(path: string, f: VulnFinding): Finding {
  const aliases = f.aliases.length ? ` (${f.aliases.join(', ')})` : '';
  const where = f.module === STDLIB ? `Go ${f.found}` : `${f.module} ${f.found}`;
  const present = f.packages.flatMap((p) => p.present.map((s) => `${p.path}.${s}`));
  const functions =
    f.level !== 'symbol'
      ? '; module affected, function not present'
      : present.length
        ? `; in the binary: ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}`
        : '';
  return {
    rule: 'go-vulnerability',
    severity: f.severity,
    path,
    message: `${f.id}${aliases}: ${f.summary} [${where}${f.fixed ? `, fixed in ${f.fixed}` : ''}${functions}]; ${f.fix}`,
  };
}

/** Opens, analyses and reports on an image in one call. */
export async function inspectImage(
  ref: string,
  options: AnalyzeRefOptions & ReportOptions = {},
): Promise<ImageReport> {
  return (await inspectImageAnalysis(ref, options)).report;
}

/** The report and the analysis it came from (the merged file system, every binary's sizes). */
export async function inspectImageAnalysis(
  ref: string,
  options: AnalyzeRefOptions & ReportOptions = {},
): Promise<{ report: ImageReport; analysis: ImageAnalysis }> {
  const analysis = await analyzeRef(ref, options);
  return { report: buildImageReport(analysis, options), analysis };
}
