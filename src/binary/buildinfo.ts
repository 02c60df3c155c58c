/**
 * Locates Go's build info blob and decodes its two encodings:
 *  - inline (Go 1.18+, flag bit 2): the version and modinfo strings follow the 32-byte header
 *    as uvarint-length-prefixed bytes;
 *  - pointer-based (Go 1.13-1.17): two pointers to Go string headers, each (data pointer,
 *    length), in the header's byte order and pointer size.
 * The format is learnt from Go's debug/buildinfo; the code is ours.
 */
import { type ElfFile, PF_W, PF_X, PT_LOAD } from './elf.js';
import { uvarint } from './reader.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const ALIGN = 16;
/** How much of a data segment we search when there is no .go.buildinfo section. */
const MAX_SEARCH = 8 << 20;
/** A version or modinfo string longer than this is corrupt. */
const MAX_STRING = 16 << 20;

export interface RawBuildInfo {
  goVersion: string;
  /** The modinfo text with its 16-byte sentinels removed ("" when absent). */
  modinfo: string;
}

export async function readRawBuildInfo(elf: ElfFile): Promise<RawBuildInfo | null> {
  let data: Buffer | undefined;
  const section = elf.section('.go.buildinfo');
  if (section && section.size > 0) {
    data = await elf.readSection(section, MAX_SEARCH);
  } else {
    const seg = elf.programs.find((p) => p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W);
    if (!seg || seg.filesz === 0) return null;
    const n = Math.min(seg.filesz, MAX_SEARCH);
    if (seg.offset + n > elf.source.size) return null;
    data = await elf.source.read(seg.offset, n);
  }

  let at = 0;
  for (;;) {
    const i = data.indexOf(MAGIC, at);
    if (i < 0 || data.length - i < HEADER_SIZE) return null;
    if (i % ALIGN === 0) {
      at = i;
      break;
    }
    at = (i + ALIGN - 1) & ~(ALIGN - 1);
  }
  const ptrSize = data[at + 14] as number;
  const flags = data[at + 15] as number;
  let goVersion: string;
  let mod: Buffer;
  if (flags & 2) {
    const [v, afterV] = inlineString(data, at + HEADER_SIZE);
    goVersion = v.toString('utf8');
    [mod] = inlineString(data, afterV);
  } else {
    if (ptrSize !== 4 && ptrSize !== 8) return null;
    // The byte order is the flags byte: 0 little-endian, anything else big-endian.
    const littleEndian = flags === 0;
    const readPtr = (buf: Buffer, o: number): number => {
      if (o < 0 || o + ptrSize > buf.length) return -1;
      if (ptrSize === 4) return littleEndian ? buf.readUInt32LE(o) : buf.readUInt32BE(o);
      const v = littleEndian ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o);
      return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
    };
    const goString = async (addr: number): Promise<Buffer> => {
      if (addr < 0) return EMPTY;
      const hdr = await elf.readAddress(addr, 2 * ptrSize);
      if (!hdr) return EMPTY;
      const p = readPtr(hdr, 0);
      const len = readPtr(hdr, ptrSize);
      if (p < 0 || len < 0 || len > MAX_STRING) return EMPTY;
      return (await elf.readAddress(p, len)) ?? EMPTY;
    };
    goVersion = (await goString(readPtr(data, at + 16))).toString('utf8');
    mod = await goString(readPtr(data, at + 16 + ptrSize));
  }
  if (goVersion === '') return null;
  // The modinfo is wrapped in two 16-byte sentinels; Go ignores it unless they frame a line end.
  const framed = mod.length >= 33 && mod[mod.length - 17] === 0x0a;
  const modinfo = framed ? mod.toString('utf8', 16, mod.length - 16) : '';
  return { goVersion, modinfo };
}

const EMPTY = Buffer.alloc(0);

function inlineString(data: Buffer, o: number): [Buffer, number] {
  try {
    const [len, n] = uvarint(data, o, '.go.buildinfo');
    if (len > data.length - o - n) return [EMPTY, data.length];
    return [data.subarray(o + n, o + n + len), o + n + len];
  } catch {
    return [EMPTY, data.length];
  }
}
