/**
 * One flag vocabulary for every command: --fail-on, --platform (comma list), --base.
 */
import { UsageError } from '../core/errors.js';
import type { FailOn } from '../core/finding.js';
import type { OptionValues } from './command.js';

// The platform and base-image models live in oci/; these names stay importable from here.
export { type BaseChoice, parseBase } from '../oci/base-choice.js';
export { formatPlatform, type Platform, parsePlatforms } from '../oci/platform.js';

export const FAIL_ON_VALUES = ['error', 'warning', 'info', 'never'] as const;

export function parseFailOn(value: string | undefined, fallback: FailOn = 'error'): FailOn {
  if (value === undefined) return fallback;
  if ((FAIL_ON_VALUES as readonly string[]).includes(value)) return value as FailOn;
  throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')}, got "${value}"`);
}

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
