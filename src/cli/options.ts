/**
 * One flag vocabulary for every command: --fail-on, --platform (comma list), --base.
 */
import type { OptionValues } from './command.js';

// The --fail-on threshold lives in core/, the platform and base-image models in oci/; these
// names stay importable from here.
export { FAIL_ON_VALUES, parseFailOn } from '../core/fail-on.js';
export { type BaseChoice, parseBase } from '../oci/base-choice.js';
export { formatPlatform, type Platform, parsePlatforms } from '../oci/platform.js';

export function stringOption(options: OptionValues, name: string): string | undefined {
  const v = options[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOption(options: OptionValues, name: string): string[] {
  const v = options[name];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [v];
  return [];
}

export function flagOption(options: OptionValues, name: string): boolean {
  return options[name] === true;
}
