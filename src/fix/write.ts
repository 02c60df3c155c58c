/**
 * Atomic file replacement: write a temporary file in the same directory, fsync it, give it the
 * original's mode and rename it over the original, so a reader never sees half a file and a
 * crash leaves either the old or the new content.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Mode for files that did not exist (before the umask). */
const NEW_FILE_MODE = 0o644;

async function existingTarget(path: string): Promise<{ path: string; mode: number } | undefined> {
  try {
    // Write through a symlink to the file it names, never replacing the link itself.
    const real = await realpath(path);
    return { path: real, mode: (await stat(real)).mode & 0o7777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = await existingTarget(path);
  const finalPath = target?.path ?? path;
  const dir = dirname(finalPath);
  const tmp = join(dir, `.${basename(finalPath)}.goimg-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', target?.mode ?? NEW_FILE_MODE);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      // open() applies the umask; the replacement keeps exactly the original's mode.
      if (target) await handle.chmod(target.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, finalPath);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}
