/**
 * Values for the build arguments of a project's -X version injection, derived from its git
 * checkout as a release would set them: VERSION from `git describe` (without the leading v, as
 * goreleaser's {{.Version}}), COMMIT from HEAD, DATE from SOURCE_DATE_EPOCH (else the commit's
 * date, so the same commit gives the same binary). Outside a checkout: "dev" and "unknown".
 */
import { execFile } from 'node:child_process';
import { type BuildArg, PLATFORM_FIELDS, type VersionInjection } from '../project/version-injection.js';
import type { Platform } from './platform.js';

function git(dir: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('git', ['-C', dir, ...args], { encoding: 'utf8' }, (err, stdout) =>
      done(err ? undefined : stdout.trim() || undefined),
    );
  });
}

async function argValue(arg: BuildArg, dir: string, epoch: number | undefined): Promise<string> {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const commitSeconds = async () => Number(await git(dir, ['log', '-1', '--format=%ct'])) || undefined;
  switch (arg.role) {
    case 'version':
      return (
        (await git(dir, ['describe', '--tags', '--always', '--dirty']))?.replace(/^v/, '') ??
        arg.default ??
        'dev'
      );
    case 'tag':
      return (await git(dir, ['describe', '--tags', '--always'])) ?? arg.default ?? 'dev';
    case 'commit':
      return (await git(dir, ['rev-parse', 'HEAD'])) ?? arg.default ?? 'unknown';
    case 'short-commit':
      return (await git(dir, ['rev-parse', '--short', 'HEAD'])) ?? arg.default ?? 'unknown';
    case 'branch':
      return (await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])) ?? arg.default ?? 'unknown';
    case 'date':
    case 'timestamp': {
      const s = epoch || (await commitSeconds());
      if (s === undefined) return arg.default ?? 'unknown';
      return arg.role === 'date' ? iso(s) : String(s);
    }
    case 'commit-date':
    case 'commit-timestamp': {
      const s = await commitSeconds();
      if (s === undefined) return arg.default ?? 'unknown';
      return arg.role === 'commit-date' ? iso(s) : String(s);
    }
    default:
      return process.env[arg.name] ?? arg.default ?? '';
  }
}

/** A word for -ldflags: quoted as go's flag splitter reads it when it holds a blank. */
function ldflagWord(w: string): string {
  return /\s/.test(w) ? `'${w}'` : w;
}

/** The -ldflags words for an injection: its other flags, then each -X with its value filled in. */
export async function injectionLdflags(
  injection: VersionInjection,
  dir: string,
  epoch: number | undefined,
): Promise<string[]> {
  const values = new Map<string, string>();
  await Promise.all(injection.args.map(async (a) => values.set(a.name, await argValue(a, dir, epoch))));
  const words = [...injection.otherLdflags];
  for (const f of injection.flags) {
    // Platform fields stay as they are: ldflagsFor fills them in per platform.
    const value = f.value.replace(
      /\$\{(\w+)\}/g,
      (all, name: string) => values.get(name) ?? (injection.platformFields.includes(name) ? all : ''),
    );
    words.push('-X', ldflagWord(`${f.symbol}=${value}`));
  }
  return words;
}

/**
 * goreleaser's per-target values for one platform: GOARM is the digit of an arm variant (v7 → 7),
 * the target is os_arch plus that digit, or plus the amd64 level (v1 unless the variant says).
 */
export function platformFieldValues(p: Platform): Record<string, string> {
  const arm = p.arch === 'arm' ? (p.variant?.replace(/^v/, '') ?? '') : '';
  const suffix = p.arch === 'amd64' ? (p.variant ?? 'v1') : arm;
  return {
    TARGETOS: p.os,
    TARGETARCH: p.arch,
    GORELEASER_ARM: arm,
    GORELEASER_TARGET: suffix ? `${p.os}_${p.arch}_${suffix}` : `${p.os}_${p.arch}`,
  };
}

const PLATFORM_REF = new RegExp(`\\$\\{(${Object.values(PLATFORM_FIELDS).join('|')})\\}`, 'g');

/** -ldflags words for one platform: the platform fields (${TARGETOS}, ...) filled in. */
export function ldflagsFor(words: string[], p: Platform): string[] {
  const values = platformFieldValues(p);
  return words.map((w) => w.replace(PLATFORM_REF, (_all, name: string) => values[name]!));
}
