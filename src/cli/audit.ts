/**
 * `goimg audit [DIR]` (alias `lint`): audits the Dockerfiles in DIR together with the Go
 * project and the build context, prints findings, and with --fix / --fix-dry-run applies the
 * safe fixes. Exit 0 clean, 1 findings at or above --fail-on, 2 bad input, 3 environment.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import type { AuditFinding } from '../audit/engine.js';
import type { AuditOptions } from '../audit/load.js';
import type { RuleLevel } from '../config/overrides.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { type FailOn, type Finding, failsThreshold } from '../core/finding.js';
import type { ReleaseData } from '../releases/types.js';
import type { Command, CommandContext } from './command.js';
import { flagOption, listOption, parseFailOn, stringOption } from './options.js';
import { palette } from './output.js';
import { parseReportFiles, writeReportFiles } from './report-files.js';

const HELP = `Reads every Dockerfile in DIR (Dockerfile, *.Dockerfile, Dockerfile.*), the build context's
.dockerignore and the Go module in the context, and judges them together: build order and
caching, cgo and libc, base images, runtime user, context size. Default DIR: the current one.

FILE arguments (as pre-commit passes them): each Dockerfile is audited in its directory, a
.dockerignore audits the Dockerfiles beside it; paths are then reported from the current directory.

Options:
      --dockerfile PATH   audit this Dockerfile only
      --context DIR       the build context, when it is not DIR
      --target STAGE      the stage the build stops at (docker build --target): it is judged
                          as the image, and stages it does not need are left out
      --build-arg NAME=VALUE  a value the build passes (docker build --build-arg): it replaces
                          the ARG's default (repeatable). ARG defaults that the project's own
                          build files pass (Makefile, scripts, workflows, bake, compose) and
                          that are not given here are not judged as the built version
      --fix               apply the safe fixes in place (atomically; comments and formatting kept)
      --fix-dry-run       print the fixes as a unified diff, change nothing
      --fail-on LEVEL     error|warning|info|never: exit 1 at or above it (default error)
      --rule ID=LEVEL     off|info|warning|error for one rule (repeatable)
      --offline           judge Go and base-image releases by cached or bundled data, never
                          fetch it (also GOIMG_OFFLINE=1)
      --output FORMAT=FILE  also write the findings in FORMAT to FILE (repeatable)

Inline ignores in a Dockerfile:
  # goimg-ignore rule-id[,rule-id] -- reason   (the next instruction)
  # goimg-ignore-file rule-id                   (the whole file)
  # check=skip=SecretsUsedInArgOrEnv            (BuildKit's directive, for the rules it also checks)

Examples:
  goimg audit examples/seed-article
  goimg audit . --format sarif > goimg.sarif
  goimg audit --fix-dry-run
  goimg lint --rule no-trimpath=off --fail-on warning`;

async function render(
  ctx: CommandContext,
  format: string,
  findings: Finding[],
  sources: Map<string, string>,
  dir: string,
): Promise<string> {
  switch (format) {
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
    case 'gitlab':
      return (await import('../report/gitlab.js')).renderGitlab(findings, {
        root: relative(ctx.cwd, resolve(dir)),
      });
    case 'junit':
    case 'checkstyle': {
      const root = relative(ctx.cwd, resolve(dir));
      const under = (file: string) => (root === '' ? file : posix.join(root.replace(/\\/g, '/'), file));
      const rebased = findings.map((f) => (f.file !== undefined ? { ...f, file: under(f.file) } : f));
      const subjects = [...sources.keys()].map(under);
      return format === 'junit'
        ? (await import('../report/junit.js')).renderJunit(rebased, { subjects })
        : (await import('../report/checkstyle.js')).renderCheckstyle(rebased, { subjects });
    }
    default:
      return (await import('../report/text.js')).renderText(findings, {
        sources,
        paint: format === ctx.format ? ctx.out.paint : palette(false),
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
  /** How long fetched release data is used (config `audit.releaseTtl`); default a day. */
  releaseTtlMs?: number;
}

