/**
 * What BuildKit's instruction parser (what `docker build` runs after the Dockerfile parser)
 * rejects: unknown instructions and flags, wrong argument counts, bad stage names, ONBUILD
 * triggers, HEALTHCHECK options, and instructions before the first FROM. Messages are
 * BuildKit's own.
 */

import { parseHeredocMarker } from './heredoc-words.js';
import type { BkNode } from './line-parsers.js';
import { goQuote, goTrimSpace } from './text.js';

type FlagType = 'bool' | 'string' | 'strings';

const FLAGS: Record<string, Record<string, FlagType>> = {
  add: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    unpack: 'bool',
    exclude: 'strings',
  },
  copy: {
    chown: 'string',
    from: 'string',
    chmod: 'string',
    link: 'bool',
    exclude: 'strings',
    parents: 'bool',
  },
  from: { platform: 'string' },
  healthcheck: {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    'start-interval': 'string',
    retries: 'string',
  },
  run: { device: 'strings', mount: 'strings', network: 'string', security: 'string' },
};

class InstructionError extends Error {}

/** BuildKit's flag parser; returns the values of the flags used. */
function parseFlags(flags: readonly string[], allowed: Record<string, FlagType>): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const a of flags) {
    if (a === '--') break;
    if (!a.startsWith('--')) throw new InstructionError(`arg should start with -- : ${a}`);
    const eq = a.indexOf('=');
    const flagName = eq < 0 ? a : a.slice(0, eq);
    const value = eq < 0 ? '' : a.slice(eq + 1);
    const name = flagName.slice(2);
    const type = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (type === undefined) throw new InstructionError(`unknown flag: ${flagName}`);
    if (used.has(name) && type !== 'strings')
      throw new InstructionError(`duplicate flag specified: ${flagName}`);
    const values = used.get(name) ?? [];
    used.set(name, values);
    if (type === 'bool') {
      if (eq >= 0 && value === '') throw new InstructionError(`missing a value on flag: ${flagName}`);
      const v = value.toLowerCase();
      if (v !== 'true' && v !== '' && v !== 'false') {
        throw new InstructionError(`expecting boolean value for flag ${flagName}, not: ${value}`);
      }
      values.push(v === 'false' ? 'false' : 'true');
    } else {
      if (eq < 0) throw new InstructionError(`missing a value on flag: ${flagName}`);
      values.push(value);
    }
  }
  return used;
}

/** The flattened arguments BuildKit's instruction parser sees (ONBUILD's trigger inlined). */
export function nodeArgs(node: BkNode): string[] {
  const out: string[] = [];
  for (let n: BkNode | undefined = node; n; ) {
    let sub: BkNode | undefined;
    for (const a of n.next) {
      if (typeof a === 'string') out.push(a);
      else {
        out.push(a.value);
        sub = a;
      }
    }
    n = sub;
  }
  return out;
}

const STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;

/** Go's time.ParseDuration, in nanoseconds; null when invalid. */
function parseDuration(s: string): number | null {
  let i = 0;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    i++;
  }
  if (s.slice(i) === '0') return 0;
  if (i >= s.length) return null;
  const units: Record<string, number> = {
    ns: 1,
    us: 1e3,
    µs: 1e3,
    μs: 1e3,
    ms: 1e6,
    s: 1e9,
    m: 60e9,
    h: 3600e9,
  };
  let total = 0;
  while (i < s.length) {
    const ns = i;
    while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
    const intPart = s.slice(ns, i);
    let frac = '';
    if (s[i] === '.') {
      i++;
      const fs = i;
      while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
      frac = s.slice(fs, i);
    }
    if (intPart === '' && frac === '') return null;
    const us = i;
    while (i < s.length && s[i] !== '.' && !(s[i]! >= '0' && s[i]! <= '9')) i++;
    const unit = units[s.slice(us, i)];
    if (unit === undefined) return null;
    total += Number(`${intPart || '0'}.${frac || '0'}`) * unit;
  }
  if (total > 2 ** 63 - 1) return null;
  return neg ? -total : total;
}

