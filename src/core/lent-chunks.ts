/**
 * A file read in pieces into one buffer used again and again ("lent" pieces). Memory touched for
 * the first time costs a page fault per 4 KiB, and on some virtual machines each fault costs
 * microseconds, so that reading a binary into fresh memory can take several times as long as
 * reading it through one small buffer. For bytes that are only hashed or cut into blocks, this is
 * the cheap way; whoever keeps a piece past the next one copies it.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** Big enough that each read is worth its trip to the threadpool, small enough to fault in once. */
export const LENT_CHUNK = 1 << 18;

/**
 * The bytes of `path`, in pieces of at most `size` bytes. Each piece is a view of the same buffer:
 * valid until the next piece is asked for. The reads are synchronous: a piece of a local file comes
 * from the page cache in microseconds, while an asynchronous read would queue on libuv's threadpool
 * behind whatever else runs there (the gzip blocks compressing while this file is read).
 */
export async function* lentFileChunks(path: string, size = LENT_CHUNK): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size);
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

/** "sha256:<hex>" of a file's bytes. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of lentFileChunks(path)) hash.update(piece);
  return `sha256:${hash.digest('hex')}`;
}