/** True when a config file could exist in `dir` or above (cheap: no YAML parser loaded). */
/** `--build-arg NAME=VALUE` values, as docker build reads them (VALUE may be empty). */
function parseBuildArgFlags(flags: string[]): [string, string][] {
  return flags.map((flag) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(flag);
    if (!m)
      throw new UsageError(
        `--build-arg "${flag}" is not NAME=VALUE`,
        'pass the value as docker build does: --build-arg GO_VERSION=1.23',
      );
    return [m[1]!, m[2]!];
  });
}

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
  const target = stringOption(ctx.options, 'target') ?? c?.audit?.target;
  if (target !== undefined) audit.target = target;
  const buildArgs = new Map(Object.entries(c?.audit?.buildArgs ?? {}));
  for (const [name, value] of parseBuildArgFlags(listOption(ctx.options, 'build-arg')))
    buildArgs.set(name, value);
  if (buildArgs.size > 0) audit.buildArgs = buildArgs;
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
  const s: Settings = { failOn, overrides, ignore, audit };
  if (c?.audit?.releaseTtl !== undefined) {
    const { parseDuration } = await import('../config/duration.js');
    s.releaseTtlMs = parseDuration(c.audit.releaseTtl);
  }
  return s;
}

export const auditCommand: Command = {
  name: 'audit',
  aliases: ['lint'],
  summary: 'audit Dockerfiles, .dockerignore and go.mod together, Go-aware; --fix applies safe fixes',
  usage:
    'goimg audit [DIR | FILE...] [--dockerfile PATH] [--context DIR] [--target STAGE] [--build-arg NAME=VALUE]... [--fix | --fix-dry-run] [--fail-on LEVEL] [--rule ID=LEVEL]... [--offline] [--output FORMAT=FILE]...',
  help: HELP,
  formats: ['text', 'json', 'sarif', 'github', 'junit', 'gitlab', 'checkstyle'],
  options: {
    dockerfile: { type: 'string' },
    context: { type: 'string' },
    target: { type: 'string' },
    'build-arg': { type: 'string', multiple: true },
    fix: { type: 'boolean' },
    'fix-dry-run': { type: 'boolean' },
    'fail-on': { type: 'string' },
    rule: { type: 'string', multiple: true },
    offline: { type: 'boolean' },
    output: { type: 'string', multiple: true },
  },
  async run(ctx) {
    const fix = flagOption(ctx.options, 'fix');
    const dryRun = flagOption(ctx.options, 'fix-dry-run');
    if (fix && dryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
    const files = parseReportFiles(listOption(ctx.options, 'output'), auditCommand.formats);
    if (dryRun && files.length > 0) throw new UsageError('--output and --fix-dry-run exclude each other');
    const targets = await auditTargets(ctx.args);
    // Release data is loaded once, for the first target (its config's releaseTtl), and shared.
    let loaded: Promise<ReleaseData> | undefined;
    const releases = async (ttlMs: number | undefined) => {
      loaded ??= import('../releases/load.js').then(
        async ({ loadReleaseData }) =>
          (
            await loadReleaseData({
              offline: flagOption(ctx.options, 'offline'),
              ...(ttlMs !== undefined ? { ttlMs } : {}),
            })
          ).data,
      );
      return loaded;
    };
    const findings: Finding[] = [];
    const sources = new Map<string, string>();
    let fails = false;
    const diffs: string[] = [];
    // One directory (the usual case) reports paths relative to it; file paths (as pre-commit
    // passes them) report paths relative to the current directory.
    const single =
      targets.length === 1 &&
      targets[0]!.dockerfile === undefined &&
      ctx.args.every((a) => statSync(a).isDirectory());
    for (const target of targets) {
      const r = await auditTarget(ctx, target, fix, dryRun, releases);
      fails ||= r.fails;
      if (r.diff) diffs.push(r.diff);
      const prefix = single ? '' : relative(ctx.cwd, resolve(target.dir));
      const rebase = (file: string) => (prefix === '' ? file : join(prefix, file).replace(/\\/g, '/'));
      findings.push(...r.findings.map((f) => (f.file !== undefined ? { ...f, file: rebase(f.file) } : f)));
      for (const [file, text] of r.sources) sources.set(rebase(file), text);
    }
    if (dryRun) {
      if (diffs.length > 0) ctx.out.result(diffs.join(''));
      return fails ? ExitCode.Findings : ExitCode.Clean;
    }
    const dir = single ? targets[0]!.dir : '.';
    ctx.out.result(await render(ctx, ctx.format, findings, sources, dir));
    await writeReportFiles(files, ctx.cwd, (format) => render(ctx, format, findings, sources, dir));
    return fails ? ExitCode.Findings : ExitCode.Clean;
  },
};

interface Target {
  dir: string;
  dockerfile?: string;
}

/**
 * What to audit: no argument is the current directory; a directory is audited whole; a
 * Dockerfile path is audited alone in its directory; a .dockerignore audits the Dockerfiles
 * beside it. A Dockerfile inside a directory also named is not audited twice.
 */
async function auditTargets(args: readonly string[]): Promise<Target[]> {
  if (args.length === 0) return [{ dir: '.' }];
  if (args.length === 1 && existsSync(args[0]!) && statSync(args[0]!).isDirectory())
    return [{ dir: args[0]! }];
  const { findDockerfiles } = await import('../audit/load.js');
  const dirs = new Set<string>();
  const files: Target[] = [];
  for (const arg of args) {
    if (!existsSync(arg)) throw new UsageError(`${arg} does not exist`);
    if (statSync(arg).isDirectory()) dirs.add(resolve(arg));
    else if (basename(arg).endsWith('.dockerignore')) {
      if (findDockerfiles(dirname(resolve(arg))).length > 0) dirs.add(dirname(resolve(arg)));
    } else files.push({ dir: dirname(arg), dockerfile: arg });
  }
  const seen = new Set<string>();
  const kept = files.filter((t) => {
    const abs = resolve(t.dockerfile!);
    if (dirs.has(dirname(abs)) || seen.has(abs)) return false;
    seen.add(abs);
    return true;
  });
  const dirArgs = args.filter((a) => existsSync(a) && statSync(a).isDirectory());
  const named = [...dirs].map((d) => ({
    dir: dirArgs.find((a) => resolve(a) === d) ?? (relative('.', d) || '.'),
  }));
  return [...named, ...kept];
}

async function auditTarget(
  ctx: CommandContext,
  target: Target,
  fix: boolean,
  dryRun: boolean,
  releases: (ttlMs: number | undefined) => Promise<ReleaseData>,
): Promise<{ findings: Finding[]; sources: Map<string, string>; fails: boolean; diff?: string }> {
  const { dir } = target;
  const { applyRuleOverrides } = await import('../config/overrides.js');
  const s = await settings(ctx, dir);
  s.audit.releases = await releases(s.releaseTtlMs);
  if (target.dockerfile !== undefined) s.audit.dockerfile = target.dockerfile;
  const visible = (findings: AuditFinding[]) => applyRuleOverrides(s.ignore(findings), s.overrides);
  if (fix || dryRun) {
    const { fixUntilStable } = await import('../audit/fix-loop.js');
    const outcome = await fixUntilStable(dir, s.audit, visible, fix);
    const findings = visible(outcome.result.findings);
    const fails = failsThreshold(findings, s.failOn);
    if (dryRun) return { findings, sources: outcome.result.sources, fails, diff: outcome.diff };
    ctx.out.note(
      outcome.files.length === 0
        ? 'nothing to fix'
        : `fixed ${outcome.fixed.length} finding(s) in ${outcome.files.map((f) => f.file).join(', ')}`,
    );
    return { findings, sources: outcome.result.sources, fails };
  }
  const { auditDirectory } = await import('../audit/load.js');
  const result = await auditDirectory(dir, s.audit);
  const findings = visible(result.findings);
  return { findings, sources: result.sources, fails: failsThreshold(findings, s.failOn) };
}
