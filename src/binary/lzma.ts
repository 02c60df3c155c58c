/**
 * A raw LZMA1 decoder (no .lzma header) that fills a caller-sized output, as UPX stores blocks.
 * Written here rather than taken from npm: the pure-JS packages only read the .lzma container,
 * and the maintained one (lzma1) goes on decoding past the end of its input as if more bytes
 * followed and grows its own output past the size it was told, so a truncated block came back
 * as garbage of the wrong length without an error; it was also slower and held more memory (its
 * own window, a growing output and a copy of it). Learnt from the LZMA specification: a binary
 * range coder over adaptive probabilities, literals coded with the previous byte as context,
 * matches as a length and a distance (or one of the four last distances). The output buffer is
 * the dictionary. Every input read and every match is bounds-checked, each step produces output,
 * so a hostile stream fails in time linear in the output size, and a stream must end exactly
 * where its input does.
 */
export class LzmaError extends Error {}

export interface LzmaProps {
  /** Literal context bits (0–8), literal position bits (0–4), position bits (0–4). */
  lc: number;
  lp: number;
  pb: number;
}

const STATES = 12;
const POS_STATES_MAX = 16;
const END_POS_MODEL = 14;
const FULL_DISTANCES = 128;
const MATCH_MIN = 2;

/** Decodes `src` into `out`, which must be exactly filled; an end marker before that is an error. */
export function lzmaDecompress(src: Uint8Array, props: LzmaProps, out: Uint8Array): void {
  const { lc, lp, pb } = props;
  if (lc > 8 || lp > 4 || pb > 4)
    throw new LzmaError(`properties lc=${lc} lp=${lp} pb=${pb} are out of range`);
  const rc = new RangeDecoder(src);
  const isMatch = probs(STATES * POS_STATES_MAX);
  const isRep = probs(STATES);
  const isRepG0 = probs(STATES);
  const isRepG1 = probs(STATES);
  const isRepG2 = probs(STATES);
  const isRep0Long = probs(STATES * POS_STATES_MAX);
  const literal = probs(0x300 << (lc + lp));
  const distance = new DistanceDecoder();
  const len = new LengthDecoder();
  const repLen = new LengthDecoder();
  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;
  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  let op = 0;
  while (op < out.length) {
    const posState = op & pbMask;
    if (!rc.bit(isMatch, (state << 4) + posState)) {
      const prev = op > 0 ? (out[op - 1] as number) : 0;
      const base = 0x300 * (((op & lpMask) << lc) + (prev >> (8 - lc)));
      let sym = 1;
      if (state >= 7) {
        // After a match the byte at rep0 predicts this one, bit by bit, until they differ.
        let match = out[op - rep0 - 1] as number;
        while (sym < 0x100) {
          const mbit = (match >> 7) & 1;
          match <<= 1;
          const b = rc.bit(literal, base + ((1 + mbit) << 8) + sym);
          sym = (sym << 1) | b;
          if (b !== mbit) break;
        }
      }
      while (sym < 0x100) sym = (sym << 1) | rc.bit(literal, base + sym);
      out[op++] = sym & 0xff;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let n: number;
    if (rc.bit(isRep, state)) {
      if (op === 0) throw new LzmaError('a repeated match before any output');
      if (!rc.bit(isRepG0, state)) {
        if (!rc.bit(isRep0Long, (state << 4) + posState)) {
          state = state < 7 ? 9 : 11;
          out[op] = out[op - rep0 - 1] as number;
          op++;
          continue;
        }
      } else {
        let d: number;
        if (!rc.bit(isRepG1, state)) d = rep1;
        else {
          if (!rc.bit(isRepG2, state)) d = rep2;
          else {
            d = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = d;
      }
      n = repLen.decode(rc, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      n = len.decode(rc, posState);
      state = state < 7 ? 7 : 10;
      rep0 = distance.decode(rc, n);
      if (rep0 === 0xffffffff) throw new LzmaError(`the stream ends at ${op} bytes, ${out.length} recorded`);
    }
    n += MATCH_MIN;
    if (rep0 >= op) throw new LzmaError('a match reaches before the start of the output');
    if (op + n > out.length) throw new LzmaError('output larger than recorded');
    for (const end = op + n; op < end; op++) out[op] = out[op - rep0 - 1] as number;
  }
  rc.finish();
}

/** Probabilities start at one half (1024 of 2048). */
const probs = (n: number): Uint16Array => new Uint16Array(n).fill(1024);

/**
 * The binary range decoder: 32-bit range and code, fed a byte at a time, MSB first. Both are kept
 * as int32 and compared unsigned (top bit flipped), which keeps them in registers.
 */
class RangeDecoder {
  private range = -1;
  private code: number;
  private ip = 5;

  constructor(private readonly src: Uint8Array) {
    if (src.length < 5) throw new LzmaError('compressed data ends early');
    if (src[0] !== 0) throw new LzmaError('the stream does not start with a zero byte');
    this.code =
      ((src[1] as number) << 24) |
      ((src[2] as number) << 16) |
      ((src[3] as number) << 8) |
      (src[4] as number);
    if (this.code === -1) throw new LzmaError('the stream starts with an impossible code');
  }

  /** One bit under the adaptive probability `p[i]`, which moves toward the bit seen. */
  bit(p: Uint16Array, i: number): number {
    const prob = p[i] as number;
    const bound = Math.imul(this.range >>> 11, prob);
    let b: number;
    if ((this.code ^ 0x80000000) < (bound ^ 0x80000000)) {
      this.range = bound;
      p[i] = prob + ((2048 - prob) >> 5);
      b = 0;
    } else {
      this.range = (this.range - bound) | 0;
      this.code = (this.code - bound) | 0;
      p[i] = prob - (prob >> 5);
      b = 1;
    }
    if ((this.range & 0xff000000) === 0) this.shift();
    return b;
  }

  /** `n` bits at probability one half, MSB first. */
  direct(n: number): number {
    let v = 0;
    for (let k = 0; k < n; k++) {
      this.range >>>= 1;
      // code < range (unsigned) iff the subtraction borrows: t is then -1, else 0.
      const code = (this.code - this.range) | 0;
      const t = code >> 31;
      this.code = (code + (this.range & t)) | 0;
      v = v * 2 + t + 1;
      if ((this.range & 0xff000000) === 0) this.shift();
    }
    return v;
  }

  /** A `bits`-bit symbol, MSB first, from the binary tree of probabilities at `p[base + 1...]`. */
  tree(p: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let k = 0; k < bits; k++) m = (m << 1) | this.bit(p, base + m);
    return m - (1 << bits);
  }

  /** The same, LSB first. */
  reverseTree(p: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let v = 0;
    for (let k = 0; k < bits; k++) {
      const b = this.bit(p, base + m);
      m = (m << 1) | b;
      v |= b << k;
    }
    return v;
  }

  /**
   * A stream that filled its output ends with every byte read and a zero code, as the encoder's
   * flush leaves it; anything else is a corrupt or spliced stream.
   */
  finish(): void {
    if (this.ip !== this.src.length)
      throw new LzmaError(`${this.src.length - this.ip} compressed bytes left over`);
    if (this.code !== 0) throw new LzmaError('the stream does not end cleanly');
  }

  private shift(): void {
    if (this.ip >= this.src.length) throw new LzmaError('compressed data ends early');
    this.range <<= 8;
    this.code = (this.code << 8) | (this.src[this.ip++] as number);
  }
}

/** Match lengths 0–271 (before the minimum is added): 3 bits low, 3 bits mid or 8 bits high. */
class LengthDecoder {
  private readonly choice = probs(2);
  private readonly low = probs(POS_STATES_MAX << 3);
  private readonly mid = probs(POS_STATES_MAX << 3);
  private readonly high = probs(256);

  decode(rc: RangeDecoder, posState: number): number {
    if (!rc.bit(this.choice, 0)) return rc.tree(this.low, posState << 3, 3);
    if (!rc.bit(this.choice, 1)) return 8 + rc.tree(this.mid, posState << 3, 3);
    return 16 + rc.tree(this.high, 0, 8);
  }
}

/** Distances: a 6-bit slot per length class, then middle bits (modelled or direct) and 4 aligned bits. */
class DistanceDecoder {
  private readonly slot = probs(4 << 6);
  private readonly special = probs(1 + FULL_DISTANCES - END_POS_MODEL);
  private readonly align = probs(16);

  decode(rc: RangeDecoder, len: number): number {
    const slot = rc.tree(this.slot, Math.min(len, 3) << 6, 6);
    if (slot < 4) return slot;
    const bits = (slot >> 1) - 1;
    const base = (2 | (slot & 1)) * (1 << bits);
    if (slot < END_POS_MODEL) return base + rc.reverseTree(this.special, base - slot - 1, bits);
    return base + rc.direct(bits - 4) * 16 + rc.reverseTree(this.align, 0, 4);
  }
}
