/**
 * The shape of a CLI command. Each command declares its own options in util.parseArgs form;
 * the global options (--format, --no-color, --quiet, --verbose, --help) are added by main.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Output } from './output.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  /** Parsed options, globals included. */
  options: OptionValues;
  /** The --format value, validated against the command's formats. */
  format: string;
  out: Output;
  cwd: string;
}

export interface Command {
  name: string;
  aliases?: string[];
  /** One line for `goimg --help`. */
  summary: string;
  /** Usage line(s), e.g. `goimg audit [DIR] [options]`. */
  usage: string;
  /** Longer help: what it does, options table, examples. */
  help: string;
  /** Output formats; the first one is the default. */
  formats: readonly string[];
  options: OptionSpec;
  run(ctx: CommandContext): Promise<number>;
}
