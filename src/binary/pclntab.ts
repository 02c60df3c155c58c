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
import type { PackageTotals } from './packages.js';
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

/** Finds and decodes the function table, names included; null when the binary has none. */
export async function readPclntab(elf: ElfFile): Promise<PclnTable | null> {
  const found = await locatePclntab(elf);
  return found && decodePclntab(found.data, elf.header.littleEndian);
}

/** The function table's bytes, parsed header and load address, or null when there is none. */
export async function openPclntab(elf: ElfFile): Promise<Pclntab | null> {
  const found = await locatePclntab(elf);
  if (!found) return null;
  const { littleEndian } = elf.header;
  return { ...found, littleEndian, header: parseHeader(found.data, littleEndian) };
}

export interface Pclntab {
  data: Buffer;
  /** The table's virtual address (the runtime's moduledata points at it). */
  addr: number;
  littleEndian: boolean;
  header: PclnHeader;
}

/** Finds the function table and adds its function bytes per package to `totals`. */
export async function readPclnSummary(elf: ElfFile, totals: PackageTotals): Promise<PclnSummary | null> {
  const found = await locatePclntab(elf);
  return found && summarizePclntab(found.data, elf.header.littleEndian, totals);
}

/**
 * The function table's bytes and address, or null. Internally linked Go binaries have a .gopclntab section;
 * externally linked PIEs (Debian's dockerd) merge it into .data.rel.ro, where it is found by its
 * header (magic, zero padding, instruction size, pointer size) and accepted only if its offsets
 * are consistent.
 */
async function locatePclntab(elf: ElfFile): Promise<{ data: Buffer; addr: number } | null> {
  const section = elf.section('.gopclntab');
  if (section && section.size >= 16) return { data: await elf.readSection(section), addr: section.addr };
  const regions: Region[] = elf.sections
    .filter(
      (s) =>
        s.type === 1 &&
        (s.flags & 2) !== 0 &&
        (s.flags & 4) === 0 &&
        s.size >= 64 &&
        /^\.(data\.rel\.ro|rodata|noptrdata)/.test(s.name),
    )
    .map((s) => ({ name: `section ${s.name}`, offset: s.offset, size: s.size, addr: s.addr }))
    // .data.rel.ro first: that is where PIE links put the table (docker: 3.4 MB in), and a search
    // of .rodata first read and scanned its 2 MB for nothing.
    .sort((a, b) => relroFirst(a.name) - relroFirst(b.name));
  // No section headers at all (sstrip): search the non-executable loaded segments instead.
  if (elf.sections.length === 0) {
    for (const p of elf.programs) {
      if (p.type === PT_LOAD && (p.flags & PF_X) === 0 && p.filesz >= 64) {
        regions.push({
          name: 'data segment',
          offset: p.offset,
          size: Math.min(p.filesz, elf.source.size - p.offset),
          addr: p.vaddr,
        });
      }
    }
  }
  for (const region of regions) {
    const at = await findInRegion(elf, region);
    if (at >= 0)
      return { data: await elf.source.read(region.offset + at, region.size - at), addr: region.addr + at };
  }
  return null;
}

function relroFirst(name: string): number {
  return name.startsWith('section .data.rel.ro') ? 0 : 1;
}

interface Region {
  name: string;
  offset: number;
  size: number;
  addr: number;
}

const SCAN_CHUNK = 1 << 20;

/** Scans a region for the table header in 1 MB chunks, so only the table itself is kept. */
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

/** Header magics in order of preference (newest layout first). */
const HEADER_MAGICS = [0xfffffff1, 0xfffffff0, 0xfffffffa, 0xfffffffb];
const QUANTUM: Record<number, number[]> = { 4: [1, 4], 8: [1, 2, 4] };

/** Bytes every header has whatever its magic: the magic's three 0xff bytes, then zero padding. */
const LE_PROBE = Buffer.from([0xff, 0xff, 0xff, 0, 0]);
const BE_PROBE = Buffer.from([0xff, 0xff, 0xff]);

/**
 * Offset of a plausible pclntab header in `data` (8-byte aligned), or -1; `limit` is how far the
 * table may extend. A native search for the bytes all magics share finds the candidates; when
 * several pass, the newest layout and then the smallest instruction quantum win, then the first
 * offset.
 */
