/**
 * Reads one layer's uncompressed tar entry by entry: records each entry's metadata, hands the
 * bytes of the few entries a caller asks for (small config files, executables to inspect) to a
 * callback, drains the rest. Memory is bounded by the largest captured entry.
 * Capturing keeps the stream's chunks rather than copying them: a stream's consumer owns the
 * chunks it is given, and the executables of a large image are hundreds of megabytes. Chunks lent
 * from a reused buffer (a socket's, a file's) are copied for the captured entries alone.
 */

import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type ByteSource, piecesSource } from '../binary/source.js';
import { InputError } from '../core/errors.js';
import { type TarHeader, TarParser } from './tar-parser.js';
import { classifyWhiteout, cleanEntryPath } from './tar-path.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'whiteout' | 'opaque' | 'other';

export interface LayerEntry {
  /** Clean relative path ('' never appears: the root entry is skipped). */
  path: string;
  type: EntryType;
  /** Bytes of file data (0 for everything but regular files). */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Symlink target (as written) or hard link target (cleaned path). */
  linkname?: string;
  /** For whiteouts: the path deleted; for opaque markers: the directory made opaque. */
  target?: string;
}

export interface LayerScan {
  entries: LayerEntry[];
  /** Digest of the uncompressed tar. */
  diffId: string;
  /** Bytes of the uncompressed tar stream. */
  tarBytes: number;
  /** Sum of regular files' sizes. */
  fileBytes: number;
  /** Entries other than directories and whiteouts. */
  files: number;
  /** Notes about odd but tolerated content (duplicates). */
  warnings: string[];
}

export interface CaptureHooks {
  /** Returns true to receive the entry's bytes (only regular files are offered). */
  wants(entry: LayerEntry): boolean;
  /**
   * The entry's bytes, as the pieces they arrived in (views into the stream's chunks) or in place
   * in the file the tar lies in: read ranges rather than the whole file.
   */
  onContent(entry: LayerEntry, data: ByteSource): Promise<void> | void;
}

const NO_CAPTURE: CaptureHooks = { wants: () => false, onContent: () => undefined };

