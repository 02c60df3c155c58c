/**
 * Rebuilds the original bytes of a UPX-packed x86-64 ELF executable in memory, so the readers see
 * the file as it was before packing. After the packed file's program headers come l_info (the
 * loader's size) and p_info (the original size, the block size), then blocks, each a b_info
 * header (uncompressed size, compressed size, method, filter, filter marker) and its data:
 * first the original ELF and program headers, then each PT_LOAD's bytes in file order, then the
 * loader; the bytes between and after the original PT_LOAD segments follow the packed file's own
 * loaded extent (4-aligned). A block whose two sizes agree is stored. Nothing is written past the
 * recorded original size, which is capped.
 */
import { InputError } from '../core/errors.js';
import { ElfFile } from './elf.js';
import { LzmaError, lzmaDecompress } from './lzma.js';
import { NrvError, type NrvVariant, nrvDecompress } from './nrv.js';
import { type ByteSource, bufferSource } from './source.js';
import { CTO_FILTER, unfilterCto } from './upx-filter.js';

/** No original larger than this is rebuilt, whatever the header claims. */
export const MAX_UNPACKED = 1 << 30;

const METHODS: Record<number, NrvVariant> = { 2: 'NRV2B', 5: 'NRV2D', 8: 'NRV2E' };
const M_LZMA = 14;
const UNSUPPORTED: Record<number, string> = { 15: 'DEFLATE' };
const EHDR64 = 64;
const PHDR64 = 56;
const B_INFO = 12;
const PT_LOAD = 1;

/** A valid packing goimg does not decode (DEFLATE, another filter): reported, not an error. */
export class UpxUnsupported extends Error {}

export class UpxCorrupt extends InputError {
  constructor(reason: string) {
    super(`cannot be unpacked: ${reason}`);
  }
}

/** The original file's bytes; throws UpxUnsupported or UpxCorrupt. */
export async function unpackUpx(elf: ElfFile, limit = MAX_UNPACKED): Promise<Buffer> {
  const src = elf.source;
  if (elf.header.class !== 64 || !elf.header.littleEndian || elf.header.arch !== 'amd64') {
    throw new UpxUnsupported(`${elf.header.arch} ELF${elf.header.class}`);
  }
  const hdr = await read(src, 0, EHDR64, 'ELF header');
  const lInfo = Number(hdr.readBigUInt64LE(32)) + hdr.readUInt16LE(56) * hdr.readUInt16LE(54);
  const info = await read(src, lInfo, 24, 'l_info and p_info');
  if (info.toString('latin1', 4, 8) !== 'UPX!') throw new UpxCorrupt('no l_info after the program headers');
  const size = info.readUInt32LE(16);
  if (size < EHDR64 || size > limit) throw new UpxCorrupt(`recorded original size ${size} is out of range`);

  // The original headers come first; they say where the PT_LOAD segments were.
  const first: Block[] = [];
  let pos = await chain(src, lInfo + 24, 0, -1, Math.min(size, EHDR64 + 0xffff * PHDR64), first);
  const head = first[0] as Block;
  const headers = Buffer.alloc(head.unc);
  await decode(src, head, headers);
  if (headers.toString('latin1', 0, 4) !== '\x7fELF')
    throw new UpxCorrupt('the first block is not an ELF header');
  const loads = originalLoads(headers, size);

  // Segment bytes, then (after the loader) what lies between and after them. Every block header
  // is checked before the original's size is allocated.
  const blocks: Block[] = [head];
  let covered = head.unc;
  for (const [start, end] of loads) {
    if (start !== 0 && start < covered) throw new UpxCorrupt('original segments overlap');
    const from = Math.max(start, covered);
    if (end > from) pos = await chain(src, pos, from, end, size, blocks);
    covered = Math.max(covered, end);
  }
  const loaded = Math.max(...elf.programs.filter((p) => p.type === PT_LOAD).map((p) => p.offset + p.filesz));
  pos = Math.ceil(loaded / 4) * 4;
  let at = head.unc;
  for (const [start, end] of loads) {
    if (start > at) pos = await chain(src, pos, at, start, size, blocks);
    at = Math.max(at, end);
  }
  if (size > at) await chain(src, pos, at, size, size, blocks);

  const out = Buffer.alloc(size);
  for (const b of blocks) await decode(src, b, out.subarray(b.at, b.at + b.unc));
  return out;
}