function findHeader(data: Buffer, littleEndian: boolean, ptrSize: number, limit: number): number {
  const quanta = QUANTUM[ptrSize] ?? [];
  const probe = littleEndian ? LE_PROBE : BE_PROBE;
  const shift = littleEndian ? 1 : 0;
  const lowAt = littleEndian ? 0 : 3;
  let bestRank = Number.MAX_SAFE_INTEGER;
  let best = -1;
  for (let hit = data.indexOf(probe, shift); hit >= 0; ) {
    const at = hit - shift;
    const aligned = at - (at % 8);
    if (at === aligned && at + 8 <= data.length && data[at + 4] === 0 && data[at + 5] === 0) {
      const m = HEADER_MAGICS.indexOf(0xffffff00 + (data[at + lowAt] as number));
      const q = quanta.indexOf(data[at + 6] as number);
      const rank = m * 3 + q;
      if (
        m >= 0 &&
        q >= 0 &&
        data[at + 7] === ptrSize &&
        rank < bestRank &&
        plausible(data.subarray(at), limit - at, littleEndian, ptrSize, HEADER_MAGICS[m] as number)
      ) {
        bestRank = rank;
        best = at;
        if (rank === 0) break;
      }
    }
    hit = data.indexOf(probe, aligned + 8 + shift);
  }
  return best;
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

export interface PclnHeader {
  layout: PclnLayout;
  ptrSize: number;
  minLC: number;
  nfunc: number;
  nameBase: number;
  pcBase: number;
  tabBase: number;
  entrySize: number;
  textStart: number;
}

export function parseHeader(data: Buffer, littleEndian: boolean): PclnHeader {
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
  const h: PclnHeader = {
    layout,
    ptrSize,
    minLC,
    nfunc,
    nameBase: 0,
    pcBase: 0,
    tabBase: 8 + ptrSize,
    entrySize: ptrSize,
    textStart: 0,
  };
  if (layout === '1.16') {
    h.nameBase = word(2);
    h.pcBase = word(5);
    h.tabBase = word(6);
  } else if (layout !== '1.2') {
    h.textStart = word(2);
    h.nameBase = word(3);
    h.pcBase = word(6);
    h.tabBase = word(7);
    h.entrySize = 4;
  }
  // Each function needs at least one functab pair; more functions than that cannot fit.
  if (nfunc > (data.length - h.tabBase) / (2 * h.entrySize)) {
    throw new InputError(`.gopclntab claims ${nfunc} functions, more than its ${data.length} bytes can hold`);
  }
  return h;
}

/**
 * Calls `visit` with each function's name offset in `data` (-1 when it has none), its size
 * (without `withSizes`, only the distance to the next entry) and its entry address. Hot loop
 * (70,000 functions in dockerd): DataView reads, whose RangeError on a corrupt offset becomes an
 * InputError; no per-function allocation.
 */
export function eachFunction(
  data: Buffer,
  littleEndian: boolean,
  h: PclnHeader,
  visit: (nameAt: number, size: number, entry: number) => void,
  withSizes = true,
): void {
  const { layout, ptrSize, minLC, nfunc, nameBase, pcBase, tabBase, entrySize, textStart } = h;
  const modern = layout === '1.18' || layout === '1.20';
  const funcBase = layout === '1.2' ? 0 : tabBase;
  const le = littleEndian;
  // DataView reads are engine built-ins, quick before the loop is optimised; out of range they
  // throw a RangeError like Buffer's.
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const u32 = (o: number): number => view.getUint32(o, le);
  // A zero high word returns the low one as is (a small integer, not a heap-allocated double).
  const word64 = (o: number): number => {
    const lo = view.getUint32(le ? o : o + 4, le);
    const hi = view.getUint32(le ? o + 4 : o, le);
    return hi === 0 ? lo : lo + hi * 0x100000000;
  };
  const pair = entrySize === 4 ? 8 : 2 * ptrSize;
  const readWord = entrySize === 4 || ptrSize === 4 ? u32 : word64;
  const pcspField = modern ? 16 : ptrSize + 12;
  const nameField = modern ? 4 : ptrSize;
  try {
    let next = readWord(tabBase);
    for (let i = 0; i < nfunc; i++) {
      const at = tabBase + i * pair;
      const entry = next;
      next = readWord(at + pair);
      const fo = funcBase + readWord(at + entrySize);
      const nameOff = view.getInt32(fo + nameField, le);
      const pcsp = u32(fo + pcspField);
      const extent = next >= entry ? next - entry : 0;
      const size = pcsp === 0 || !withSizes ? extent : pcSpan(data, pcBase + pcsp, minLC, extent);
      const nameAt = nameOff < 0 ? -1 : nameBase + nameOff;
      if (nameAt >= data.length) throw new InputError('.gopclntab function name points outside the table');
      visit(nameAt, size, entry + textStart);
    }
  } catch (err) {
    if (err instanceof RangeError)
      throw new InputError(
        `.gopclntab is corrupt: a function record points outside the table (${err.message})`,
      );
    throw err;
  }
}

/** Every function with its name (one object and one string each: for callers that want names). */
export function decodePclntab(data: Buffer, littleEndian: boolean): PclnTable {
  const h = parseHeader(data, littleEndian);
  const funcs: PclnFunc[] = new Array(h.nfunc);
  let i = 0;
  eachFunction(data, littleEndian, h, (nameAt, size, entry) => {
    funcs[i++] = { name: nameAt < 0 ? '' : cname(data, nameAt), entry, size };
  });
  return { layout: h.layout, ptrSize: h.ptrSize, tableSize: data.length, funcs };
}

export interface PclnSummary {
  layout: PclnLayout;
  ptrSize: number;
  tableSize: number;
  nfunc: number;
}

/**
 * Function bytes per package into `totals`, and the names cgo evidence looks at, without a
 * record or a string per function (size attribution's path).
 */
export function summarizePclntab(data: Buffer, littleEndian: boolean, totals: PackageTotals): PclnSummary {
  const h = parseHeader(data, littleEndian);
  eachFunction(data, littleEndian, h, (nameAt, size) => {
    if (nameAt < 0) {
      totals.addText(totals.cCode, size);
      return;
    }
    totals.addText(totals.packageAt(data, nameAt), size);
    if (totals.cgoCandidate) totals.cgoNames.push(totals.nameString(data, nameAt));
  });
  return { layout: h.layout, ptrSize: h.ptrSize, tableSize: data.length, nfunc: h.nfunc };
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
    for (let mul = 1; b >= 0x80; mul *= 128) {
      if (p >= end || mul > 0x10000000)
        throw new InputError('.gopclntab pc table runs past the end of the section');
      b = data[p++] as number;
      delta += (b & 0x7f) * mul;
    }
    pc += delta * quantum;
  }
  return extent;
}

/** A NUL-terminated function name; ASCII names (nearly all) skip UTF-8 decoding. */
export function cname(data: Buffer, o: number): string {
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
