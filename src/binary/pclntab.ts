/**
 * Go's function table (.gopclntab): every function's name, entry and size, which survives
 * `-s -w`, so size attribution works on stripped binaries. Layouts (learnt from Go's
 * runtime/symtab.go and debug/gosym, the code is ours):
 *   Go 1.2  (magic 0xfffffffb): nfunc, then (entry pc, func offset) pointer pairs; names and
 *           pc tables addressed from the table start.
 *   Go 1.16 (0xfffffffa): a header of offsets to funcnametab, pctab and the functab.
 *   Go 1.18 (0xfffffff0) and 1.20+ (0xfffffff1): as 1.16 plus textStart; functab entries are
 *           32-bit offsets from textStart.
 * A function's size is the pc span its pcsp table covers (what the linker calls its size, without
 * the alignment padding that follows), capped by the next function's entry.
 */
import { InputError } from '../core/errors.js';
import { type ElfFile, PF_X, PT_LOAD } from './elf.js';
import { BinReader } from './reader.js';
import { checkRange } from './source.js';

export type PclnLayout = '1.2' | '1.16' | '1.18' | '1.20';

const MAGICS: Record<number, PclnLayout> = {
  4294967291: '1.2',
  4294967290: '1.16',
  4294967280: '1.18',
  4294967281: '1.20',
};

export interface PclnFunc {
  name: string;
  entry: number;
  size: number;
}

export interface PclnTable {
  layout: PclnLayout;
  ptrSize: number;
  /** Bytes of the table itself (function metadata, not code). */
  tableSize: number;
  funcs: PclnFunc[];
}

/**
 * Finds and decodes the function table; null when the binary has none. Internally linked Go
 * binaries have a .gopclntab section; externally linked PIEs (Debian's dockerd) merge it into
 * .data.rel.ro, where it is found by its header (magic, zero padding, instruction size, pointer
 * size) and accepted only if its offsets are consistent.
 */
export async function readPclntab(elf: ElfFile): Promise<PclnTable | null> {
  const section = elf.section('.gopclntab');
  if (section && section.size >= 16)
    return decodePclntab(await elf.readSection(section), elf.header.littleEndian);
  const regions: Region[] = elf.sections
    .filter(
      (s) =>
        s.type === 1 &&
        (s.flags & 2) !== 0 &&
        (s.flags & 4) === 0 &&
        s.size >= 64 &&
        /^\.(data\.rel\.ro|rodata|noptrdata)/.test(s.name),
    )
    .map((s) => ({ name: `section ${s.name}`, offset: s.offset, size: s.size }));
  // No section headers at all (sstrip): search the non-executable loaded segments instead.
  if (elf.sections.length === 0) {
    for (const p of elf.programs) {
      if (p.type === PT_LOAD && (p.flags & PF_X) === 0 && p.filesz >= 64) {
        regions.push({
          name: 'data segment',
          offset: p.offset,
          size: Math.min(p.filesz, elf.source.size - p.offset),
        });
      }
    }
  }
  for (const region of regions) {
    const at = await findInRegion(elf, region);
    if (at >= 0) {
      const data = await elf.source.read(region.offset + at, region.size - at);
      return decodePclntab(data, elf.header.littleEndian);
    }
  }
  return null;
}

interface Region {
  name: string;
  offset: number;
  size: number;
}

const SCAN_CHUNK = 4 << 20;

/** Scans a region for the table header in 4 MB chunks, so only the table itself is kept. */
async function findInRegion(elf: ElfFile, s: Region): Promise<number> {
  if (s.size <= 0) return -1;
  checkRange(elf.source, s.offset, s.size, s.name);
  for (let off = 0; off < s.size; off += SCAN_CHUNK) {
    // Chunks overlap by more than a header, so a header on a boundary is still seen whole.
    const chunk = await elf.source.read(s.offset + off, Math.min(SCAN_CHUNK + 256, s.size - off));
    const at = findHeader(chunk, elf.header.littleEndian, elf.ptrSize, s.size - off);
    if (at >= 0) return off + at;
  }
  return -1;
}

const QUANTUM: Record<number, number[]> = { 4: [1, 4], 8: [1, 2, 4] };

/** Offset of a plausible pclntab header in `data`, or -1; `limit` is how far the table may extend. */
function findHeader(data: Buffer, littleEndian: boolean, ptrSize: number, limit: number): number {
  for (const magic of [0xfffffff1, 0xfffffff0, 0xfffffffa, 0xfffffffb]) {
    for (const q of QUANTUM[ptrSize] ?? []) {
      const pattern = Buffer.alloc(8);
      if (littleEndian) pattern.writeUInt32LE(magic, 0);
      else pattern.writeUInt32BE(magic, 0);
      pattern[6] = q;
      pattern[7] = ptrSize;
      for (let at = data.indexOf(pattern); at >= 0; at = data.indexOf(pattern, at + 1)) {
        if (at % 8 === 0 && plausible(data.subarray(at), limit - at, littleEndian, ptrSize, magic)) return at;
      }
    }
  }
  return -1;
}

function plausible(
  data: Buffer,
  limit: number,
  littleEndian: boolean,
  ptrSize: number,
  magic: number,
): boolean {
  const r = new BinReader(data, littleEndian, 'pclntab candidate');
  try {
    const word = (i: number): number => r.ptr(8 + i * ptrSize, ptrSize);
    if (word(0) === 0) return false;
    if (magic === 0xfffffffb) return true;
    const first = magic === 0xfffffffa ? 2 : 3;
    let prev = 0;
    for (let i = first; i <= first + 4; i++) {
      const off = word(i);
      if (off < prev || off >= limit) return false;
      prev = off;
    }
    return true;
  } catch {
    return false;
  }
}

