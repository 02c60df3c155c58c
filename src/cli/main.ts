/**
 * goimg's entry point: picks the command, parses flags, maps errors to exit codes.
 * A GoimgError becomes one clear line (and a hint); anything else is reported as a bug.
 */

import { parseArgs } from 'node:util';
import { ExitCode, isGoimgError, UsageError } from '../core/errors.js';
import { handleInterrupts } from '../core/interrupt.js';
import { trace, traceExit } from '../core/trace.js';
import { version } from '../core/version.js';
import type { Command, OptionSpec, OptionValues } from './command.js';
import { COMMANDS, findCommand } from './commands.js';
import { Output, wantsColor } from './output.js';

const GLOBAL_OPTIONS: OptionSpec = {
  format: { type: 'string', short: 'f' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
};

export { version };

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'goimg: from a naive Dockerfile to a small, fast-rebuilding, verified Go container image',
    '',
    'Usage: goimg <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    '  -f, --format FORMAT  output format (each command lists its own; text by default)',
    '      --no-color       no colour (also when NO_COLOR is set or output is not a terminal)',
    '  -q, --quiet          only the result, no progress or notes',
    '  -v, --verbose        more detail on stderr',
    '  -h, --help           help for goimg or a command',
    '      --version        print the version',
    '',
    'Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or bad input,',
    '            3 environment or external tool failure.',
    '',
    "Run 'goimg <command> --help' for a command's options.",
  ].join('\n');
}

function commandHelp(cmd: Command): string {
  const aliases = cmd.aliases?.length ? ` (alias: ${cmd.aliases.join(', ')})` : '';
  return [
    `goimg ${cmd.name}${aliases}: ${cmd.summary}`,
    '',
    `Usage: ${cmd.usage}`,
    '',
    cmd.help.trimEnd(),
    '',
    `Formats: ${cmd.formats.join(', ')} (default ${cmd.formats[0]})`,
  ].join('\n');
}

function parseCommandArgs(cmd: Command, argv: string[]): { values: OptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as OptionValues, positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UsageError(message, `run 'goimg ${cmd.name} --help' for its options`);
  }
}

/** Runs goimg with the given arguments and returns the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  trace('main');
  traceExit();
  // Ctrl-C and SIGTERM stop what a command started and remove what it made (core/interrupt.ts).
  handleInterrupts();
  const noColor = argv.includes('--no-color');
  const early = new Output({ color: wantsColor(noColor, process.stderr), quiet: false, verbose: false });
  try {
    const first = argv[0];
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const entry = first === 'help' && argv[1] ? findCommand(argv[1]) : undefined;
      early.result(entry ? commandHelp(await entry.load()) : mainHelp());
      return ExitCode.Clean;
    }
    if (first === '--version' || first === '-V') {
      early.result(version());
      return ExitCode.Clean;
    }
    const entry = findCommand(first);
    if (!entry) {
      throw new UsageError(`unknown command "${first}"`, "run 'goimg --help' for the list of commands");
    }
    const cmd = await entry.load();
    const { values, positionals } = parseCommandArgs(cmd, argv.slice(1));
    if (values.help === true) {
      early.result(commandHelp(cmd));
      return ExitCode.Clean;
    }
    const format = typeof values.format === 'string' ? values.format : cmd.formats[0]!;
    if (!cmd.formats.includes(format)) {
      throw new UsageError(
        `--format must be one of ${cmd.formats.join(', ')} for ${cmd.name}, got "${format}"`,
      );
    }
    const out = new Output({
      color: format === 'text' && wantsColor(values['no-color'] === true),
      quiet: values.quiet === true,
      verbose: values.verbose === true,
    });
    return await cmd.run({ args: positionals, options: values, format, out, cwd: process.cwd() });
  } catch (err) {
    if (isGoimgError(err)) {
      early.error(err.message);
      if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
      return err.exitCode;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    early.error('internal error (a bug in goimg; please report it with the command you ran)');
    if (process.env.GOIMG_DEBUG) process.stderr.write(`${detail}\n`);
    else process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.Environment;
  }
}
