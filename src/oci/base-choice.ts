/** The base image a build starts from: a keyword goimg resolves, or an image reference. */
import { UsageError } from '../core/errors.js';

export type BaseChoice =
  | { kind: 'auto' }
  | { kind: 'scratch' }
  | { kind: 'distroless' }
  | { kind: 'alpine' }
  | { kind: 'debian' }
  | { kind: 'image'; ref: string };

const BASE_KEYWORDS = ['auto', 'scratch', 'distroless', 'alpine', 'debian'] as const;

/** Parses the --base value (`auto` when absent). */
export function parseBase(value: string | undefined): BaseChoice {
  if (value === undefined || value === '') return { kind: 'auto' };
  if ((BASE_KEYWORDS as readonly string[]).includes(value)) {
    return { kind: value as (typeof BASE_KEYWORDS)[number] } as BaseChoice;
  }
  if (/\s/.test(value)) throw new UsageError(`--base: "${value}" is not an image reference`);
  return { kind: 'image', ref: value };
}
