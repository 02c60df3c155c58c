/**
 * The source revision (HEAD's commit) and origin URL of the git checkout holding a directory, for
 * the image's org.opencontainers.image.{revision,source} labels. Read from the .git files (HEAD,
 * refs, packed-refs, config) instead of running git twice: two process spawns cost more than the
 * rest of the image assembly on a busy machine. Anything unusual (GIT_DIR set, a ref that is not
 * where it should be, URL rewriting or includes in the config) falls back to asking git itself.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { atInterrupt } from '../core/interrupt.js';

export interface GitInfo {
  revision?: string;
  source?: string;
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function git(dir: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    const child = execFile('git', ['-C', dir, ...args], { encoding: 'utf8' }, (err, stdout) => {
      forget();
      done(err ? undefined : stdout.trim());
    });
    const forget = atInterrupt(() => {
      child.kill('SIGKILL');
    });
  });
}

async function askGit(dir: string): Promise<GitInfo> {
  const [revision, source] = await Promise.all([
    git(dir, ['rev-parse', 'HEAD']),
    git(dir, ['remote', 'get-url', 'origin']),
  ]);
  if (!revision) return {};
  return { revision, ...(source ? { source } : {}) };
}

/** The git directory and its common directory (they differ in linked worktrees), or undefined. */
export function findGitDir(start: string): { gitDir: string; commonDir: string } | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      let gitDir = dotGit;
      if (statSync(dotGit).isFile()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (!m) return undefined;
        gitDir = resolve(dir, m[1]!);
      }
      const common = join(gitDir, 'commondir');
      const commonDir = existsSync(common) ? resolve(gitDir, readFileSync(common, 'utf8').trim()) : gitDir;
      return { gitDir, commonDir };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function readRef(gitDir: string, commonDir: string, ref: string): string | undefined {
  for (const root of [gitDir, commonDir]) {
    const loose = join(root, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  }
  const packed = join(commonDir, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  for (const line of readFileSync(packed, 'utf8').split('\n')) {
    const [id, name] = line.split(' ');
    if (name === ref) return id;
  }
  return undefined;
}

/** `remote.origin.url` from a plain config file; null when the file needs git to be read right. */
export function originUrl(config: string): string | undefined | null {
  if (/insteadof|^\s*\[include/im.test(config)) return null;
  let inOrigin = false;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inOrigin = /^\[remote\s+"origin"\]$/.test(line);
    else if (inOrigin) {
      const m = /^url\s*=\s*(.*)$/.exec(line);
      if (m) return /["\\;#]/.test(m[1]!) ? null : m[1]!.trim();
    }
  }
  return undefined;
}

export async function gitRevision(dir: string): Promise<GitInfo> {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return askGit(dir);
  try {
    const found = findGitDir(dir);
    if (!found) return {};
    const { gitDir, commonDir } = found;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const sym = /^ref:\s*(refs\/\S+)$/.exec(head);
    if (existsSync(join(commonDir, 'reftable'))) return askGit(dir);
    const revision = sym ? readRef(gitDir, commonDir, sym[1]!) : head;
    // Not found (an unborn branch, a ref store we do not know) or odd: git decides.
    if (!revision || !OBJECT_ID.test(revision)) return askGit(dir);
    const source = originUrl(readFileSync(join(commonDir, 'config'), 'utf8'));
    if (source === null) return askGit(dir);
    return { revision, ...(source ? { source } : {}) };
  } catch {
    return askGit(dir);
  }
}
