/**
 * An image archive read as one stream that cannot seek (an engine export, `docker save` or an
 * OCI archive piped on standard input), whose index may come after the layers. Each layer blob
 * (`ID/layer.tar`, `blobs/sha256/HEX`, `HEX.tar`) is hashed and scanned as it streams past and only its
 * summary is kept; the small files (manifests, configs, index.json) are kept whole. Once the
 * stream ends they form a store the archive readers open as if it were a file on disk. Memory
 * follows the number of files in the image, not its bytes; nothing goes to disk.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { eachChunk } from '../../core/each-chunk.js';
import { EnvironmentError, InputError } from '../../core/errors.js';
import { trace } from '../../core/trace.js';
import { type BlobScan, BlobScanner, type ScanSettings } from '../blob-scan.js';
import { decompress, detectCompression } from '../decompress.js';
import { TarParser } from '../tar-parser.js';
import { cleanEntryPath } from '../tar-path.js';
import type { BlobStore } from './blob-store.js';

const MAX_SMALL = 8 * 1024 * 1024;
// Layer blobs as each writer names them: OCI layouts, `docker save` (ID/layer.tar), and the
// containers/image and go-containerregistry archives (Podman's export, skopeo): HEX.tar(.gz).
const BLOB_NAME = /^blobs\/sha256\/[0-9a-f]{64}$|(^|\/)layer\.tar$|^[0-9a-f]{64}\.tar(\.gz)?$/;

export interface StreamedBlob {
  /** sha256 of the stored bytes. */
  digest: string;
  size: number;
  scan: BlobScan;
}

/** The small files of a streamed archive and the sizes of its blobs, as an archive store. */
export class StreamedStore implements BlobStore {
  readonly files = new Map<string, Buffer>();
  readonly blobs = new Map<string, StreamedBlob>();
  /** Symbolic links between members (`docker save` links a repeated layer.tar to the first). */
  readonly links = new Map<string, string>();

  constructor(readonly what: string) {}

  resolve(name: string): string {
    let clean = cleanEntryPath(name, this.what);
    for (let hops = 0; hops < 8 && this.links.has(clean); hops++) clean = this.links.get(clean)!;
    return clean;
  }

  async has(name: string): Promise<boolean> {
    const clean = this.resolve(name);
    return this.files.has(clean) || this.blobs.has(clean);
  }

  async size(name: string): Promise<number> {
    const clean = this.resolve(name);
    const size = this.files.get(clean)?.length ?? this.blobs.get(clean)?.size;
    if (size === undefined) throw new InputError(`${this.what}: ${name} is missing from the archive`);
    return size;
  }

  async read(name: string, max = MAX_SMALL): Promise<Buffer> {
    const data = this.files.get(this.resolve(name));
    if (!data) throw new InputError(`${this.what}: ${name} is missing or larger than ${max} bytes`);
    return data;
  }

  /** Only small files can be read again: layer blobs were scanned as they passed. */
  async stream(name: string): Promise<Readable> {
    return Readable.from([await this.read(name)]);
  }
}

/** One layer blob being scanned while the archive streams past. */
class BlobFeed {
  private readonly hash = createHash('sha256');
  private readonly scanner: BlobScanner;

  constructor(what: string, candidates: Set<string> | null, settings: ScanSettings, lent: boolean) {
    this.scanner = new BlobScanner(what, candidates, settings, lent);
  }

  /** Passes a slice on (a view into the archive's chunk, kept unless lent). */
  write(slice: Buffer): void {
    this.scanner.write(slice);
    // An uncompressed blob's digest is its diff id, which the scan computes.
    if (this.scanner.compression !== 'none') this.hash.update(slice);
  }

  /** Settles when the scan has taken what it was given; null when it already has. */
  drained(): Promise<void> | null {
    return this.scanner.drained();
  }

  async end(): Promise<StreamedBlob> {
    const scan = await this.scanner.end();
    const digest = scan.compression === 'none' ? scan.scan.diffId : `sha256:${this.hash.digest('hex')}`;
    return { digest, size: scan.blobBytes, scan };
  }

  abort(): void {
    this.scanner.abort();
  }
}

type Member =
  | { kind: 'pending'; name: string; size: number }
  | { kind: 'blob'; name: string; feed: BlobFeed }
  | { kind: 'small'; name: string; parts: Buffer[] }
  | { kind: 'skip' };

/**
 * An archive read from a reused buffer: each piece is valid until the next is asked for
 * (an engine export, env/engine-http.ts). Only what is kept gets copied.
 */
export interface LentArchive {
  pieces: AsyncIterable<Buffer>;
  /** Stops the reading early (on failure). */
  close(): void;
}

