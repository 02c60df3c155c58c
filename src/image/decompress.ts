/**
 * Layer decompression chosen by magic bytes, never by the media type alone (registries and
 * archives mislabel): gzip through zlib, zstd through the `zstd` executable (Node 20's zlib has
 * no zstd; the native decoder is several times faster than a pure-JS one and streams), anything
 * else passed through as an uncompressed tar.
 */
import { spawn } from 'node:child_process';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { EnvironmentError, InputError } from '../core/errors.js';
import { DEFAULT_LIMITS, InflateGuard, type InflateLimits } from './verify.js';

export type Compression = 'gzip' | 'zstd' | 'none';

export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/**
 * Passes bytes through, counting them, and resolves `head` with the first `n` bytes (or all of a
 * shorter stream) so the decoder can be chosen before anything downstream is attached.
 */
class HeadCounter extends Transform {
  bytes = 0;
  private readonly first: Buffer[] = [];
  private resolveHead!: (head: Buffer) => void;
  readonly head = new Promise<Buffer>((resolve) => {
    this.resolveHead = resolve;
  });

  constructor(private readonly n: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.bytes < this.n) {
      this.first.push(chunk);
      if (this.bytes + chunk.length >= this.n)
        this.resolveHead(Buffer.concat(this.first).subarray(0, this.n));
    }
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.resolveHead(Buffer.concat(this.first));
    cb();
  }
}

function zstdStream(input: Readable, what: string): Readable {
  const child = spawn('zstd', ['-dcq', '--no-progress'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new PassThrough();
  let stderr = '';
  let failed = false;
  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    input.unpipe(child.stdin);
    child.kill();
    out.destroy(err);
  };
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 2000) stderr += d;
  });
  child.on('error', (err: NodeJS.ErrnoException) =>
    fail(
      err.code === 'ENOENT'
        ? new EnvironmentError(
            `${what} is zstd-compressed and the zstd executable is not installed`,
            'apt-get install zstd',
          )
        : err,
    ),
  );
  child.stdin.on('error', () => {
    /* EPIPE when zstd stops early; its exit status says why */
  });
  input.on('error', fail);
  input.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  let stdoutEnded = false;
  let exitCode: number | null | undefined;
  const finish = () => {
    if (!stdoutEnded || exitCode === undefined || failed) return;
    if (exitCode === 0) out.end();
    else
      fail(
        new InputError(
          `${what}: bad or truncated zstd stream (${stderr.trim().split('\n').pop() ?? 'zstd failed'})`,
        ),
      );
  };
  child.stdout.on('end', () => {
    stdoutEnded = true;
    finish();
  });
  child.on('close', (code) => {
    exitCode = code;
    finish();
  });
  out.on('close', () => {
    if (exitCode === undefined) child.kill();
  });
  return out;
}

export interface Decompressed {
  compression: Compression;
  /** The uncompressed tar bytes, guarded by the inflate limits. */
  stream: Readable;
  /** Stored (compressed) bytes read so far. */
  compressedBytes(): number;
}

/** Turns a stored layer blob into its uncompressed tar stream. */
export async function decompress(
  blob: Readable,
  what: string,
  limits: InflateLimits = DEFAULT_LIMITS,
): Promise<Decompressed> {
  const counter = new HeadCounter(4);
  blob.on('error', (err) => counter.destroy(err));
  blob.pipe(counter);
  const head = await Promise.race([
    counter.head,
    new Promise<never>((_resolve, reject) => counter.once('error', reject)),
  ]);
  const compression = detectCompression(head);
  let inner: Readable;
  if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    counter.on('error', (err) => gunzip.destroy(err));
    inner = counter.pipe(gunzip);
  } else if (compression === 'zstd') {
    inner = zstdStream(counter, what);
  } else {
    inner = counter;
  }
  const guard = new InflateGuard(limits, () => counter.bytes, what);
  inner.on('error', (err: Error & { code?: string }) => {
    const e =
      err instanceof InputError || err instanceof EnvironmentError
        ? err
        : new InputError(`${what}: bad or truncated ${compression} stream (${err.message})`);
    guard.destroy(e);
  });
  inner.pipe(guard);
  return { compression, stream: guard, compressedBytes: () => counter.bytes };
}
