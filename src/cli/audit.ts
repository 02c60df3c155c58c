/**
 * `goimg audit [DIR]` (alias `lint`): audits the Dockerfiles in DIR together with the Go
 * project and the build context, prints findings, and with --fix / --fix-dry-run applies the
 * safe fixes. Exit 0 clean, 1 findings at or above --fail-on, 2 bad input, 3 environment.
 */
import { ExitCode } from '../core/errors.js';
import { type Finding, failsThreshold } from '../core/finding.js';
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
    case 'json': {
      const { renderJson } = await import('../report/json.js');
      return renderJson({ findings });
    }
    default: {
      const { renderText } = await import('../report/text.js');
      return renderText(findings, { sources, paint: ctx.out.paint, root: dir });
    }
  }
}

export const auditCommand: Command = {
  name: 'audit',
  aliases: ['lint'],
  summary: 'audit Dockerfiles, .dockerignore and go.mod together, Go-aware; --fix applies safe fixes',
  usage:
    'goimg audit [DIR] [--dockerfile PATH] [--context DIR] [--fix | --fix-dry-run] [--fail-on LEVEL] [--rule ID=LEVEL]...',
  help: HELP,
  formats: ['text', 'json'],
  options: {
    dockerfile: { type: 'string' },
    context: { type: 'string' },
    fix: { type: 'boolean' },
    'fix-dry-run': { type: 'boolean' },
    'fail-on': { type: 'string' },
    rule: { type: 'string', multiple: true },
  },
  async run(ctx) {
    const dir = ctx.args[0] ?? '.';
    const failOn = parseFailOn(stringOption(ctx.options, 'fail-on'));
    const options: { dockerfile?: string; context?: string } = {};
    const dockerfile = stringOption(ctx.options, 'dockerfile');
    const contextDir = stringOption(ctx.options, 'context');
    if (dockerfile) options.dockerfile = dockerfile;
    if (contextDir) options.context = contextDir;
    void listOption(ctx.options, 'rule');
    const fix = flagOption(ctx.options, 'fix');
    const dryRun = flagOption(ctx.options, 'fix-dry-run');
    let findings: Finding[];
    let sources: Map<string, string>;
    if (fix || dryRun) {
      const { fixUntilStable } = await import('../audit/fix-loop.js');
      const outcome = await fixUntilStable(dir, options, (f) => f, fix);
      findings = outcome.result.findings;
      sources = outcome.result.sources;
      if (dryRun) {
        ctx.out.result(outcome.diff === '' ? '' : outcome.diff);
        return failsThreshold(findings, failOn) ? ExitCode.Findings : ExitCode.Clean;
      }
      ctx.out.note(
        outcome.files.length === 0
          ? 'nothing to fix'
          : `fixed ${outcome.fixed.length} finding(s) in ${outcome.files.map((f) => f.file).join(', ')}`,
      );
    } else {
      const { auditDirectory } = await import('../audit/load.js');
      const result = await auditDirectory(dir, options);
      findings = result.findings;
      sources = result.sources;
    }
    ctx.out.result(await render(ctx, findings, sources, dir));
    return failsThreshold(findings, failOn) ? ExitCode.Findings : ExitCode.Clean;
  },
};
