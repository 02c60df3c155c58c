/** Where goimg keeps what outlives a build: layers, `go build` outputs, early-start plans. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * GOIMG_CACHE_DIR, else $XDG_CACHE_HOME/goimg, else ~/.cache/goimg; "" or "off" disables it.
 * bin/goimg.js's shell part applies the same rule to find the early-start plans: change both.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.GOIMG_CACHE_DIR;
  if (explicit !== undefined) return explicit === '' || explicit === 'off' ? undefined : explicit;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'goimg');
  const home = env.HOME ?? homedir();
  return home ? join(home, '.cache', 'goimg') : undefined;
}
