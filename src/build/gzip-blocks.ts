/**
 * Parallel, deterministic gzip (the pigz idea without its shared dictionary). The input is cut into
 * fixed GZIP_BLOCK-byte blocks; each is raw-deflated on its own, on libuv's threadpool (so blocks
 * compress on several cores at once; measured, this beats compressing some blocks on the calling
 * thread too), and ends with a sync flush, which byte-aligns it and leaves
 * the deflate stream open. The blocks, an empty final block, and one gzip header and trailer form a
 * single ordinary gzip member: any gunzip reads it. Block boundaries depend only on the byte
 * offset, never on how the input was chunked or on timing, so the output depends only on the
 * input bytes, the level and zlib's version.
 *
 * Because each block is compressed on its own, a block whose bytes were compressed before can
 * take those compressed bytes again (`reuse`): after a one-line change to a Go program, about
 * half of its binary's 64 KiB blocks are unchanged, and reuse gives the very bytes deflate would.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import * as zlib from 'node:zlib';

/**
 * Fixed block size: part of the output format (a different size gives different bytes). Small
 * enough that a small change to a binary leaves most blocks intact (reuse), large enough to cost
 * under 1 % of compression ratio against one deflate stream.
 */
export const GZIP_BLOCK = 1 << 16;

/** zlib's memLevel: a bigger hash table than the default 8, ~15 % faster at level 1, same ratio. */
export const GZIP_MEM_LEVEL = 9;

/** Bytes before the first compressed block. */
export const GZIP_HEADER_SIZE = 10;

/** gzip header: no name, mtime 0, XFL 4 (fastest, as zlib writes for level 1), OS 3 (Unix, as zlib). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x04, 0x03]);
/** An empty final deflate block (fixed Huffman, end-of-block code only): closes the stream. */
const FINAL = Buffer.from([0x03, 0x00]);

/**
 * A raw deflate stream kept for many blocks, reset between them. A fresh zlib stream per block (what
 * zlib.deflateRaw makes) maps and faults in ~400 KB of state and builds a Transform stream each
 * time, a cost comparable to the deflate itself. deflateReset gives
 * the very bytes a fresh stream would (the unit test compares them). Blocks run one at a time per
 * lane, each in one threadpool trip: every write ends with a sync flush.
 */
class DeflateLane {
  private readonly stream: zlib.DeflateRaw;
  private output: Buffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(level: number) {
    this.stream = zlib.createDeflateRaw({
      level,
      memLevel: GZIP_MEM_LEVEL,
      // One output buffer per block (a block may grow a little when it does not compress).
      chunkSize: 2 * GZIP_BLOCK,
      flush: zlib.constants.Z_SYNC_FLUSH,
    });
    // Output is pushed while the write runs, before its callback: gathered here.
    this.stream.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.stream.on('error', () => {}); // reported through the write's callback
  }

  deflate(block: Buffer): Promise<Buffer> {
    const job = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          this.stream.reset();
          this.output = [];
          this.stream.write(block, (err) => {
            if (err) return reject(err);
            // A sync flush always emits bytes (at least its empty stored block).
            if (this.output.length === 0) return reject(new Error('deflate produced no output'));
            resolve(this.output.length === 1 ? this.output[0]! : Buffer.concat(this.output));
          });
        }),
    );
    this.queue = job.catch(() => {});
    return job;
  }
}

/**
 * Lanes per level, made on first use and kept for the process. Twice the threadpool's threads: a
 * thread finishing a block finds the next one queued instead of waiting for the main thread.
 */
const lanes = new Map<number, { all: DeflateLane[]; next: number }>();
const LANES = 2 * (Number(process.env.UV_THREADPOOL_SIZE) || 4);

function deflateBlock(block: Buffer, level: number): Promise<Buffer> {
  let pool = lanes.get(level);
  if (!pool) {
    pool = { all: Array.from({ length: LANES }, () => new DeflateLane(level)), next: 0 };
    lanes.set(level, pool);
  }
  const lane = pool.all[pool.next]!;
  pool.next = (pool.next + 1) % pool.all.length;
  return lane.deflate(block);
}

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

/**
 * Re-cuts a byte stream into blocks of exactly `size` bytes (the last one may be shorter). The
 * source may reuse a chunk's memory once the next chunk is asked for (lent chunks): what is kept
 * across chunks is copied, and each block is valid only until the next one is asked for.
 */
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
      parts.push(Buffer.from(chunk));
      held += chunk.length;
    }
  }
  if (held > 0) yield Buffer.concat(parts, held);
}

/** One compressed block, named by the sha256 (hex) of its uncompressed bytes. */
export interface CompressedBlock {
  hash: string;
  length: number;
}

export interface GzipBlocksOptions {
  /** Blocks compressing at once (bounded memory: a layer is never held whole). */
  width?: number;
  /** The compressed bytes of a block with this hash at this level, if known. */
  reuse?: (hash: string) => Buffer | undefined;
  /** Called in order for every block written: what a later `reuse` needs to find it again. */
  onBlock?: (block: CompressedBlock) => void;
}

/**
 * Readies gzipBlocks while there is time (goimg waiting for `go build`): the threadpool's threads
 * start and every lane faults in its zlib memory on first use, which a small layer would otherwise
 * wait for. Fire and forget.
 */
export function warmUpGzip(level: number): void {
  const block = Buffer.alloc(GZIP_BLOCK, 1);
  for (let i = 0; i < LANES; i++) deflateBlock(block, level).catch(() => {});
}

/** sha256 (hex) of a block: the name `reuse` and `onBlock` use. */
export function blockHash(block: Buffer): string {
  return createHash('sha256').update(block).digest('hex');
}

/** The gzip stream of `source` at `level`. `source` may lend its chunks (see fixedBlocks). */
export async function* gzipBlocks(
  source: AsyncIterable<Buffer>,
  level: number,
  options: GzipBlocksOptions = {},
): AsyncGenerator<Buffer> {
  // Blocks are small: keep enough of them in flight that every core stays busy (1 MiB per core).
  const width = options.width ?? 16 * Math.max(2, availableParallelism());
  const named = Boolean(options.reuse || options.onBlock);
  yield HEADER;
  let crc = 0;
  let isize = 0;
  const pending: { hash: string; job: Promise<Buffer> }[] = [];
  const next = async () => {
    const { hash, job } = pending.shift() as (typeof pending)[number];
    const out = await job;
    options.onBlock?.({ hash, length: out.length });
    return out;
  };
  for await (const block of fixedBlocks(source, GZIP_BLOCK)) {
    crc = crc32(block, crc);
    isize = (isize + block.length) >>> 0;
    const hash = named ? blockHash(block) : '';
    const known = options.reuse?.(hash);
    // A copy: the block is a view of the source's memory, which it may reuse meanwhile.
    const job = known ? Promise.resolve(known) : deflateBlock(Buffer.from(block), level);
    job.catch(() => {}); // awaited in order below; this keeps a failure from being "unhandled" meanwhile
    pending.push({ hash, job });
    while (pending.length >= width) yield await next();
  }
  while (pending.length > 0) yield await next();
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(isize, 4);
  yield Buffer.concat([FINAL, trailer]);
}
