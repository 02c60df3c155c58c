/**
 * Reads one layer's uncompressed tar entry by entry: records each entry's metadata, hands the
 * bytes of the few entries a caller asks for (small config files, executables to inspect) to a
 * callback, drains the rest. Memory is bounded by the largest captured entry.
 * Capturing keeps the stream's chunks rather than copying them: a stream's consumer owns the
 * chunks it is given, and the executables of a large image are hundreds of megabytes.
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
 * Scans a layer's uncompressed tar. `expectedDiffId`, when given, is checked at the end.
 * Malformed tars (short data, bad headers) become InputError naming the layer.
 * `verifiedUpstream`: the stream itself fails at its end unless its sha256 is `expectedDiffId`
 * (an uncompressed blob read through its digest check), so hashing it again would be waste.
 */
export async function scanLayer(
  tarStream: Readable,
  what: string,
  expectedDiffId: string | null,
  hooks: CaptureHooks = NO_CAPTURE,
  verifiedUpstream = false,
): Promise<LayerScan> {
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
  let complete: Capture | null = null;

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
    return true;
  };
  const parser = new TarParser({
    header: onHeader,
    data(slice) {
      capture!.pieces.push(slice);
    },
    done() {
      complete = capture;
      capture = null;
    },
  });

  try {
    for await (const chunk of tarStream as AsyncIterable<Buffer>) {
      hash?.update(chunk);
      tarBytes += chunk.length;
      for (let at = 0; at < chunk.length; ) {
        at = parser.write(chunk, at);
        if (complete) {
          const { entry, pieces } = complete as Capture;
          complete = null;
          await hooks.onContent(entry, piecesSource(pieces));
        }
      }
    }
    parser.end();
  } catch (err) {
    tarStream.destroy();
    if (err instanceof InputError || (err instanceof Error && err.name === 'EnvironmentError')) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new InputError(`${what}: unreadable layer tar (${message})`);
  }
  const diffId = hash ? `sha256:${hash.digest('hex')}` : expectedDiffId!;
  if (expectedDiffId !== null && diffId !== expectedDiffId) {
    throw new InputError(
      `${what} (uncompressed): digest mismatch (expected ${expectedDiffId}, got ${diffId})`,
    );
  }
  return { entries, diffId, tarBytes, fileBytes, files, warnings };
}
