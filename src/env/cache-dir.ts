/**
 * Where goimg keeps what outlives a run (layers, `go build` outputs, release data), and opening
 * it. The cache is only an optimisation: one that cannot be used (read-only home, no space, a
 * file where the directory should be) is reported once and the work goes on without it.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** GOIMG_CACHE_DIR, else $XDG_CACHE_HOME/goimg, else ~/.cache/goimg; "" or "off" disables it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.GOIMG_CACHE_DIR;
  if (explicit !== undefined) return explicit === '' || explicit === 'off' ? undefined : explicit;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'goimg');
  const home = env.HOME ?? homedir();
  return home ? join(home, '.cache', 'goimg') : undefined;
}

/** Says once what went wrong with the cache; later calls are ignored. */
export type CacheWarning = (text: string) => void;

/** A warning function that passes on only its first call. */
export function once(warn: (text: string) => void): CacheWarning {
  let said = false;
  return (text) => {
    if (said) return;
    said = true;
    warn(text);
  };
}

/** The reason an error gives, short: its code when it has one. */
export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.path ? ` ${e.path}` : ''}` : String((e as Error)?.message ?? err);
}

/**
 * `dir`, created if needed, when goimg can write there; otherwise undefined, after one warning.
 */
export function usableCacheDir(dir: string, warn: CacheWarning): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return dir;
  } catch (err) {
    warn(`the cache at ${dir} cannot be used (${errorText(err)}): building without it`);
    return undefined;
  }
}
