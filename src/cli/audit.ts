/**
 * `goimg audit [DIR]` (alias `lint`): audits the Dockerfiles in DIR together with the Go
 * project and the build context, prints findings, and with --fix / --fix-dry-run applies the
 * safe fixes. Exit 0 clean, 1 findings at or above --fail-on, 2 bad input, 3 environment.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { AuditFinding } from '../audit/engine.js';
import type { AuditOptions } from '../audit/load.js';
import type { RuleLevel } from '../config/overrides.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { type FailOn, type Finding, failsThreshold } from '../core/finding.js';
import type { Command, CommandContext } from './command.js';
import { flagOption, listOption, parseFailOn, stringOption } from './options.js';

const HELP = `Reads every Dockerfile in DIR (Dockerfile, *.Dockerfile, Dockerfile.*), the build context's
.dockerignore and the Go module in the context, and judges them together: build order and
caching, cgo and libc, base images, runtime user, context size. Default DIR: the current one.

Options:
      --dockerfile PATH   audit this Dockerfile only
      --context DIR       the build context, when it is not DIR
      --fix               apply the safe fixes in place (atomically; comments and formatting kept)
      --fix-dry-run       print the fixes as a unified diff, change nothing
      --fail-on LEVEL     error|warning|info|never: exit 1 at or above it (default error)
      --rule ID=LEVEL     off|info|warning|error for one rule (repeatable)

Inline ignores in a Dockerfile:
  # goimg-ignore rule-id[,rule-id] -- reason   (the next instruction)
  # goimg-ignore-file rule-id                   (the whole file)

Examples:
  goimg audit examples/seed-article
  goimg audit . --format sarif > goimg.sarif
  goimg audit --fix-dry-run
  goimg lint --rule no-trimpath=off --fail-on warning`;

async function render(
  ctx: CommandContext,
  findings: Finding[],
  sources: Map<string, string>,
  dir: string,
): Promise<string> {
  switch (ctx.format) {
    case 'json':
      return (await import('../report/json.js')).renderJson({ findings });
    case 'sarif': {
      const { version } = await import('../core/version.js');
      return (await import('../report/sarif.js')).renderSarif(findings, {
        toolVersion: version(),
        root: resolve(dir),
      });
    }
    case 'github':
      return (await import('../report/github.js')).renderGithub(findings, {
        root: relative(ctx.cwd, resolve(dir)),
      });
    default:
      return (await import('../report/text.js')).renderText(findings, {
        sources,
        paint: ctx.out.paint,
        root: dir,
      });
  }
}

interface Settings {
  failOn: FailOn;
  overrides: Record<string, RuleLevel>;
  /** Drops findings the config's `ignore` globs name. */
  ignore: (findings: AuditFinding[]) => AuditFinding[];
  audit: AuditOptions;
}

/** True when a config file could exist in `dir` or above (cheap: no YAML parser loaded). */
function mayHaveConfig(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.goimg.yaml')) || existsSync(join(d, '.goimg.yml'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** Flags over .goimg.yaml over defaults. Paths in the config are relative to its directory. */
async function settings(ctx: CommandContext, dir: string): Promise<Settings> {
  // The YAML parser costs more start-up time than the whole audit: load it only for a config.
  const loaded = mayHaveConfig(dir)
    ? await (await import('../config/load.js')).loadConfigFor(dir)
    : undefined;
  const { applyRuleOverrides, parseRuleFlags } = await import('../config/overrides.js');
  const { filterIgnored } = await import('../config/ignore.js');
  const c = loaded?.config;
  const base = loaded?.dir ?? ctx.cwd;
  const failOn = parseFailOn(stringOption(ctx.options, 'fail-on'), c?.failOn ?? 'error');
  const overrides = { ...(c?.rules ?? {}), ...parseRuleFlags(listOption(ctx.options, 'rule')) };
  // Unknown ids and levels fail now, before any work.
  applyRuleOverrides([], overrides);
  const audit: AuditOptions = {};
  const dockerfile =
    stringOption(ctx.options, 'dockerfile') ??
    (c?.audit?.dockerfile ? resolve(base, c.audit.dockerfile) : undefined);
  const context =
    stringOption(ctx.options, 'context') ?? (c?.audit?.context ? resolve(base, c.audit.context) : undefined);
  if (dockerfile) audit.dockerfile = dockerfile;
  if (context) audit.context = context;
  const patterns = c?.ignore ?? [];
  const ignore = (findings: AuditFinding[]) => {
    if (patterns.length === 0) return findings;
    const keep = new Set(
      filterIgnored(
        findings.map((f, i) => ({ i, file: relative(base, resolve(dir, f.file)) })),
        patterns,
      ).map((x) => x.i),
    );
    return findings.filter((_, i) => keep.has(i));
  };
  return { failOn, overrides, ignore, audit };
}

export const auditCommand: Command = {
  name: 'audit',
  aliases: ['lint'],
  summary: 'audit Dockerfiles, .dockerignore and go.mod together, Go-aware; --fix applies safe fixes',
  usage:
    'goimg audit [DIR] [--dockerfile PATH] [--context DIR] [--fix | --fix-dry-run] [--fail-on LEVEL] [--rule ID=LEVEL]...',
  help: HELP,
  formats: ['text', 'json', 'sarif', 'github'],
  options: {
    dockerfile: { type: 'string' },
    context: { type: 'string' },
    fix: { type: 'boolean' },
    'fix-dry-run': { type: 'boolean' },
    'fail-on': { type: 'string' },
    rule: { type: 'string', multiple: true },
  },
  async run(ctx) {
    if (ctx.args.length > 1)
      throw new UsageError(`audit takes one directory, got ${ctx.args.length} arguments`);
    const dir = ctx.args[0] ?? '.';
    const fix = flagOption(ctx.options, 'fix');
    const dryRun = flagOption(ctx.options, 'fix-dry-run');
    if (fix && dryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
    const { applyRuleOverrides } = await import('../config/overrides.js');
    const s = await settings(ctx, dir);
    const visible = (findings: AuditFinding[]) => applyRuleOverrides(s.ignore(findings), s.overrides);
    let findings: Finding[];
    let sources: Map<string, string>;
    if (fix || dryRun) {
      const { fixUntilStable } = await import('../audit/fix-loop.js');
      const outcome = await fixUntilStable(dir, s.audit, visible, fix);
      findings = visible(outcome.result.findings);
      sources = outcome.result.sources;
      if (dryRun) {
        if (outcome.diff !== '') ctx.out.result(outcome.diff);
        return failsThreshold(findings, s.failOn) ? ExitCode.Findings : ExitCode.Clean;
      }
      ctx.out.note(
        outcome.files.length === 0
          ? 'nothing to fix'
          : `fixed ${outcome.fixed.length} finding(s) in ${outcome.files.map((f) => f.file).join(', ')}`,
      );
    } else {
      const { auditDirectory } = await import('../audit/load.js');
      const result = await auditDirectory(dir, s.audit);
      findings = visible(result.findings);
      sources = result.sources;
    }
    ctx.out.result(await render(ctx, findings, sources, dir));
    return failsThreshold(findings, s.failOn) ? ExitCode.Findings : ExitCode.Clean;
  },
};
