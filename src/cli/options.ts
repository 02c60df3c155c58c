/**
 * One flag vocabulary for every command: --fail-on, --platform (comma list), --base.
 */
import { UsageError } from '../core/errors.js';
import type { FailOn } from '../core/finding.js';
import type { OptionValues } from './command.js';

export const FAIL_ON_VALUES = ['error', 'warning', 'info', 'never'] as const;

export function parseFailOn(value: string | undefined, fallback: FailOn = 'error'): FailOn {
  if (value === undefined) return fallback;
  if ((FAIL_ON_VALUES as readonly string[]).includes(value)) return value as FailOn;
  throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')}, got "${value}"`);
}

export interface Platform {
  os: string;
  arch: string;
  variant?: string;
}

const PLATFORM_RE = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/;

/** Parses `linux/amd64,linux/arm64/v8` into platforms. */
export function parsePlatforms(value: string | undefined): Platform[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((raw) => {
    const text = raw.trim();
    const m = PLATFORM_RE.exec(text);
    if (!m) throw new UsageError(`--platform: "${text}" is not OS/ARCH[/VARIANT], e.g. linux/amd64`);
    return m[3] ? { os: m[1]!, arch: m[2]!, variant: m[3] } : { os: m[1]!, arch: m[2]! };
  });
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.arch}/${p.variant}` : `${p.os}/${p.arch}`;
}

export type BaseChoice =
  | { kind: 'auto' }
  | { kind: 'scratch' }
  | { kind: 'distroless' }
  | { kind: 'alpine' }
  | { kind: 'debian' }
  | { kind: 'image'; ref: string };

const BASE_KEYWORDS = ['auto', 'scratch', 'distroless', 'alpine', 'debian'] as const;

export function parseBase(value: string | undefined): BaseChoice {
  if (value === undefined || value === '') return { kind: 'auto' };
  if ((BASE_KEYWORDS as readonly string[]).includes(value)) {
    return { kind: value as (typeof BASE_KEYWORDS)[number] } as BaseChoice;
  }
  if (/\s/.test(value)) throw new UsageError(`--base: "${value}" is not an image reference`);
  return { kind: 'image', ref: value };
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
