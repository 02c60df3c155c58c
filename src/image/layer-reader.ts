/**
 * Reads one layer's uncompressed tar entry by entry: records each entry's metadata, hands the
 * bytes of the few entries a caller asks for (small config files, executables to inspect) to a
 * callback, drains the rest. Memory is bounded by the largest captured entry.
 * Capturing keeps the stream's chunks rather than copying them: a stream's consumer owns the
 * chunks it is given, and the executables of a large image are hundreds of megabytes.
 */

import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type ByteSource, piecesSource } from '../binary/source.js';
import { eachChunk } from '../core/each-chunk.js';
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
   * The entry's bytes, as the pieces they arrived in (views into the stream's chunks: read
   * ranges rather than copying the whole file).
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
}

/**
 * A layer's uncompressed tar, pushed in as it arrives: records each entry, hands the entries the
 * hooks ask for to `onContent` (in order, one at a time), hashes the tar unless told it is
 * verified. Captured entries keep views into the chunks written, so a chunk must not be reused
 * after it is written. Malformed tars become InputError naming the layer.
 */
export class LayerScanner {
  private readonly hash: Hash | null;
  private tarBytes = 0;
  private readonly entries: LayerEntry[] = [];
  private readonly seen = new Map<string, EntryType>();
  private readonly warnings: string[] = [];
  private fileBytes = 0;
  private files = 0;
  private capture: Capture | null = null;
  private complete: Capture | null = null;
  /** The hooks' work on captured entries not finished yet. */
  private queue: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private readonly parser: TarParser;

  /**
   * `expectedDiffId`, when given, is checked at the end. `verifiedUpstream`: the bytes are
   * checked against `expectedDiffId` by whoever supplies them (an uncompressed blob read through
   * its digest check), so hashing them again would be waste.
   */
  constructor(
    private readonly what: string,
    private readonly expectedDiffId: string | null,
    private readonly hooks: CaptureHooks = NO_CAPTURE,
    verifiedUpstream = false,
  ) {
    if (expectedDiffId !== null && !expectedDiffId.startsWith('sha256:')) {
      throw new InputError(`${what} (uncompressed): unsupported digest algorithm in ${expectedDiffId}`);
    }
    this.hash = verifiedUpstream && expectedDiffId !== null ? null : createHash('sha256');
    this.parser = new TarParser({
      header: (h) => this.onHeader(h),
      data: (slice) => {
        this.capture!.pieces.push(slice);
      },
      done: () => {
        this.complete = this.capture;
        this.capture = null;
      },
    });
  }

  /** The next bytes of the tar. Throws on malformed input and after a hook failed. */
  write(chunk: Buffer): void {
    if (this.failure) throw this.failure.error;
    this.hash?.update(chunk);
    this.tarBytes += chunk.length;
    try {
      for (let at = 0; at < chunk.length; ) {
        at = this.parser.write(chunk, at);
        if (this.complete) {
          const captured = this.complete;
          this.complete = null;
          this.deliver(captured);
        }
      }
    } catch (err) {
      throw this.unreadable(err);
    }
  }

  /** Settles once the hooks have handled every entry written so far; null when they have. */
  settled(): Promise<void> | null {
    if (this.failure) return Promise.reject(this.failure.error);
    return this.queue;
  }

  /** The scan, once the tar ended where it should and the hooks are done. */
  async end(): Promise<LayerScan> {
    try {
      this.parser.end();
    } catch (err) {
      throw this.unreadable(err);
    }
    while (this.queue) await this.queue;
    if (this.failure) throw this.failure.error;
    const diffId = this.hash ? `sha256:${this.hash.digest('hex')}` : this.expectedDiffId!;
    if (this.expectedDiffId !== null && diffId !== this.expectedDiffId) {
      throw new InputError(
        `${this.what} (uncompressed): digest mismatch (expected ${this.expectedDiffId}, got ${diffId})`,
      );
    }
    const { entries, tarBytes, fileBytes, files, warnings } = this;
    return { entries, diffId, tarBytes, fileBytes, files, warnings };
  }

  private deliver({ entry, pieces }: Capture): void {
    // After a failure nothing more is handed over: write() and end() report it.
    const run = () => (this.failure ? undefined : this.hooks.onContent(entry, piecesSource(pieces)));
    const next = this.queue ? this.queue.then(run) : run();
    if (!next) return;
    const tracked: Promise<void> = next.then(
      () => {
        if (this.queue === tracked) this.queue = null;
      },
      (err: unknown) => {
        this.failure = { error: this.unreadable(err) };
        if (this.queue === tracked) this.queue = null;
      },
    );
    this.queue = tracked;
  }

  private unreadable(err: unknown): Error {
    return unreadableTar(this.what, err);
  }

  private onHeader(h: TarHeader): boolean {
    const { what } = this;
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
    const before = this.seen.get(path);
    if (before !== undefined && !(before === 'dir' && entry.type === 'dir')) {
      this.warnings.push(`${what}: duplicate entry "${path}" (the later one wins)`);
    }
    this.seen.set(path, entry.type);
    if (entry.type === 'file') this.fileBytes += size;
    if (entry.type !== 'dir' && entry.type !== 'whiteout' && entry.type !== 'opaque') this.files++;
    this.entries.push(entry);
    if (entry.type !== 'file' || !this.hooks.wants(entry)) return false;
    this.capture = { entry, pieces: [] };
    return true;
  }
}

/** Scans a layer's uncompressed tar stream (see LayerScanner). */
export async function scanLayer(
  tarStream: Readable,
  what: string,
  expectedDiffId: string | null,
  hooks: CaptureHooks = NO_CAPTURE,
  verifiedUpstream = false,
): Promise<LayerScan> {
  const scanner = new LayerScanner(what, expectedDiffId, hooks, verifiedUpstream);
  try {
    await eachChunk(tarStream, (chunk) => {
      scanner.write(chunk);
      return scanner.settled() ?? undefined;
    });
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
