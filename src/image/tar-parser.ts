/**
 * A push parser for tar streams: chunks go in, headers and data slices come out synchronously,
 * without a stream object per entry. A layer holds tens of thousands of files; tar-stream's
 * per-entry streams and promise hops cost more CPU than hashing the bytes (measured on a 0.7 GB,
 * 25,000-file layer), so layer scans use this reader. It reads what Go's archive/tar (the
 * engines' reader) reads: ustar, GNU and V7 headers, GNU long names and links, PAX path, linkpath
 * and size records, base-256 numbers; a regular file named with a trailing slash is a directory.
 */

export interface TarHeader {
  /** Name as stored (long-name and PAX records applied), not yet cleaned. */
  name: string;
  /** The type flag character ('0', '5', '2'...); '\0' reads as '0'. */
  flag: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkname: string;
}

export interface TarVisitor {
  /** One entry's header; returns true to receive its data through `data`. */
  header(h: TarHeader): boolean;
  /** A slice of the current entry's data: a view into the chunk written, not a copy. */
  data(slice: Buffer): void;
  /** The entry whose data was asked for is complete. */
  done(): void;
}

/** Raised for malformed archives; the caller names the layer. */
export class TarFormatError extends Error {}

const BLOCK = 512;
// Long names, links and PAX records are metadata: anything larger is hostile.
const MAX_EXTENDED = 1024 * 1024;

function octal(h: Buffer, start: number, len: number): number {
  if (h[start]! & 0x80) {
    // Base-256 (GNU), for sizes and ids past the octal field's range; negative values refused.
    if (h[start] !== 0x80) throw new TarFormatError('negative base-256 number in a tar header');
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + h[i]!;
    if (!Number.isSafeInteger(n)) throw new TarFormatError('base-256 number in a tar header is too large');
    return n;
  }
  let i = start;
  const end = start + len;
  while (i < end && (h[i] === 0x20 || h[i] === 0)) i++;
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = h[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) throw new TarFormatError('bad octal number in a tar header');
    n = n * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? 0 : n;
}

function text(h: Buffer, start: number, len: number): string {
  let end = start;
  const limit = start + len;
  while (end < limit && h[end] !== 0) end++;
  return h.toString('utf8', start, end);
}

function checksumOf(h: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += h[i]!;
  for (let i = 156; i < BLOCK; i++) sum += h[i]!;
  return sum;
}

function isUstar(h: Buffer): boolean {
  // "ustar\0" (POSIX): the prefix field extends the name. GNU's "ustar " uses it for times.
  return (
    h[257] === 0x75 &&
    h[258] === 0x73 &&
    h[259] === 0x74 &&
    h[260] === 0x61 &&
    h[261] === 0x72 &&
    h[262] === 0
  );
}

interface Pax {
  path?: string;
  linkpath?: string;
  size?: number;
  uid?: number;
  gid?: number;
}

function parsePax(data: Buffer, into: Pax): Pax {
  const out = { ...into };
  let at = 0;
  while (at < data.length) {
    const sp = data.indexOf(0x20, at);
    if (sp < 0) throw new TarFormatError('malformed PAX record');
    const len = Number(data.toString('ascii', at, sp));
    if (!Number.isSafeInteger(len) || len <= sp - at + 1 || at + len > data.length) {
      throw new TarFormatError('malformed PAX record length');
    }
    const record = data.toString('utf8', sp + 1, at + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) {
      const key = record.slice(0, eq);
      const value = record.slice(eq + 1);
      if (key === 'path') out.path = value;
      else if (key === 'linkpath') out.linkpath = value;
      else if (key === 'size' || key === 'uid' || key === 'gid') {
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
          throw new TarFormatError(`bad PAX ${key} "${value}"`);
        }
        out[key] = Number(value);
      }
    }
    at += len;
  }
  return out;
}