/**
 * Reads the whole archive stream. `candidates` are the entry-point paths when known before the
 * layers (null: every executable is inspected as one, see blob-scan.ts).
 */
export async function readArchiveStream(
  input: Readable | LentArchive,
  what: string,
  candidates: Set<string> | null,
  settings: ScanSettings,
  onBlob?: (name: string, bytes: number) => void,
): Promise<StreamedStore> {
  const lent = !(input instanceof Readable);
  const store = new StreamedStore(what);
  let member: Member = { kind: 'skip' };
  let finished: Member | null = null;
  const parser = new TarParser({
    header(h) {
      const name = cleanEntryPath(h.name, what);
      if (h.flag === '2' && h.linkname) {
        store.links.set(name, posix.normalize(posix.join(posix.dirname(name), h.linkname)));
      } else if (h.flag === '1' && h.linkname) {
        store.links.set(name, cleanEntryPath(h.linkname, what));
      }
      if (h.flag !== '0' && h.flag !== '7') return false;
      member = { kind: 'pending', name, size: h.size };
      return true;
    },
    data(slice) {
      if (member.kind === 'pending') {
        const { name, size } = member;
        // A blob holding a JSON document (manifest, config) starts with "{"; a layer never does.
        if (BLOB_NAME.test(name) && slice[0] !== 0x7b) {
          member = { kind: 'blob', name, feed: new BlobFeed(`${what} ${name}`, candidates, settings, lent) };
        } else if (size <= MAX_SMALL) member = { kind: 'small', name, parts: [] };
        else member = { kind: 'skip' };
      }
      if (member.kind === 'blob') member.feed.write(slice);
      else if (member.kind === 'small') member.parts.push(lent ? Buffer.from(slice) : slice);
    },
    done() {
      finished = member;
      member = { kind: 'skip' };
    },
  });
  /** What is left to do once an entry's data is all there (a blob's scan to finish). */
  const entryDone = (m: Member): Promise<void> | undefined => {
    if (m.kind === 'pending') store.files.set(m.name, Buffer.alloc(0));
    else if (m.kind === 'small') store.files.set(m.name, Buffer.concat(m.parts));
    else if (m.kind === 'blob')
      return m.feed.end().then((blob) => {
        store.blobs.set(m.name, blob);
        onBlob?.(m.name, blob.size);
      });
    return undefined;
  };
  const take = (chunk: Buffer, from: number): Promise<void> | undefined => {
    for (let at = from; at < chunk.length; ) {
      at = parser.write(chunk, at);
      if (finished) {
        const m: Member = finished;
        finished = null;
        const done = entryDone(m);
        if (done) return done.then(() => take(chunk, at));
      }
    }
    const current = member as Member;
    return (current.kind === 'blob' && current.feed.drained()) || undefined;
  };
  try {
    if (lent) await readLent(input, what, settings, take);
    else {
      // `docker load` takes a compressed archive (`docker save IMAGE | gzip`): so does goimg.
      const archive = (await decompress(input, what, settings.limits)).stream;
      await eachChunk(archive, (chunk) => take(chunk, 0));
    }
    parser.end();
    trace(`${what}: stream read`);
  } catch (err) {
    if (lent) input.close();
    else input.destroy();
    const current = member as Member;
    if (current.kind === 'blob') current.feed.abort();
    if (err instanceof InputError || err instanceof EnvironmentError) throw err;
    throw new InputError(`${what}: unreadable archive stream (${(err as Error).message})`);
  }
  return store;
}

/**
 * Feeds lent pieces to `take`, each taken whole before the next is asked for. A compressed
 * archive goes through its decoder as a stream of copies instead (the decoder keeps what it is
 * given); an engine's export never is one.
 */
async function readLent(
  input: LentArchive,
  what: string,
  settings: ScanSettings,
  take: (chunk: Buffer, from: number) => Promise<void> | undefined,
): Promise<void> {
  const pieces = input.pieces[Symbol.asyncIterator]();
  let first = await pieces.next();
  trace(`${what}: first bytes`);
  if (!first.done && detectCompression(first.value) !== 'none') {
    async function* copies(): AsyncGenerator<Buffer> {
      for (let p = first; !p.done; p = await pieces.next()) yield Buffer.from(p.value);
    }
    const archive = (await decompress(Readable.from(copies()), what, settings.limits)).stream;
    await eachChunk(archive, (chunk) => take(chunk, 0));
    return;
  }
  for (; !first.done; first = await pieces.next()) {
    const busy = take(first.value, 0);
    if (busy) await busy;
  }
}
