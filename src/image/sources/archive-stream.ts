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
import { Readable, Transform, type TransformCallback } from 'node:stream';
import tar from 'tar-stream';
import { EnvironmentError, InputError } from '../../core/errors.js';
import { type BlobScan, type ScanSettings, scanBlob } from '../blob-scan.js';
import { decompress } from '../decompress.js';
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

/** Hashes what passes until told the hash is not needed (an uncompressed blob is its diff id). */
class StoredDigest extends Transform {
  private readonly hash = createHash('sha256');
  hashing = true;
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.hashing) this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
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

async function drain(chunks: AsyncIterator<Buffer>): Promise<void> {
  while (!(await chunks.next()).done) {
    // skipped: neither a blob nor a small file
  }
}

async function collect(first: Buffer, chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts = [first];
  for (let n = await chunks.next(); !n.done; n = await chunks.next()) parts.push(n.value);
  return Buffer.concat(parts);
}

/** Hashes and scans one blob entry whose first chunk has been read. */
async function scanEntry(
  first: Buffer,
  chunks: AsyncIterator<Buffer>,
  what: string,
  candidates: Set<string> | null,
  settings: ScanSettings,
): Promise<StreamedBlob> {
  const body = Readable.from(
    (async function* () {
      yield first;
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
    })(),
    { objectMode: false, highWaterMark: 256 * 1024 },
  );
  const stored = new StoredDigest({ highWaterMark: 256 * 1024 });
  body.on('error', (err) => stored.destroy(err));
  body.pipe(stored);
  let compressed = true;
  const scan = await scanBlob(stored, what, null, candidates, settings, (inflated) => {
    compressed = inflated.compression !== 'none';
    stored.hashing = compressed;
  });
  return { digest: compressed ? stored.digest() : scan.scan.diffId, size: stored.bytes, scan };
}

/**
 * Reads the whole archive stream. `candidates` are the entry-point paths when known before the
 * layers (null: every executable is inspected as one, see blob-scan.ts).
 */
export async function readArchiveStream(
  input: Readable,
  what: string,
  candidates: Set<string> | null,
  settings: ScanSettings,
  onBlob?: (name: string, bytes: number) => void,
): Promise<StreamedStore> {
  const store = new StreamedStore(what);
  const extract = tar.extract();
  const failed = new Promise<never>((_resolve, reject) => {
    input.once('error', reject);
    extract.once('error', reject);
  });
  failed.catch(() => undefined);
  // `docker load` takes a compressed archive (`docker save IMAGE | gzip`): so does goimg.
  const archive = (await Promise.race([decompress(input, what, settings.limits), failed])).stream;
  archive.once('error', (err) => extract.destroy(err));
  archive.pipe(extract);
  const read = async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const name = cleanEntryPath(h.name, what);
      const chunks = (entry as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      if (h.type === 'symlink' && h.linkname) {
        store.links.set(name, posix.normalize(posix.join(posix.dirname(name), h.linkname)));
      } else if (h.type === 'link' && h.linkname) {
        store.links.set(name, cleanEntryPath(h.linkname, what));
      }
      if (h.type !== 'file' && h.type !== 'contiguous-file') {
        await drain(chunks);
        continue;
      }
      const first = await chunks.next();
      if (first.done) {
        store.files.set(name, Buffer.alloc(0));
        continue;
      }
      // A blob holding a JSON document (manifest, config) starts with "{"; a layer never does.
      if (BLOB_NAME.test(name) && first.value[0] !== 0x7b) {
        const blob = await scanEntry(first.value, chunks, `${what} ${name}`, candidates, settings);
        store.blobs.set(name, blob);
        onBlob?.(name, blob.size);
      } else if ((h.size ?? 0) <= MAX_SMALL) {
        store.files.set(name, await collect(first.value, chunks));
      } else {
        await drain(chunks);
      }
    }
  };
  try {
    await Promise.race([read(), failed]);
  } catch (err) {
    archive.unpipe(extract);
    input.destroy();
    extract.destroy();
    if (err instanceof InputError || err instanceof EnvironmentError) throw err;
    throw new InputError(`${what}: unreadable archive stream (${(err as Error).message})`);
  }
  return store;
}
