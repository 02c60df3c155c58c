/**
 * A file read in pieces into one buffer used again and again ("lent" pieces). Memory touched for
 * the first time costs a page fault per 4 KiB, and on some virtual machines each fault costs
 * microseconds, so that reading a binary into fresh memory can take several times as long as
 * reading it through one small buffer. For bytes that are only hashed or cut into blocks, this is
 * the cheap way; whoever keeps a piece past the next one copies it.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** Big enough that few read calls are made, small enough that the buffer faults in once, cheaply. */
export const LENT_CHUNK = 1 << 18;

/** A stretch of a file: a blob inside an archive, or a whole file. */
export interface FileSpan {
  path: string;
  offset: number;
  length: number;
}

/**
 * The bytes of `path` (or of a span of it), in pieces of at most `size` bytes; fewer bytes when
 * the file ends early. Each piece is a view of the same buffer: valid until the next piece is
 * asked for. The reads are synchronous: a piece of a local file comes from the page cache in
 * microseconds, while an asynchronous read would queue on libuv's threadpool behind whatever else
 * runs there (the gzip blocks compressing while this file is read).
 */
export async function* lentFileChunks(where: string | FileSpan, size = LENT_CHUNK): AsyncGenerator<Buffer> {
  const span = typeof where === 'string' ? { path: where, offset: 0, length: Infinity } : where;
  const fd = openSync(span.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(size, Math.max(1, span.length)));
    for (let done = 0; done < span.length; ) {
      const want = Math.min(buffer.length, span.length - done);
      const bytesRead = readSync(fd, buffer, 0, want, span.offset + done);
      if (bytesRead === 0) return;
      done += bytesRead;
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
