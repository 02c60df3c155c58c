/**
 * Parallel, deterministic gzip (the pigz idea without its shared dictionary). The input is cut into
 * fixed GZIP_BLOCK-byte blocks; each is raw-deflated on its own, on libuv's threadpool (so blocks
 * compress on several cores at once), and ends with a sync flush, which byte-aligns it and leaves
 * the deflate stream open. The blocks, an empty final block, and one gzip header and trailer form a
 * single ordinary gzip member: any gunzip reads it. Block boundaries depend only on the byte
 * offset, never on how the input was chunked or on timing, so the output depends only on the
 * input bytes, the level and zlib's version.
 */
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

/** Fixed block size: part of the output format (a different size gives different bytes). */
export const GZIP_BLOCK = 1 << 20;

/** gzip header: no name, mtime 0, XFL 4 (fastest, as zlib writes for level 1), OS 3 (Unix, as zlib). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x04, 0x03]);
/** An empty final deflate block (fixed Huffman, end-of-block code only): closes the stream. */
const FINAL = Buffer.from([0x03, 0x00]);

const deflateRaw = promisify(zlib.deflateRaw) as (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** zlib.crc32 is native from Node 20.15; the table version serves the older 20.x lines. */
function crc32(data: Buffer, prev: number): number {
  const native = (zlib as { crc32?: (d: Buffer, v: number) => number }).crc32;
  if (native) return native(data, prev);
  let c = ~prev >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Re-cuts a byte stream into blocks of exactly `size` bytes (the last one may be shorter). */
export async function* fixedBlocks(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (let chunk of source) {
    while (held + chunk.length >= size) {
      const take = size - held;
      parts.push(chunk.subarray(0, take));
      yield parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
      chunk = chunk.subarray(take);
      parts = [];
      held = 0;
    }
    if (chunk.length > 0) {
      parts.push(chunk);
      held += chunk.length;
    }
  }
  if (held > 0) yield Buffer.concat(parts, held);
}

/**
 * The gzip stream of `source`, at most `width` blocks compressing at once (bounded memory: a layer
 * is never held whole).
 */
export async function* gzipBlocks(
  source: AsyncIterable<Buffer>,
  level: number,
  width = 2 * Math.max(2, availableParallelism()),
): AsyncGenerator<Buffer> {
  yield HEADER;
  let crc = 0;
  let isize = 0;
  const pending: Promise<Buffer>[] = [];
  for await (const block of fixedBlocks(source, GZIP_BLOCK)) {
    crc = crc32(block, crc);
    isize = (isize + block.length) >>> 0;
    const job = deflateRaw(block, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    job.catch(() => {}); // awaited in order below; this keeps a failure from being "unhandled" meanwhile
    pending.push(job);
    while (pending.length >= width) yield await (pending.shift() as Promise<Buffer>);
  }
  for (const job of pending) yield await job;
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(isize, 4);
  yield Buffer.concat([FINAL, trailer]);
}
