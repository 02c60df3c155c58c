/** Writes a page a command was asked for (--html FILE); a path that cannot be written is bad input. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';

export function writePage(cwd: string, file: string, text: string): void {
  try {
    writeFileSync(resolve(cwd, file), text);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new InputError(`cannot write ${file}: ${reason}`, 'give a path in an existing, writable directory');
  }
}