export function decodePclntab(data: Buffer, littleEndian: boolean): PclnTable {
  const r = new BinReader(data, littleEndian, '.gopclntab');
  const magic = r.u32(0);
  const layout = MAGICS[magic];
  if (!layout) throw new InputError(`.gopclntab has unknown magic 0x${magic.toString(16)}`);
  const minLC = r.u8(6);
  const ptrSize = r.u8(7);
  if (r.u8(4) !== 0 || r.u8(5) !== 0 || ![1, 2, 4].includes(minLC) || (ptrSize !== 4 && ptrSize !== 8)) {
    throw new InputError('.gopclntab header is corrupt (padding, instruction size or pointer size)');
  }
  const word = (i: number): number => r.ptr(8 + i * ptrSize, ptrSize);
  const nfunc = word(0);
  let nameBase: number;
  let pcBase: number;
  let tabBase: number;
  let entrySize: number;
  let textStart = 0;
  if (layout === '1.2') {
    nameBase = 0;
    pcBase = 0;
    tabBase = 8 + ptrSize;
    entrySize = ptrSize;
  } else if (layout === '1.16') {
    nameBase = word(2);
    pcBase = word(5);
    tabBase = word(6);
    entrySize = ptrSize;
  } else {
    textStart = word(2);
    nameBase = word(3);
    pcBase = word(6);
    tabBase = word(7);
    entrySize = 4;
  }
  // Each function needs at least one functab pair; more functions than that cannot fit.
  if (nfunc > (data.length - tabBase) / (2 * entrySize)) {
    throw new InputError(`.gopclntab claims ${nfunc} functions, more than its ${data.length} bytes can hold`);
  }
  const modern = layout === '1.18' || layout === '1.20';
  const funcBase = layout === '1.2' ? 0 : tabBase;
  // Hot loop (70,000 functions in dockerd): plain Buffer reads, whose RangeError on a corrupt
  // offset is turned into an InputError below; names are decoded ASCII-first.
  const le = littleEndian;
  const u32 = (o: number): number => (le ? data.readUInt32LE(o) : data.readUInt32BE(o));
  const word64 = (o: number): number =>
    le
      ? data.readUInt32LE(o) + data.readUInt32LE(o + 4) * 0x100000000
      : data.readUInt32BE(o + 4) + data.readUInt32BE(o) * 0x100000000;
  const pair = entrySize === 4 ? 8 : 2 * ptrSize;
  const readWord = entrySize === 4 || ptrSize === 4 ? u32 : word64;
  const pcspField = modern ? 16 : ptrSize + 12;
  const nameField = modern ? 4 : ptrSize;
  const funcs: PclnFunc[] = new Array(nfunc);
  try {
    let next = readWord(tabBase);
    for (let i = 0; i < nfunc; i++) {
      const at = tabBase + i * pair;
      const entry = next;
      next = readWord(at + pair);
      const fo = funcBase + readWord(at + entrySize);
      const nameOff = le ? data.readInt32LE(fo + nameField) : data.readInt32BE(fo + nameField);
      const pcsp = u32(fo + pcspField);
      const extent = next >= entry ? next - entry : 0;
      const size = pcsp === 0 ? extent : pcSpan(data, pcBase + pcsp, minLC, extent);
      funcs[i] = { name: nameOff < 0 ? '' : cname(data, nameBase + nameOff), entry: entry + textStart, size };
    }
  } catch (err) {
    if (err instanceof RangeError)
      throw new InputError(
        `.gopclntab is corrupt: a function record points outside the table (${err.message})`,
      );
    throw err;
  }
  return { layout, ptrSize, tableSize: data.length, funcs };
}

/**
 * The pc range a pc-value table covers (the sum of its pc deltas), capped at `extent`. Every real
 * entry advances the pc, so a table needing more steps than the extent has instructions is
 * corrupt: the cap keeps a hostile table from making the scan quadratic.
 */
function pcSpan(data: Buffer, start: number, quantum: number, extent: number): number {
  let p = start;
  let pc = 0;
  let first = true;
  const end = data.length;
  for (let steps = extent / quantum + 2; steps > 0; steps--) {
    if (pc >= extent) return extent;
    // value delta (uvarint): only whether it is zero matters
    let uv = 0;
    let b = 0x80;
    for (let shift = 0; b >= 0x80; shift += 7) {
      if (p >= end || shift > 28)
        throw new InputError('.gopclntab pc table runs past the end of the section');
      b = data[p++] as number;
      uv |= b & 0x7f;
    }
    if (uv === 0 && !first) return pc;
    first = false;
    let delta = 0;
    b = 0x80;
    for (let shift = 0; b >= 0x80; shift += 7) {
      if (p >= end || shift > 28)
        throw new InputError('.gopclntab pc table runs past the end of the section');
      b = data[p++] as number;
      delta += (b & 0x7f) * 2 ** shift;
    }
    pc += delta * quantum;
  }
  return extent;
}

/** A NUL-terminated function name; ASCII names (nearly all) skip UTF-8 decoding. */
function cname(data: Buffer, o: number): string {
  if (o >= data.length) throw new InputError('.gopclntab function name points outside the table');
  const stop = Math.min(data.length, o + 4096);
  let end = o;
  let ascii = true;
  for (; end < stop; end++) {
    const b = data[end] as number;
    if (b === 0) break;
    if (b >= 0x80) ascii = false;
  }
  return data.toString(ascii ? 'latin1' : 'utf8', o, end);
}
