/**
 * The stable output directory of a `go build` (a "slot": one per project, main package, platform,
 * flags and toolchain) in the cache. Go skips the link when the file already there carries the
 * build ID it would produce, so an unchanged rebuild does not relink, as a plain `go build` in the
 * project does not; a fresh temporary path would relink every time. The slot also remembers its last
 * binary layer, whose gzip blocks the next one reuses (layer-cache.ts).
 *
 * One build at a time owns a slot (a lock file naming its process). A second build of the same
 * configuration at the same moment does not wait: it builds into its own temporary directory, as
 * without a cache. A lock whose process is gone (killed) is taken over.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { atInterrupt } from '../core/interrupt.js';

/** `go build` output directories kept (least recently used beyond this are removed). */
export const MAX_OUTPUT_DIRS = 8;

const LOCK = '.lock';
/** A lock file still without a pid after this long was left by a build killed while taking it. */
const UNWRITTEN_LOCK_MS = 60_000;

export interface OutputSlot {
  /** The slot's directory. */
  dir: string;
  /** go's -o path in it. */
  output: string;
  /** go's work directory parent (GOTMPDIR): in the slot, so that go renames its binary into place. */
  tmpDir: string;
  /** Removes the temporary directory and gives the slot up. */
  release(): void;
}

/** True unless no process has this pid (another user's live process counts as alive). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file at `path`; false when a live process holds it. Throws on other failures. */
function lock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = Number.NaN;
      let age = 0;
      try {
        holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
        age = Date.now() - statSync(path).mtimeMs;
      } catch {
        // Removed meanwhile: decided by the next attempt.
      }
      // A lock without a pid is being written by a live build, unless it was left so long ago.
      if (Number.isNaN(holder) ? age < UNWRITTEN_LOCK_MS : alive(holder)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

/**
 * The slot of the build configuration `what` under `cacheRoot`, locked for this build; undefined
 * when another build holds it. Throws when the cache cannot be written (callers go on without it).
 */
export function claimSlot(cacheRoot: string, what: unknown, name: string): OutputSlot | undefined {
  const key = createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 32);
  const dir = join(cacheRoot, 'bin', key);
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, LOCK);
  if (!lock(lockPath)) return undefined;
  let tmpDir: string;
  try {
    // Recently used: pruning keeps it.
    const now = new Date();
    utimesSync(dir, now, now);
    tmpDir = mkdtempSync(join(dir, '.go-tmp-'));
  } catch (err) {
    rmSync(lockPath, { force: true });
    throw err;
  }
  const release = () => {
    rmSync(tmpDir, { recursive: true, force: true });
    rmSync(lockPath, { force: true });
  };
  const forget = atInterrupt(release);
  return {
    dir,
    output: join(dir, name),
    tmpDir,
    release() {
      forget();
      release();
    },
  };
}

/** Removes the least recently used slots beyond `max` (best effort; a locked one stays). */
export async function pruneSlots(cacheRoot: string, max = MAX_OUTPUT_DIRS): Promise<void> {
  const root = join(cacheRoot, 'bin');
  const names = await readdir(root).catch(() => [] as string[]);
  if (names.length <= max) return;
  const aged = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(join(root, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  aged.sort((a, b) => b.t - a.t);
  for (const { n } of aged.slice(max)) {
    const dir = join(root, n);
    if (!lock(join(dir, LOCK))) continue;
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}
