/**
 * The NRV2B, NRV2D and NRV2E decompressors with a 32-bit little-endian bit buffer, as UPX packs
 * executables. Literals and matches are announced by bits read MSB first from LE32 words; offsets
 * and lengths are Elias-gamma-like codes. Every read and copy is bounds-checked against the input
 * and the caller's output size, so a hostile stream fails instead of overrunning, and each step
 * consumes input or produces output, so the time is linear in input plus output.
 */
export type NrvVariant = 'NRV2B' | 'NRV2D' | 'NRV2E';

export class NrvError extends Error {}

/** The largest offset code before the end marker; anything larger is corrupt. */
const MAX_OFFSET_CODE = 0x1000002;
const END_MARKER = 0xffffffff;

/** Decompresses `src` into `out`, which must be exactly filled. */
export function nrvDecompress(variant: NrvVariant, src: Uint8Array, out: Uint8Array): void {
  const r = new BitReader(src);
  let op = 0;
  // A gamma code: bits are appended until the stop bit; bounded so hostile input cannot overflow.
  const gamma = (start: number, limit: number): number => {
    let v = start;
    do {
      v = v * 2 + r.bit();
      if (v > limit) throw new NrvError('length out of range');
    } while (!r.bit());
    return v;
  };
  const maxLen = out.length + 8;
  let lastOffset = 1;
  for (;;) {
    while (r.bit()) {
      if (op >= out.length) throw new NrvError('output larger than recorded');
      out[op++] = r.byte();
    }
    let code = 1;
    if (variant === 'NRV2B') {
      code = gamma(1, MAX_OFFSET_CODE);
    } else {
      for (;;) {
        code = code * 2 + r.bit();
        if (r.bit()) break;
        code = (code - 1) * 2 + r.bit();
        if (code > MAX_OFFSET_CODE) throw new NrvError('offset out of range');
      }
    }
    let offset: number;
    let len = 0;
    if (code === 2) {
      offset = lastOffset;
      if (variant !== 'NRV2B') len = r.bit();
    } else {
      offset = (code - 3) * 256 + r.byte();
      if (offset === END_MARKER) break;
      if (variant !== 'NRV2B') {
        len = (offset & 1) ^ 1;
        offset = Math.floor(offset / 2);
      }
      lastOffset = ++offset;
    }
    if (variant === 'NRV2E') {
      if (len) len = 1 + r.bit();
      else if (r.bit()) len = 3 + r.bit();
      else len = gamma(1, maxLen) + 3;
    } else {
      len = variant === 'NRV2B' ? r.bit() * 2 + r.bit() : len * 2 + r.bit();
      if (len === 0) len = gamma(1, maxLen) + 2;
    }
    len += (offset > (variant === 'NRV2B' ? 0xd00 : 0x500) ? 1 : 0) + 1;
    if (offset > op) throw new NrvError('match reaches before the start of the output');
    if (op + len > out.length) throw new NrvError('output larger than recorded');
    for (const end = op + len; op < end; op++) out[op] = out[op - offset] as number;
  }
  if (op !== out.length) throw new NrvError(`output is ${op} bytes, ${out.length} recorded`);
}

/** Bits MSB first from little-endian 32-bit words, then single bytes, from one input. */
class BitReader {
  private ip = 0;
  private word = 0;
  private left = 0;

  constructor(private readonly src: Uint8Array) {}

  bit(): number {
    if (this.left === 0) {
      const { src, ip } = this;
      if (ip + 4 > src.length) throw new NrvError('compressed data ends early');
      this.word =
        ((src[ip] as number) |
          ((src[ip + 1] as number) << 8) |
          ((src[ip + 2] as number) << 16) |
          ((src[ip + 3] as number) << 24)) >>>
        0;
      this.ip = ip + 4;
      this.left = 32;
    }
    this.left--;
    return (this.word >>> this.left) & 1;
  }

  byte(): number {
    if (this.ip >= this.src.length) throw new NrvError('compressed data ends early');
    return this.src[this.ip++] as number;
  }
}
