/**
 * Streams that check what passes through them: a digest (and expected size) verified when the
 * stream ends, and limits on how much a decompressor may produce (decompression bombs).
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { InputError } from '../core/errors.js';
import { sha256 } from '../oci/digest.js';

export function assertDigest(expected: string, data: Buffer, what: string): void {
  if (!expected.startsWith('sha256:'))
    throw new InputError(`${what}: unsupported digest algorithm in ${expected}`);
  const actual = sha256(data);
  if (actual !== expected)
    throw new InputError(`${what}: digest mismatch (expected ${expected}, got ${actual})`);
}

/**
 * Checks a blob's bytes as they pass against its digest and its descriptor's size: update()
 * refuses bytes past the size, finish() a digest or size that differs.
 */
export class BlobCheck {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(
    private readonly expected: string | null,
    private readonly what: string,
    private readonly expectedSize: number | null = null,
  ) {
    if (expected !== null && !expected.startsWith('sha256:')) {
      throw new InputError(`${what}: unsupported digest algorithm in ${expected}`);
    }
  }

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.expectedSize !== null && this.bytes > this.expectedSize) throw this.tooLong();
  }

  /** Refuses, before reading, a blob whose whole size is known and is not the descriptor's. */
  checkTotal(total: number): void {
    if (this.expectedSize === null) return;
    if (total > this.expectedSize) throw this.tooLong();
    if (total < this.expectedSize) throw this.tooShort(total);
  }

  /** The digest of the bytes seen, once they are all there. */
  finish(): string {
    const digest = `sha256:${this.hash.digest('hex')}`;
    if (this.expected !== null && digest !== this.expected)
      throw new InputError(`${this.what}: digest mismatch (expected ${this.expected}, got ${digest})`);
    if (this.expectedSize !== null && this.bytes !== this.expectedSize) throw this.tooShort(this.bytes);
    return digest;
  }

  private tooLong(): InputError {
    return new InputError(`${this.what}: more bytes than its descriptor's size ${this.expectedSize}`);
  }

  private tooShort(bytes: number): InputError {
    return new InputError(`${this.what}: ${bytes} bytes, its descriptor says ${this.expectedSize}`);
  }
}

/** Passes bytes through, checking them (BlobCheck) at their end. */
export class DigestStream extends Transform {
  private readonly check: BlobCheck;

  constructor(expected: string | null, what: string, expectedSize: number | null = null) {
    super();
    this.check = new BlobCheck(expected, what, expectedSize);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.check.update(chunk);
    } catch (err) {
      cb(err as Error);
      return;
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.check.finish();
    } catch (err) {
      cb(err as Error);
      return;
    }
    cb();
  }
}

export interface InflateLimits {
  /** Largest uncompressed layer accepted. */
  maxBytes: number;
  /** Largest ratio uncompressed/compressed accepted once past `ratioAfter` bytes. */
  maxRatio: number;
  ratioAfter: number;
}

export const DEFAULT_LIMITS: InflateLimits = {
  maxBytes: 64 * 1024 ** 3,
  maxRatio: 1000,
  ratioAfter: 256 * 1024 ** 2,
};

/** Counts decompressed bytes and stops a stream that grows past the limits. */
export class InflateGuard extends Transform {
  bytes = 0;

  constructor(
    private readonly limits: InflateLimits,
    private readonly compressedBytes: () => number,
    private readonly what: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBytes) {
      cb(
        new InputError(`${this.what}: decompresses past ${this.limits.maxBytes} bytes (decompression bomb?)`),
      );
      return;
    }
    if (this.bytes > this.limits.ratioAfter) {
      const ratio = this.bytes / Math.max(1, this.compressedBytes());
      if (ratio > this.limits.maxRatio) {
        cb(
          new InputError(
            `${this.what}: compression ratio above ${this.limits.maxRatio}:1 (decompression bomb?)`,
          ),
        );
        return;
      }
    }
    cb(null, chunk);
  }
}
