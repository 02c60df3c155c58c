/** The shape of `.goimg.yaml`: every key the file may hold. */
import type { FailOn } from '../core/finding.js';
import type { RuleLevel } from './overrides.js';

export interface GoimgConfig {
  /** Lowest severity that makes the command exit 1 (`never`: always 0). */
  failOn?: FailOn;
  /** Per-rule level: `off` drops the rule, a severity replaces its default. */
  rules?: Record<string, RuleLevel>;
  /** Globs (relative to the config file's directory) whose findings are not reported. */
  ignore?: string[];
  audit?: {
    /** Dockerfile to audit instead of discovering every Dockerfile. */
    dockerfile?: string;
    /** Build context directory when it is not the audited directory. */
    context?: string;
    /** The stage the build stops at (`docker build --target`). */
    target?: string;
    /** Values the build passes (`docker build --build-arg NAME=VALUE`), by name. */
    buildArgs?: Record<string, string>;
    /** How long fetched release data is used before it is fetched again (`12h`, `1d`, `0`). */
    releaseTtl?: string;
  };
  image?: {
    /** BYTES (number, or `20MB`, `1.5GiB`) or PCT (`10%`). */
    maxWaste?: string;
    /** 0 to 1. */
    minEfficiency?: number;
    /** OS/ARCH[/VARIANT] to pick from a multi-platform index. */
    platform?: string;
  };
  build?: {
    base?: string;
    /** Comma list of OS/ARCH[/VARIANT]. */
    platform?: string;
    ldflags?: string;
    tags?: string[];
  };
  init?: {
    base?: string;
    platform?: string;
  };
}

/** A loaded config and where it came from (relative paths inside it are relative to `dir`). */
export interface LoadedConfig {
  file: string;
  dir: string;
  config: GoimgConfig;
}

export const TOP_LEVEL_KEYS = ['failOn', 'rules', 'ignore', 'audit', 'image', 'build', 'init'] as const;

export const SECTION_KEYS = {
  audit: ['dockerfile', 'context', 'target', 'buildArgs', 'releaseTtl'],
  image: ['maxWaste', 'minEfficiency', 'platform'],
  build: ['base', 'platform', 'ldflags', 'tags'],
  init: ['base', 'platform'],
} as const;

export const CONFIG_FILE_NAMES = ['.goimg.yaml', '.goimg.yml'] as const;
