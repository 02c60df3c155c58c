/** The --fail-on threshold: the least severe finding that fails a run, or never. */
import { UsageError } from './errors.js';
import type { FailOn } from './finding.js';

export const FAIL_ON_VALUES = ['error', 'warning', 'info', 'never'] as const;

export function parseFailOn(value: string | undefined, fallback: FailOn = 'error'): FailOn {
  if (value === undefined) return fallback;
  if ((FAIL_ON_VALUES as readonly string[]).includes(value)) return value as FailOn;
  throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')}, got "${value}"`);
}