function entryType(flag: string): EntryType {
  switch (flag) {
    case '0':
    case '7':
      return 'file';
    case '5':
      return 'dir';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** A captured entry and the pieces of its data received so far. */
interface Capture {
  entry: LayerEntry;
  pieces: Buffer[];
  /** The tar offset of its data, when it is read in place. */
  start?: number;
  /** Its data copied so far, when chunks are lent. */
  copy?: { data: Buffer; filled: number };
}

/** A layer's uncompressed tar, pushed in as it arrives (see layerScanner). */
export interface LayerScanner {
  /**
   * The next bytes of the tar, from `from`. Returns where it stopped: the chunk's end, or just
   * after an entry the hooks are still working on when nothing else was pending (a caller that
   * can wait awaits settled() before writing the rest; one that cannot writes on, and the
   * entries queue). Throws on malformed input and after a hook failed.
   */
  write(chunk: Buffer, from?: number): number;
  /** Settles once the hooks have handled every entry written so far; null when they have. */
  settled(): Promise<void> | null;
  /** The scan, once the tar ended where it should and the hooks are done. */
  end(): Promise<LayerScan>;
}

/** How a layer scanner takes its bytes. */
export interface ScannerOptions {
  /**
   * The bytes are checked against `expectedDiffId` by whoever supplies them (an uncompressed blob
   * read through its digest check), so hashing them again would be waste.
   */
  verifiedUpstream?: boolean;
  /**
   * The tar can be read again in place (it lies in a file): captured entries are handed over as
   * that range, `inPlace(start, size)` with `start` counted from the tar's first byte, and chunks
   * may be reused once written (core/lent-chunks.ts). Otherwise captured entries keep views into
   * the chunks, which must then not be reused.
   */
  inPlace?: (start: number, size: number) => ByteSource;
  /**
   * Chunks are lent (valid until the next write: a reused read buffer): captured entries are
   * copied, each into memory of its own size, and nothing else is kept.
   */
  lent?: boolean;
}

/**
 * Records each entry of a layer's tar, hands the entries the hooks ask for to `onContent` (in
 * order, one at a time), hashes the tar unless told it is verified. Malformed tars become
 * InputError naming the layer. `expectedDiffId`, when given, is checked at the end.
 */
export function layerScanner(
  what: string,
  expectedDiffId: string | null,
  hooks: CaptureHooks = NO_CAPTURE,
  { verifiedUpstream = false, inPlace, lent = false }: ScannerOptions = {},
): LayerScanner {
  if (expectedDiffId !== null && !expectedDiffId.startsWith('sha256:')) {
    throw new InputError(`${what} (uncompressed): unsupported digest algorithm in ${expectedDiffId}`);
  }
  const hash = verifiedUpstream && expectedDiffId !== null ? null : createHash('sha256');
  let tarBytes = 0;
  const entries: LayerEntry[] = [];
  const seen = new Map<string, EntryType>();
  const warnings: string[] = [];
  let fileBytes = 0;
  let files = 0;
  let capture: Capture | null = null;
  /** The chunk being written, and the tar offset of its first byte (for `inPlace`). */
  let written: { chunk: Buffer; base: number } = { chunk: Buffer.alloc(0), base: 0 };
  let complete: Capture | null = null;
  /** The hooks' work on captured entries not finished yet. */
  let queue: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;

  const onHeader = (h: TarHeader): boolean => {
    const path = cleanEntryPath(h.name, what);
    if (path === '') return false;
    const type = entryType(h.flag);
    const size = type === 'file' ? h.size : 0;
    const entry: LayerEntry = { path, type, size, mode: h.mode, uid: h.uid, gid: h.gid };
    if (
      path.includes('.wh.') &&
      path
        .split('/')
        .slice(0, -1)
        .some((p) => p.startsWith('.wh.'))
    ) {
      throw new InputError(`${what}: entry "${path}" lies inside a whiteout marker`);
    }
    const wh = classifyWhiteout(path, what);
    if (wh?.kind === 'meta') return false;
    if (wh) {
      entry.type = wh.kind === 'opaque' ? 'opaque' : 'whiteout';
      entry.target = wh.kind === 'opaque' ? wh.dir : wh.target;
      entry.size = 0;
    } else if (type === 'symlink') {
      entry.linkname = h.linkname;
    } else if (type === 'hardlink') {
      entry.linkname = cleanEntryPath(h.linkname, what);
      if (entry.linkname === '') throw new InputError(`${what}: hard link "${path}" has no target`);
    }
    const before = seen.get(path);
    if (before !== undefined && !(before === 'dir' && entry.type === 'dir')) {
      warnings.push(`${what}: duplicate entry "${path}" (the later one wins)`);
    }
    seen.set(path, entry.type);
    if (entry.type === 'file') fileBytes += size;
    if (entry.type !== 'dir' && entry.type !== 'whiteout' && entry.type !== 'opaque') files++;
    entries.push(entry);
    if (entry.type !== 'file' || !hooks.wants(entry)) return false;
    capture = { entry, pieces: [] };
    if (lent) capture.copy = { data: Buffer.allocUnsafe(entry.size), filled: 0 };
    return true;
  };
  const parser = new TarParser({
    header: onHeader,
    data(slice) {
      const copy = capture!.copy;
      if (copy) copy.filled += slice.copy(copy.data, copy.filled);
      else if (!inPlace) capture!.pieces.push(slice);
      // Where the entry's data starts: the first slice's place in the chunk being written.
      else capture!.start ??= written.base + slice.byteOffset - written.chunk.byteOffset;
    },
    done() {
      complete = capture;
      capture = null;
    },
  });
  const deliver = ({ entry, pieces, start, copy }: Capture): void => {
    const source = inPlace
      ? inPlace(start ?? 0, entry.size)
      : piecesSource(copy ? [copy.data.subarray(0, copy.filled)] : pieces);
    // After a failure nothing more is handed over: write() and end() report it.
    const run = () => (failure ? undefined : hooks.onContent(entry, source));
    const next = queue ? queue.then(run) : run();
    if (!next) return;
    const tracked: Promise<void> = next.then(
      () => {
        if (queue === tracked) queue = null;
      },
      (err: unknown) => {
        failure = { error: unreadableTar(what, err) };
        if (queue === tracked) queue = null;
      },
    );
    queue = tracked;
  };

  return {
    write(chunk, from = 0) {
      if (failure) throw failure.error;
      written = { chunk, base: tarBytes - from };
      try {
        for (let at = from; at < chunk.length; ) {
          const next = parser.write(chunk, at);
          hash?.update(at === 0 && next === chunk.length ? chunk : chunk.subarray(at, next));
          tarBytes += next - at;
          at = next;
          if (complete) {
            const captured: Capture = complete;
            complete = null;
            const waiting = queue !== null;
            deliver(captured);
            if (!waiting && queue) return at;
          }
        }
      } catch (err) {
        throw unreadableTar(what, err);
      }
      return chunk.length;
    },
    settled() {
      if (failure) return Promise.reject(failure.error);
      return queue;
    },
    async end() {
      try {
        parser.end();
      } catch (err) {
        throw unreadableTar(what, err);
      }
      while (queue) await queue;
      if (failure) throw failure.error;
      const diffId = hash ? `sha256:${hash.digest('hex')}` : expectedDiffId!;
      if (expectedDiffId !== null && diffId !== expectedDiffId) {
        throw new InputError(
          `${what} (uncompressed): digest mismatch (expected ${expectedDiffId}, got ${diffId})`,
        );
      }
      return { entries, diffId, tarBytes, fileBytes, files, warnings };
    },
  };
}

/** Writes the whole chunk, waiting on the hooks wherever the scanner stops for them. */
export async function writeAll(scanner: LayerScanner, chunk: Buffer): Promise<void> {
  for (let at = 0; at < chunk.length; ) {
    at = scanner.write(chunk, at);
    const busy = scanner.settled();
    if (busy) await busy;
  }
}

/** Scans a layer's uncompressed tar stream (see layerScanner). */
export async function scanLayer(
  tarStream: Readable,
  what: string,
  expectedDiffId: string | null,
  hooks: CaptureHooks = NO_CAPTURE,
  verifiedUpstream = false,
): Promise<LayerScan> {
  const scanner = layerScanner(what, expectedDiffId, hooks, { verifiedUpstream });
  try {
    for await (const chunk of tarStream as AsyncIterable<Buffer>) await writeAll(scanner, chunk);
  } catch (err) {
    tarStream.destroy();
    throw unreadableTar(what, err);
  }
  return scanner.end();
}

/** Errors that name the input pass as they are; anything else (a parser's) is named for the layer. */
function unreadableTar(what: string, err: unknown): Error {
  if (err instanceof InputError || (err instanceof Error && err.name === 'EnvironmentError')) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InputError(`${what}: unreadable layer tar (${message})`);
}
