/**
 * Loading and validating `.goimg.yaml`. Every problem is an InputError that names the file, the
 * line and column, and the key or value at fault, with "did you mean" for near misses.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type Scalar } from 'yaml';
import { InputError } from '../core/errors.js';
import { FAIL_ON_VALUES } from '../core/fail-on.js';
import type { FailOn } from '../core/finding.js';
import { parseBase } from '../oci/base-choice.js';
import { parsePlatforms } from '../oci/platform.js';
import { hasRule } from '../rules/catalog.js';
import { parseDuration } from './duration.js';
import { isRuleLevel, RULE_LEVELS, type RuleLevel, unknownRuleMessage } from './overrides.js';
import {
  CONFIG_FILE_NAMES,
  type GoimgConfig,
  type LoadedConfig,
  SECTION_KEYS,
  TOP_LEVEL_KEYS,
} from './schema.js';
import { didYouMean } from './suggest.js';

const HINT = 'see docs/configuration.md (in the goimg package) for every key';

class Reader {
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  fail(node: Node | null | undefined, message: string): never {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    throw new InputError(`${this.file}:${line}:${col}: ${message}`, HINT);
  }

  keyOf(pair: Pair): { name: string; node: Scalar } {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value !== 'string') {
      this.fail(isScalar(key) ? key : (pair.value as Node), `keys must be plain names, got ${String(key)}`);
    }
    return { name: key.value, node: key };
  }

  value(pair: Pair, key: Scalar): Node {
    const v = pair.value as Node | null;
    if (v === null || (isScalar(v) && v.value === null))
      this.fail(key, `"${String(key.value)}" has no value`);
    return v;
  }

  string(node: Node, what: string): string {
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
      this.fail(node, `${what} must be a string`);
    }
    return String(node.value);
  }

  /** Pairs of a mapping node, rejecting keys outside `allowed` with a near-miss suggestion. */
  pairs(node: Node, what: string, allowed?: readonly string[]): { name: string; key: Scalar; value: Node }[] {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping of keys to values`);
    return node.items.map((pair) => {
      const { name, node: key } = this.keyOf(pair);
      if (allowed && !allowed.includes(name)) {
        this.fail(
          key,
          `unknown key "${name}" in ${what}${didYouMean(name, allowed) || `; valid keys: ${allowed.join(', ')}`}`,
        );
      }
      return { name, key, value: this.value(pair, key) };
    });
  }
}

/** Runs a CLI flag parser on a config value, re-labelling its error with the config key. */
function checked<T>(reader: Reader, node: Node, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    return reader.fail(node, `${what}: ${(err as Error).message.replace(/^--[a-z-]+:\s*/, '')}`);
  }
}

const WASTE = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const WASTE_PCT = /^(\d+(?:\.\d+)?)%$/;

function maxWaste(reader: Reader, node: Node): string {
  if (isScalar(node) && typeof node.value === 'number') {
    if (!Number.isFinite(node.value) || node.value < 0)
      reader.fail(node, 'image.maxWaste must be 0 or more bytes');
    return String(node.value);
  }
  const text = reader.string(node, 'image.maxWaste').trim();
  const pct = WASTE_PCT.exec(text);
  if (pct && Number(pct[1]) <= 100) return text;
  if (!pct && WASTE.test(text)) return text;
  return reader.fail(
    node,
    `image.maxWaste: "${text}" is neither BYTES (e.g. 20MB) nor PCT (e.g. 10%, at most 100%)`,
  );
}

function minEfficiency(reader: Reader, node: Node): number {
  const n = isScalar(node) ? Number(node.value) : Number.NaN;
  if (!isScalar(node) || node.value === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    reader.fail(node, `image.minEfficiency must be a number from 0 to 1, got ${String(node)}`);
  }
  return n;
}

function platform(reader: Reader, node: Node, what: string, single: boolean): string {
  const text = reader.string(node, what);
  const list = checked(reader, node, what, () => parsePlatforms(text));
  if (list.length === 0) reader.fail(node, `${what} is empty`);
  if (single && list.length > 1) reader.fail(node, `${what} names one platform, got "${text}"`);
  return text;
}

function base(reader: Reader, node: Node, what: string): string {
  const text = reader.string(node, what);
  checked(reader, node, what, () => parseBase(text));
  return text;
}

function stringList(reader: Reader, node: Node, what: string, split: RegExp | undefined): string[] {
  if (isSeq(node)) return node.items.map((item) => reader.string(item as Node, `each entry of ${what}`));
  if (split && isScalar(node)) {
    return reader
      .string(node, what)
      .split(split)
      .filter((s) => s !== '');
  }
  return reader.fail(node, `${what} must be a list of strings`);
}

function failOn(reader: Reader, node: Node): FailOn {
  const text = reader.string(node, 'failOn');
  if (!(FAIL_ON_VALUES as readonly string[]).includes(text)) {
    reader.fail(
      node,
      `failOn must be one of ${FAIL_ON_VALUES.join(', ')}, got "${text}"${didYouMean(text, FAIL_ON_VALUES)}`,
    );
  }
  return text as FailOn;
}

function rules(reader: Reader, node: Node): Record<string, RuleLevel> {
  const out: Record<string, RuleLevel> = {};
  for (const { name, key, value } of reader.pairs(node, 'rules')) {
    if (!hasRule(name)) reader.fail(key, unknownRuleMessage(name));
    const level = reader.string(value, `rules.${name}`);
    if (!isRuleLevel(level)) {
      reader.fail(
        value,
        `rules.${name} must be one of ${RULE_LEVELS.join(', ')}, got "${level}"${didYouMean(level, RULE_LEVELS)}`,
      );
    }
    out[name] = level;
  }
  return out;
}

/** `audit.buildArgs`: a map of ARG names to the values the build passes (numbers are text). */
function buildArgs(reader: Reader, node: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, key, value } of reader.pairs(node, 'audit.buildArgs')) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      reader.fail(key, `audit.buildArgs: "${name}" is not an ARG name (letters, digits, _)`);
    const v = isScalar(value) && typeof value.value === 'number' ? String(value.value) : undefined;
    out[name] = v ?? reader.string(value, `audit.buildArgs.${name}`);
  }
  return out;
}

/** Parses and validates the text of a config file; `file` is only used in messages. */
export function parseConfig(text: string, file: string): GoimgConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader = new Reader(file, lines);
  const problem = doc.errors[0];
  if (problem) {
    const { line, col } = lines.linePos(problem.pos[0]);
    throw new InputError(`${file}:${line}:${col}: not valid YAML: ${problem.message.split('\n')[0]}`, HINT);
  }
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  const config: GoimgConfig = {};
  for (const { name, value } of reader.pairs(root, 'the config file', TOP_LEVEL_KEYS)) {
    switch (name) {
      case 'failOn':
        config.failOn = failOn(reader, value);
        break;
      case 'rules':
        config.rules = rules(reader, value);
        break;
      case 'ignore':
        config.ignore = stringList(reader, value, 'ignore', undefined);
        break;
      case 'audit': {
        const audit: NonNullable<GoimgConfig['audit']> = {};
        for (const p of reader.pairs(value, 'audit', SECTION_KEYS.audit)) {
          if (p.name === 'buildArgs') {
            audit.buildArgs = buildArgs(reader, p.value);
            continue;
          }
          const text = reader.string(p.value, `audit.${p.name}`);
          if (p.name === 'releaseTtl' && parseDuration(text) === undefined) {
            reader.fail(p.value, `audit.releaseTtl must be a duration (30m, 12h, 1d, 0), got "${text}"`);
          }
          audit[p.name as Exclude<keyof typeof audit, 'buildArgs'>] = text;
        }
        config.audit = audit;
        break;
      }
      case 'image': {
        const image: NonNullable<GoimgConfig['image']> = {};
        for (const p of reader.pairs(value, 'image', SECTION_KEYS.image)) {
          if (p.name === 'maxWaste') image.maxWaste = maxWaste(reader, p.value);
          else if (p.name === 'minEfficiency') image.minEfficiency = minEfficiency(reader, p.value);
          else image.platform = platform(reader, p.value, 'image.platform', true);
        }
        config.image = image;
        break;
      }
      case 'build': {
        const build: NonNullable<GoimgConfig['build']> = {};
        for (const p of reader.pairs(value, 'build', SECTION_KEYS.build)) {
          if (p.name === 'base') build.base = base(reader, p.value, 'build.base');
          else if (p.name === 'platform') build.platform = platform(reader, p.value, 'build.platform', false);
          else if (p.name === 'ldflags') build.ldflags = reader.string(p.value, 'build.ldflags');
          else build.tags = stringList(reader, p.value, 'build.tags', /[\s,]+/);
        }
        config.build = build;
        break;
      }
      case 'init': {
        const init: NonNullable<GoimgConfig['init']> = {};
        for (const p of reader.pairs(value, 'init', SECTION_KEYS.init)) {
          if (p.name === 'base') init.base = base(reader, p.value, 'init.base');
          else init.platform = platform(reader, p.value, 'init.platform', false);
        }
        config.init = init;
        break;
      }
    }
  }
  return config;
}

/** Reads and validates a config file. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return { file: path, dir: dirname(resolve(path)), config: parseConfig(text, path) };
}

/**
 * The config file for `dir`: `.goimg.yaml` (or `.goimg.yml`) in `dir`, else in its parents up to
 * and including the git root (the directory holding `.git`). Outside a git repository only
 * `dir` itself is searched.
 */
export function findConfig(dir: string): string | undefined {
  const start = resolve(dir);
  const chain: string[] = [];
  let gitRoot: string | undefined;
  for (let d = start; ; d = dirname(d)) {
    chain.push(d);
    if (existsSync(join(d, '.git'))) {
      gitRoot = d;
      break;
    }
    if (dirname(d) === d) break;
  }
  for (const d of gitRoot ? chain : [start]) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(d, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** findConfig + loadConfig; undefined when there is no config file. */
export async function loadConfigFor(dir: string): Promise<LoadedConfig | undefined> {
  const file = findConfig(dir);
  return file ? loadConfig(file) : undefined;
}
