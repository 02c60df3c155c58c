/**
 * Where a binary's bytes come from. The ELF reader only ever asks for ranges, so a 75 MB file is
 * read by section and a file held in memory (say, from an image layer) needs no temporary copy.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { lastAtMost } from '../core/sorted.js';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset`; rejects a range outside [0, size). */
  read(offset: number, length: number): Promise<Buffer>;
}

/** Refuses a range the source cannot satisfy instead of returning a short buffer. */
export function checkRange(source: { size: number }, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new InputError(`${what}: invalid range (offset ${offset}, length ${length})`);
  }
  if (offset + length > source.size) {
    throw new InputError(
      `${what} lies past the end of the file (offset ${offset} + ${length} bytes > file size ${source.size}); the file is truncated or corrupt`,
    );
  }
}

export function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    async read(offset, length) {
      checkRange({ size: buf.length }, offset, length, 'read');
      return buf.subarray(offset, offset + length);
    },
  };
}

/**
 * Bytes held as the pieces they arrived in (a file streamed out of a layer): a range inside one
 * piece is a view of it, a range across pieces is copied. The ELF reader asks for headers and
 * tables, so most of a file is never copied.
 */
export function piecesSource(pieces: readonly Buffer[]): ByteSource {
  const starts: number[] = [];
  let size = 0;
  for (const p of pieces) {
    starts.push(size);
    size += p.length;
  }
  return {
    size,
    async read(offset, length) {
      checkRange({ size }, offset, length, 'read');
      if (length === 0) return Buffer.alloc(0);
      let i = lastAtMost(starts, offset);
      const from = offset - starts[i]!;
      if (from + length <= pieces[i]!.length) return pieces[i]!.subarray(from, from + length);
      const out = Buffer.allocUnsafe(length);
      let done = pieces[i]!.copy(out, 0, from);
      while (done < length) {
        i++;
        done += pieces[i]!.copy(out, done, 0, Math.min(pieces[i]!.length, length - done));
      }
      return out;
    },
  };
}

export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

/**
 * A file read with synchronous positioned reads: each read is one system call on the calling
 * thread, where an asynchronous read waits for a thread-pool hand-off twice (the dozen reads
 * of a size attribution spent tens of milliseconds idle that way on a loaded machine). The
 * reads are bounded by the sections asked for, so the event loop is held only as long as the
 * copy takes.
 */
export async function fileSource(path: string): Promise<FileSource> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot open ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new InputError(`${path} is not a regular file`);
  }
  const file = spanFile(fd, path);
  return {
    ...file.span(0, stat.size, path),
    async close() {
      file.close();
    },
  };
}

/** An open file whose stretches can be read in place until it is closed. */
export interface SpanFile {
  /** `size` bytes from `base` (a file inside an archive on disk). */
  span(base: number, size: number, what: string): ByteSource;
  close(): void;
}

/**
 * Stretches of the open file `fd`, read with synchronous positioned reads (see fileSource). A
 * read after close() is refused, never sent to whatever file the descriptor number names next.
 */
export function spanFile(fd: number, path: string): SpanFile {
  let open = true;
  return {
    span(base, size, what) {
      return {
        size,
        async read(offset, length) {
          checkRange({ size }, offset, length, 'read');
          if (!open) throw new InputError(`${path} was read after it was closed`);
          const buf = Buffer.allocUnsafe(length);
          let done = 0;
          while (done < length) {
            const bytesRead = readSync(fd, buf, done, length - done, base + offset + done);
            if (bytesRead === 0) throw new InputError(`${what} shrank while being read`);
            done += bytesRead;
          }
          return buf;
        },
      };
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
