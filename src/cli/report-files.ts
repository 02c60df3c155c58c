/**
 * `--output FORMAT=FILE` (repeatable) on audit and image: the same findings in more formats,
 * written to files by the same run, so one run feeds annotations, SARIF and a summary without
 * auditing twice or reading an image again.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';

export interface ReportFile {
  format: string;
  file: string;
}

/** The --output values, checked against the command's formats before any work. */
export function parseReportFiles(values: readonly string[], formats: readonly string[]): ReportFile[] {
  return values.map((value) => {
    const eq = value.indexOf('=');
    const format = eq > 0 ? value.slice(0, eq) : '';
    const file = eq > 0 ? value.slice(eq + 1) : '';
    if (format === '' || file === '')
      throw new UsageError(
        `--output takes FORMAT=FILE, got "${value}"`,
        'for example --output sarif=goimg.sarif',
      );
    if (!formats.includes(format))
      throw new UsageError(`--output format must be one of ${formats.join(', ')}, got "${format}"`);
    return { format, file };
  });
}

/** Writes each report; `render` gives a format's text. */
export async function writeReportFiles(
  files: readonly ReportFile[],
  cwd: string,
  render: (format: string) => Promise<string> | string,
): Promise<void> {
  for (const { format, file } of files) {
    const text = await render(format);
    try {
      writeFileSync(resolve(cwd, file), text.endsWith('\n') ? text : `${text}\n`);
    } catch (err) {
      throw new InputError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
}