function interval(flags: Map<string, string[]>, name: string): void {
  const v = flags.get(name)?.at(-1) ?? '';
  if (v === '') return;
  const d = parseDuration(v);
  if (d === null) throw new InstructionError(`time: invalid duration ${goQuote(v)}`);
  if (d !== 0 && d < 1e6) throw new InstructionError(`Interval ${goQuote(name)} cannot be less than 1ms`);
}

/** Go's csv-style field check used for --mount and --device values. */
function csvError(val: string): string | null {
  if (val === '') return 'EOF';
  let i = 0;
  const n = val.length;
  for (;;) {
    if (val[i] === '"') {
      i++;
      for (;;) {
        const q = val.indexOf('"', i);
        if (q < 0) return 'extraneous or missing " in quoted-field';
        if (val[q + 1] === '"') {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i >= n) return null;
      if (val[i] !== ',') return 'extraneous or missing " in quoted-field';
      i++;
    } else {
      const c = val.indexOf(',', i);
      const field = c < 0 ? val.slice(i) : val.slice(i, c);
      if (field.includes('"')) return 'bare " in non-quoted-field';
      if (c < 0) return null;
      i = c + 1;
    }
  }
}

function checkRun(flags: Map<string, string[]>): void {
  for (const m of flags.get('device') ?? []) {
    const e = csvError(m);
    if (e) throw new InstructionError(`failed to parse csv devices: ${e}`);
  }
  for (const m of flags.get('mount') ?? []) {
    const e = csvError(m);
    if (e) throw new InstructionError(`failed to parse csv mounts: ${e}`);
    for (const field of m.split(',')) {
      const eq = field.indexOf('=');
      if (eq < 0 || field.slice(0, eq).toLowerCase() !== 'from') continue;
      const value = field.slice(eq + 1);
      const d = value.indexOf('$');
      if (d >= 0 && d !== value.length - 1) {
        throw new InstructionError("'from' doesn't support variable expansion, define alias stage instead");
      }
    }
  }
  const network = flags.get('network')?.at(-1) ?? 'default';
  if (network !== 'default' && network !== 'none' && network !== 'host') {
    throw new InstructionError(`invalid network mode ${goQuote(network)}`);
  }
  const security = flags.get('security')?.at(-1) ?? 'sandbox';
  if (security !== 'sandbox' && security !== 'insecure') {
    throw new InstructionError(`security ${goQuote(security)} is not valid`);
  }
}

function kvps(args: string[], name: string): void {
  if (args.length === 0) throw new InstructionError(`${name} requires at least one argument`);
  if (args.length % 3 !== 0) throw new InstructionError(`Bad input to ${name}, too many arguments`);
  for (let j = 0; j < args.length; j += 3) {
    if (args[j]!.length === 0) throw new InstructionError(`${name} names can not be blank`);
  }
}

function exactlyOne(args: string[], name: string): void {
  if (args.length !== 1) throw new InstructionError(`${name} requires exactly one argument`);
}
function atLeastOne(args: string[], name: string): void {
  if (args.length === 0) throw new InstructionError(`${name} requires at least one argument`);
}

function isHeredoc(word: string): boolean {
  const m = parseHeredocMarker(word);
  return m !== null && !('error' in m);
}

/** Checks one instruction as BuildKit's instruction parser does; returns whether it is FROM. */
function checkInstruction(node: BkNode): boolean {
  const args = nodeArgs(node);
  const kw = node.value.toLowerCase();
  const flags = (allowed: Record<string, FlagType> = {}): Map<string, string[]> =>
    parseFlags(node.flags, allowed);
  switch (kw) {
    case 'env':
    case 'label':
      flags();
      kvps(args, kw.toUpperCase());
      return false;
    case 'maintainer':
      exactlyOne(args, 'MAINTAINER');
      flags();
      return false;
    case 'add':
    case 'copy': {
      if (args.length < 2) {
        throw new InstructionError(
          `${kw.toUpperCase()} requires at least two arguments, but only one was provided. Destination could not be determined`,
        );
      }
      flags(FLAGS[kw]);
      if (isHeredoc(args[args.length - 1]!)) {
        throw new InstructionError(`${kw.toUpperCase()} cannot accept a heredoc as a destination`);
      }
      return false;
    }
    case 'from': {
      if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
        if (!STAGE_NAME.test(args[2]!.toLowerCase())) {
          throw new InstructionError(
            `invalid name for build stage: ${goQuote(args[2]!)}, name can't start with a number or contain symbols`,
          );
        }
      } else if (args.length !== 1) throw new InstructionError('FROM requires either one or three arguments');
      flags(FLAGS.from);
      return true;
    }
    case 'onbuild': {
      atLeastOne(args, 'ONBUILD');
      flags();
      const trigger = goTrimSpace(args[0]!).toUpperCase();
      if (trigger === 'ONBUILD')
        throw new InstructionError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (trigger === 'MAINTAINER' || trigger === 'FROM') {
        throw new InstructionError(`${trigger} isn't allowed as an ONBUILD trigger`);
      }
      return false;
    }
    case 'workdir':
      exactlyOne(args, 'WORKDIR');
      flags();
      return false;
    case 'run':
      checkRun(flags(FLAGS.run));
      return false;
    case 'cmd':
    case 'entrypoint':
      flags();
      return false;
    case 'healthcheck': {
      atLeastOne(args, 'HEALTHCHECK');
      const typ = args[0]!.toUpperCase();
      const rest = args.slice(1);
      if (typ === 'NONE') {
        if (rest.length !== 0) throw new InstructionError('HEALTHCHECK NONE takes no arguments');
        return false;
      }
      const used = flags(FLAGS.healthcheck);
      if (typ !== 'CMD') throw new InstructionError(`Unknown type ${goQuote(typ)} in HEALTHCHECK (try CMD)`);
      if (rest.length === 0) throw new InstructionError('Missing command after HEALTHCHECK CMD');
      for (const f of ['interval', 'timeout', 'start-period', 'start-interval']) interval(used, f);
      const retries = used.get('retries')?.at(-1) ?? '';
      if (retries !== '') {
        if (!/^[+-]?[0-9]+$/.test(retries) || Math.abs(Number(retries)) > 2147483647) {
          throw new InstructionError(`strconv.ParseInt: parsing ${goQuote(retries)}: invalid syntax`);
        }
        if (Number(retries) < 0)
          throw new InstructionError(`--retries cannot be negative (${Number(retries)})`);
      }
      return false;
    }
    case 'expose':
      atLeastOne(args, 'EXPOSE');
      flags();
      return false;
    case 'user':
      exactlyOne(args, 'USER');
      flags();
      return false;
    case 'volume':
      atLeastOne(args, 'VOLUME');
      flags();
      for (const v of args) {
        if (goTrimSpace(v) === '') throw new InstructionError('VOLUME specified can not be an empty string');
      }
      return false;
    case 'stopsignal':
      exactlyOne(args, 'STOPSIGNAL');
      return false;
    case 'arg':
      atLeastOne(args, 'ARG');
      for (const a of args) if (a.startsWith('=')) throw new InstructionError('ARG names can not be blank');
      return false;
    case 'shell': {
      flags();
      if (args.length === 0) throw new InstructionError('SHELL requires at least one argument');
      if (!node.json) throw new InstructionError('SHELL requires the arguments to be in JSON form');
      return false;
    }
    default:
      throw new InstructionError(`unknown instruction: ${node.value}`);
  }
}

export interface InstructionProblem {
  /** Index of the instruction the problem is on (-1: the file as a whole). */
  index: number;
  message: string;
}

/**
 * BuildKit's instruction parser over the parsed nodes: the first problem and the number of
 * build stages (FROM instructions) it counted up to there.
 */
export function checkInstructions(nodes: readonly BkNode[]): {
  problem?: InstructionProblem;
  stages: number;
} {
  let stages = 0;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    let isFrom: boolean;
    try {
      isFrom = checkInstruction(node);
    } catch (e) {
      if (e instanceof InstructionError) return { problem: { index: i, message: e.message }, stages };
      throw e;
    }
    if (isFrom) stages++;
    else if (stages === 0 && node.value.toLowerCase() !== 'arg') {
      return { problem: { index: i, message: 'no build stage in current context' }, stages };
    }
  }
  if (stages === 0) return { problem: { index: -1, message: 'no build stage' }, stages };
  return { stages };
}