/** Zero bytes that fill `size` bytes of data up to the next block. */
function paddingAfter(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

// Links, directories, devices and FIFOs carry no data whatever their size field says (as in Go).
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

type State = 'header' | 'data' | 'extended' | 'padding' | 'finished';

export class TarParser {
  private state: State = 'header';
  private readonly block = Buffer.alloc(BLOCK);
  private filled = 0;
  /** Bytes of entry data (or extended header) still to come, then padding to the block. */
  private remaining = 0;
  private padding = 0;
  private wanted = false;
  private extended: { flag: string; data: Buffer; at: number } | null = null;
  private longName: string | null = null;
  private longLink: string | null = null;
  private pax: Pax = {};
  private globalPax: Pax = {};
  private zeroBlocks = 0;

  constructor(private readonly visitor: TarVisitor) {}

  /**
   * Parses `chunk` from `start`. Returns where it stopped: the chunk's end, or just after the
   * last byte of an entry whose data was asked for (its `done` has been called), so that the
   * caller can finish with that entry before the parser moves on.
   */
  write(chunk: Buffer, start = 0): number {
    let at = start;
    while (at < chunk.length) {
      switch (this.state) {
        case 'finished':
          return chunk.length;
        case 'header': {
          const n = Math.min(BLOCK - this.filled, chunk.length - at);
          chunk.copy(this.block, this.filled, at, at + n);
          this.filled += n;
          at += n;
          if (this.filled === BLOCK) {
            this.filled = 0;
            // An empty entry whose data was asked for is complete at once.
            if (this.onHeader()) return at;
          }
          break;
        }
        case 'extended': {
          const ext = this.extended!;
          const n = Math.min(this.remaining, chunk.length - at);
          chunk.copy(ext.data, ext.at, at, at + n);
          ext.at += n;
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) this.onExtended();
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, chunk.length - at);
          if (this.wanted && n > 0) this.visitor.data(chunk.subarray(at, at + n));
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.state = this.padding > 0 ? 'padding' : 'header';
            if (this.wanted) {
              this.wanted = false;
              this.visitor.done();
              return at;
            }
          }
          break;
        }
        case 'padding': {
          const n = Math.min(this.padding, chunk.length - at);
          at += n;
          this.padding -= n;
          if (this.padding === 0) this.state = 'header';
          break;
        }
      }
    }
    return at;
  }

  /** The input ended: anything but a whole number of entries is a truncated archive. */
  end(): void {
    const between =
      this.state === 'finished' || this.state === 'padding' || (this.state === 'header' && this.filled === 0);
    if (!between) throw new TarFormatError('unexpected end of data (truncated archive)');
    if (this.longName !== null || this.longLink !== null) {
      throw new TarFormatError('archive ends after an extended header, before its entry');
    }
  }

  /** Returns true when the header opened and closed an entry whose (empty) data was asked for. */
  private onHeader(): boolean {
    const h = this.block;
    const sum = checksumOf(h);
    if (sum === 8 * 0x20 && h.every((b) => b === 0)) {
      // Two zero blocks end the archive; what follows (the writer's padding) is not read.
      if (++this.zeroBlocks === 2) this.state = 'finished';
      return false;
    }
    this.zeroBlocks = 0;
    if (sum !== octal(h, 148, 8)) {
      throw new TarFormatError('invalid tar header checksum (corrupt, or not an uncompressed tar)');
    }
    const flag = h[156] === 0 ? '0' : String.fromCharCode(h[156]!);
    let size = octal(h, 124, 12);
    if (flag === 'L' || flag === 'K' || flag === 'x' || flag === 'g') {
      if (size > MAX_EXTENDED) throw new TarFormatError(`extended header of ${size} bytes is too large`);
      this.extended = { flag, data: Buffer.allocUnsafe(size), at: 0 };
      this.remaining = size;
      this.padding = paddingAfter(size);
      this.state = 'extended';
      if (size === 0) this.onExtended();
      return false;
    }
    let name = text(h, 0, 100);
    if (isUstar(h) && h[345] !== 0) name = `${text(h, 345, 155)}/${name}`;
    const pax = this.pax;
    if (pax.size !== undefined) size = pax.size;
    name = pax.path ?? this.longName ?? name;
    const header: TarHeader = {
      name,
      // Old archives mark directories by a trailing slash under the NUL type flag.
      flag: h[156] === 0 && name.endsWith('/') ? '5' : flag,
      size,
      mode: octal(h, 100, 8),
      uid: pax.uid ?? octal(h, 108, 8),
      gid: pax.gid ?? octal(h, 116, 8),
      linkname: pax.linkpath ?? this.longLink ?? text(h, 157, 100),
    };
    this.longName = null;
    this.longLink = null;
    this.pax = this.globalPax;
    const dataSize = HEADER_ONLY.has(header.flag) ? 0 : size;
    this.wanted = this.visitor.header(header);
    this.remaining = dataSize;
    this.padding = paddingAfter(dataSize);
    this.state = 'data';
    if (dataSize > 0) return false;
    this.state = 'header';
    if (!this.wanted) return false;
    this.wanted = false;
    this.visitor.done();
    return true;
  }

  private onExtended(): void {
    const { flag, data } = this.extended!;
    this.extended = null;
    this.state = this.padding > 0 ? 'padding' : 'header';
    if (flag === 'L') this.longName = text(data, 0, data.length);
    else if (flag === 'K') this.longLink = text(data, 0, data.length);
    else if (flag === 'x') this.pax = parsePax(data, this.globalPax);
    else {
      this.globalPax = parsePax(data, this.globalPax);
      this.pax = { ...this.globalPax, ...this.pax };
    }
  }
}