/** The original PT_LOAD segments' file extents, in file order. */
function originalLoads(headers: Buffer, size: number): [number, number][] {
  const phoff = Number(headers.readBigUInt64LE(32));
  const phnum = headers.readUInt16LE(56);
  if (phoff + phnum * PHDR64 > headers.length) {
    throw new UpxCorrupt('original program headers lie outside the first block');
  }
  const loads: [number, number][] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * PHDR64;
    if (headers.readUInt32LE(at) !== PT_LOAD) continue;
    const offset = Number(headers.readBigUInt64LE(at + 8));
    const filesz = Number(headers.readBigUInt64LE(at + 32));
    if (offset + filesz > size) throw new UpxCorrupt('an original segment lies past the original size');
    if (filesz > 0) loads.push([offset, offset + filesz]);
  }
  return loads.sort((a, b) => a[0] - b[0]);
}

interface Block {
  /** Where its bytes go in the original, and how many. */
  at: number;
  unc: number;
  /** Where its data is in the packed file, and how many bytes. */
  data: number;
  cpr: number;
  method: number;
  filter: number;
  cto8: number;
}

/**
 * Reads the block headers from `pos` that fill [from, to) of the original (to < 0: one block of
 * at most `max` bytes); returns the position after them.
 */
async function chain(
  src: ByteSource,
  pos: number,
  from: number,
  to: number,
  max: number,
  out: Block[],
): Promise<number> {
  let at = from;
  do {
    const h = await read(src, pos, B_INFO, 'block header');
    const unc = h.readUInt32LE(0);
    const cpr = h.readUInt32LE(4);
    const end = to < 0 ? max : to;
    if (unc === 0 || unc > end - at)
      throw new UpxCorrupt(`a block of ${unc} bytes does not fit at offset ${at}`);
    if (cpr > unc) throw new UpxCorrupt(`a block's compressed size ${cpr} exceeds its size ${unc}`);
    if (pos + B_INFO + cpr > src.size) throw new UpxCorrupt('block data lies past the end of the file');
    out.push({
      at,
      unc,
      data: pos + B_INFO,
      cpr,
      method: h[8] as number,
      filter: h[9] as number,
      cto8: h[10] as number,
    });
    pos += B_INFO + cpr;
    at += unc;
  } while (at < to);
  return pos;
}

async function decode(src: ByteSource, b: Block, dst: Buffer): Promise<void> {
  const data = await read(src, b.data, b.cpr, 'block data');
  if (b.cpr === b.unc) data.copy(dst);
  else decompress(b.method, data, dst);
  if (b.filter === CTO_FILTER) unfilterCto(dst, b.cto8);
  else if (b.filter !== 0) throw new UpxUnsupported(`filter 0x${b.filter.toString(16)}`);
}

function decompress(method: number, data: Buffer, dst: Buffer): void {
  const variant = METHODS[method];
  if (!variant && method !== M_LZMA) throw new UpxUnsupported(UNSUPPORTED[method] ?? `method ${method}`);
  try {
    if (variant) nrvDecompress(variant, data, dst);
    else lzmaDecompress(data.subarray(2), lzmaProps(data), dst);
  } catch (e) {
    if (e instanceof NrvError || e instanceof LzmaError) throw new UpxCorrupt(e.message);
    throw e;
  }
}

/**
 * UPX writes two bytes before the raw LZMA stream: (lc + lp) << 3 | pb, then lp << 4 | lc. The
 * repeated sum in the first byte is what UPX's own decoder checks too.
 */
function lzmaProps(data: Buffer): { lc: number; lp: number; pb: number } {
  if (data.length < 3) throw new LzmaError('compressed data ends early');
  const [sum, lplc] = [data[0] as number, data[1] as number];
  const props = { lc: lplc & 15, lp: lplc >> 4, pb: sum & 7 };
  if (sum >> 3 !== props.lc + props.lp) throw new LzmaError('the LZMA header does not add up');
  return props;
}

async function read(src: ByteSource, offset: number, length: number, what: string): Promise<Buffer> {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > src.size) {
    throw new UpxCorrupt(`${what} lies past the end of the file`);
  }
  return src.read(offset, length);
}

/**
 * The original file of a packed ELF as an ElfFile, or why goimg cannot rebuild it (a method or
 * filter it does not decode); corrupt packing throws UpxCorrupt.
 */
export async function openUnpacked(packed: ElfFile): Promise<{ elf: ElfFile } | { unsupported: string }> {
  try {
    return { elf: await ElfFile.open(bufferSource(await unpackUpx(packed))) };
  } catch (e) {
    if (e instanceof UpxUnsupported) return { unsupported: e.message };
    if (e instanceof InputError && !(e instanceof UpxCorrupt)) throw new UpxCorrupt(e.message);
    throw e;
  }
}
