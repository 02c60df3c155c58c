/**
 * Bounds-checked, byte-order-aware reads from a buffer. Every multi-byte read goes through here,
 * so a corrupt offset becomes an InputError naming what was being read, never a RangeError.
 */
import { InputError } from '../core/errors.js';

export class BinReader {
  constructor(
    readonly buf: Buffer,
    readonly littleEndian: boolean,
    readonly what: string,
  ) {}

  get length(): number {
    return this.buf.length;
  }

  private need(offset: number, n: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + n > this.buf.length) {
      throw new InputError(
        `${this.what} is truncated or corrupt (read of ${n} bytes at ${offset} past its ${this.buf.length} bytes)`,
      );
    }
  }

  u8(o: number): number {
    this.need(o, 1);
    return this.buf[o] as number;
  }

  u16(o: number): number {
    this.need(o, 2);
    return this.littleEndian ? this.buf.readUInt16LE(o) : this.buf.readUInt16BE(o);
  }

  u32(o: number): number {
    this.need(o, 4);
    return this.littleEndian ? this.buf.readUInt32LE(o) : this.buf.readUInt32BE(o);
  }

  i32(o: number): number {
    this.need(o, 4);
    return this.littleEndian ? this.buf.readInt32LE(o) : this.buf.readInt32BE(o);
  }

  /** A 64-bit value as a number (two 32-bit reads, no BigInt); beyond 2^53 it is corrupt. */
  u64(o: number): number {
    this.need(o, 8);
    const lo = this.littleEndian ? this.buf.readUInt32LE(o) : this.buf.readUInt32BE(o + 4);
    const hi = this.littleEndian ? this.buf.readUInt32LE(o + 4) : this.buf.readUInt32BE(o);
    if (hi > 0x1fffff) throw new InputError(`${this.what} holds an impossible 64-bit value at ${o}`);
    // hi === 0 (nearly always) returns lo itself: `0 * 2^32 + lo` is a heap-allocated double in
    // unoptimised code, and every offset derived from it stays one (the pclntab bases made each
    // `p++` of the function-table walk allocate: 100 scavenges under --no-opt, 8 in a real run).
    return hi === 0 ? lo : hi * 0x100000000 + lo;
  }

  /** A pointer-sized value (4 or 8 bytes). */
  ptr(o: number, size: number): number {
    return size === 8 ? this.u64(o) : this.u32(o);
  }

  /** A NUL-terminated string starting at `o` (at most `max` bytes); ASCII fast path. */
  cstring(o: number, max = 4096): string {
    this.need(o, 0);
    const buf = this.buf;
    const stop = Math.min(buf.length, o + max);
    let end = o;
    let ascii = true;
    for (; end < stop; end++) {
      const b = buf[end] as number;
      if (b === 0) break;
      if (b >= 0x80) ascii = false;
    }
    return buf.toString(ascii ? 'latin1' : 'utf8', o, end);
  }
}

/** Unsigned LEB128 varint as used by Go; returns [value, bytesRead] or throws past the end. */
export function uvarint(buf: Buffer, o: number, what: string): [number, number] {
  let x = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = buf[o + i];
    if (b === undefined) throw new InputError(`${what}: varint runs past the end of the data`);
    x += (b & 0x7f) * mul;
    if (b < 0x80) {
      if (!Number.isSafeInteger(x)) throw new InputError(`${what}: varint too large`);
      return [x, i + 1];
    }
    mul *= 128;
  }
  throw new InputError(`${what}: varint longer than 10 bytes`);
}
