/**
 * Reads one layer's uncompressed tar entry by entry: records each entry's metadata, hands the
 * bytes of the few entries a caller asks for (small config files, executables to inspect) to a
 * callback, drains the rest. Memory is bounded by the largest captured entry.
 */
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { InputError } from '../core/errors.js';
import { classifyWhiteout, cleanEntryPath } from './tar-path.js';
import { DigestStream } from './verify.js';

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
  /** The bytes are only valid during the call (the buffer may be reused): copy what you keep. */
  onContent(entry: LayerEntry, data: Buffer): Promise<void> | void;
  /** A buffer of at least `size` bytes to read into (lets a caller reuse one scratch buffer). */
  buffer?(size: number): Buffer;
}

const NO_CAPTURE: CaptureHooks = { wants: () => false, onContent: () => undefined };

function entryType(t: string | null | undefined): EntryType {
  switch (t) {
    case 'file':
    case 'contiguous-file':
    case undefined:
    case null:
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

async function readAll(stream: AsyncIterable<Buffer>, size: number, into?: Buffer): Promise<Buffer> {
  const buf = into ? into.subarray(0, size) : Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of stream) {
    if (at + chunk.length > size) throw new InputError('tar entry holds more data than its size field');
    chunk.copy(buf, at);
    at += chunk.length;
  }
  if (at !== size) throw new InputError('tar entry is shorter than its size field (truncated layer)');
  return buf;
}

/**
 * Scans a layer's uncompressed tar. `expectedDiffId`, when given, is checked at the end.
 * Errors from the tar parser (short data, bad headers) become InputError naming the layer.
 */
export async function scanLayer(
  tarStream: Readable,
  what: string,
  expectedDiffId: string | null,
  hooks: CaptureHooks = NO_CAPTURE,
): Promise<LayerScan> {
  const digest = new DigestStream(expectedDiffId, `${what} (uncompressed)`);
  const extract = tar.extract();
  let streamError: Error | null = null;
  const onError = (err: Error) => {
    streamError ??= err;
    extract.destroy(err);
  };
  tarStream.on('error', onError);
  digest.on('error', onError);
  tarStream.pipe(digest).pipe(extract);
  const digestDone = new Promise<void>((resolve, reject) => {
    digest.on('end', resolve);
    digest.on('error', reject);
  });
  digestDone.catch(() => undefined);

  const entries: LayerEntry[] = [];
  const seen = new Map<string, EntryType>();
  const warnings: string[] = [];
  let fileBytes = 0;
  let files = 0;
  try {
    for await (const raw of extract) {
      const h = raw.header;
      const path = cleanEntryPath(h.name, what);
      const type = entryType(h.type);
      if (path === '') {
        raw.resume();
        continue;
      }
      const size = type === 'file' ? (h.size ?? 0) : 0;
      const entry: LayerEntry = { path, type, size, mode: h.mode ?? 0, uid: h.uid ?? 0, gid: h.gid ?? 0 };
      const wh = classifyWhiteout(path, what);
      if (
        path
          .split('/')
          .slice(0, -1)
          .some((p) => p.startsWith('.wh.'))
      ) {
        throw new InputError(`${what}: entry "${path}" lies inside a whiteout marker`);
      }
      if (wh?.kind === 'meta') {
        raw.resume();
        continue;
      }
      if (wh) {
        entry.type = wh.kind === 'opaque' ? 'opaque' : 'whiteout';
        entry.target = wh.kind === 'opaque' ? wh.dir : wh.target;
        entry.size = 0;
      } else if (type === 'symlink') {
        entry.linkname = h.linkname ?? '';
      } else if (type === 'hardlink') {
        entry.linkname = cleanEntryPath(h.linkname ?? '', what);
        if (entry.linkname === '') throw new InputError(`${what}: hard link "${path}" has no target`);
      }
      const before = seen.get(path);
      if (before !== undefined && !(before === 'dir' && entry.type === 'dir')) {
        warnings.push(`${what}: duplicate entry "${path}" (the later one wins)`);
      }
      seen.set(path, entry.type);
      if (entry.type === 'file') {
        fileBytes += size;
      }
      if (entry.type !== 'dir' && entry.type !== 'whiteout' && entry.type !== 'opaque') files++;
      if (entry.type === 'file' && hooks.wants(entry)) {
        const data = await readAll(raw as AsyncIterable<Buffer>, size, hooks.buffer?.(size));
        await hooks.onContent(entry, data);
      } else {
        for await (const _chunk of raw as AsyncIterable<Buffer>) {
          // drained: only the metadata matters
        }
      }
      entries.push(entry);
    }
    await digestDone;
  } catch (err) {
    tarStream.unpipe();
    tarStream.destroy();
    const e = streamError ?? err;
    if (e instanceof InputError || (e instanceof Error && e.name === 'EnvironmentError')) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new InputError(`${what}: unreadable layer tar (${message})`);
  }
  if (streamError) throw streamError;
  return {
    entries,
    diffId: digest.digest!,
    tarBytes: digest.bytes,
    fileBytes,
    files,
    warnings,
  };
}
