/**
 * Reference data kept outside the repository (BuildKit's parser as an oracle, the real-world
 * corpus), in a `shared/` folder. Looked for in order: the environment variable naming it; a
 * `shared/` beside the checkout or one of its parents; the same beside the repository this
 * checkout was cloned from, when that is a local folder (a clone made elsewhere, such as under
 * /tmp, still finds the data its origin finds).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './cli.js';

/**
 * The folder `shared/<relative>` holding `marker`, or the one `envVar` names (which must hold
 * `marker` too), or undefined.
 */
export function findSharedData(relative: string, marker: string, envVar: string): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv) return existsSync(join(fromEnv, marker)) ? resolve(fromEnv) : undefined;
  for (const start of [REPO_ROOT, originFolder()]) {
    if (!start) continue;
    for (let dir = start; ; dir = dirname(dir)) {
      for (const candidate of [join(dir, 'shared', relative), join(dir, '..', 'shared', relative)]) {
        if (existsSync(join(candidate, marker))) return resolve(candidate);
      }
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** The local folder this checkout was cloned from, if any. */
function originFolder(): string | undefined {
  const r = spawnSync('git', ['config', '--get', 'remote.origin.url'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const url = r.status === 0 ? r.stdout.trim() : '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return isAbsolute(path) && existsSync(path) ? path : undefined;
}
