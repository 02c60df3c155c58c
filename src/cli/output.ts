/**
 * Human output: colour only on a TTY and never with NO_COLOR or --no-color; --quiet silences
 * progress and notes, --verbose adds detail. Machine formats bypass this and write stdout directly.
 */

export interface OutputOptions {
  color: boolean;
  quiet: boolean;
  verbose: boolean;
}

import { type Palette, palette } from '../core/palette.js';

// The palette lives in core/ (renderers below the CLI use it); these names stay importable here.
export { type Paint, type Palette, palette } from '../core/palette.js';

/** Colour decision shared by every command. */
export function wantsColor(noColorFlag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (noColorFlag) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export class Output {
  readonly options: OutputOptions;
  readonly paint: Palette;

  constructor(options: OutputOptions) {
    this.options = options;
    this.paint = palette(options.color);
  }

  /** The command's result: always printed. */
  result(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Progress and notes for people: on stderr, silenced by --quiet. */
  note(text: string): void {
    if (!this.options.quiet) process.stderr.write(`${text}\n`);
  }

  /** Extra detail, only with --verbose. */
  debug(text: string): void {
    if (this.options.verbose && !this.options.quiet) process.stderr.write(`${this.paint.dim(text)}\n`);
  }

  error(text: string): void {
    process.stderr.write(`${this.paint.red('error:')} ${text}\n`);
  }
}
