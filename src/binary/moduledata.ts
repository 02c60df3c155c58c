/**
 * The funcdata base of a Go 1.18+ binary: the address of the `go:func.*` symbol (`go.func.*`
 * before Go 1.20), from which function records' funcdata offsets count. The symbol table gives
 * it when there is one. Stripped binaries still hold it in the runtime's moduledata (layout from
 * Go's runtime/symtab.go), whose first word points at the function table's header: moduledata is
 * found by scanning the data sections for that pointer, and a candidate is accepted only when its
 * funcnametab and text fields agree with the header, so both give the same address.
 */
import { InputError } from '../core/errors.js';
import { type ElfFile, PF_W, PT_LOAD, SHT_NOBITS } from './elf.js';
import type { PclnLayout, Pclntab } from './pclntab.js';
import type { BinReader } from './reader.js';
import { checkRange } from './source.js';
import { symbolValue } from './symbols.js';

const FUNCDATA_SYMBOLS = ['go:func.*', 'go.func.*'];

/** moduledata words: 0 pcHeader, 1 funcnametab's pointer, 22 text, then gofunc. */
const FUNCNAMETAB_WORD = 1;
const TEXT_WORD = 22;
/** gofunc's word: Go 1.20 inserted covctrs and ecovctrs before it. */
const GOFUNC_WORD: Partial<Record<PclnLayout, number>> = { '1.18': 38, '1.20': 40 };

/** The funcdata base, or null when it cannot be found; never throws on a corrupt binary. */
export async function funcdataBase(elf: ElfFile, table: Pclntab): Promise<number | null> {
  const gofunc = GOFUNC_WORD[table.header.layout];
  if (gofunc === undefined) return null;
  try {
    return (await symbolValue(elf, FUNCDATA_SYMBOLS)) ?? (await fromModuledata(elf, table, gofunc));
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
}

const SCAN_CHUNK = 1 << 20;

async function fromModuledata(elf: ElfFile, table: Pclntab, gofunc: number): Promise<number | null> {
  const { ptrSize } = table.header;
  const le = table.littleEndian;
  const needle = Buffer.alloc(ptrSize);
  if (ptrSize === 8) {
    if (le) needle.writeBigUInt64LE(BigInt(table.addr));
    else needle.writeBigUInt64BE(BigInt(table.addr));
  } else if (le) needle.writeUInt32LE(table.addr);
  else needle.writeUInt32BE(table.addr);
  const size = (gofunc + 1) * ptrSize;
  for (const region of dataRegions(elf)) {
    checkRange(elf.source, region.offset, region.size, 'moduledata search');
    for (let off = 0; off < region.size; off += SCAN_CHUNK) {
      // Chunks overlap by a moduledata, so one on a boundary is still read whole.
      const chunk = await elf.source.read(
        region.offset + off,
        Math.min(SCAN_CHUNK + size, region.size - off),
      );
      const r = elf.reader(chunk, 'moduledata');
      const first = region.offset + off;
      for (let at = chunk.indexOf(needle); at >= 0; at = chunk.indexOf(needle, at + 1)) {
        if ((first + at) % ptrSize !== 0 || at + size > chunk.length) continue;
        const base = gofuncField(r, at, table, gofunc);
        if (base !== null && elf.mapAddress(base) !== undefined) return base;
      }
    }
  }
  return null;
}

/** The gofunc word of the moduledata candidate at `at`, or null when it is not moduledata. */
function gofuncField(r: BinReader, at: number, table: Pclntab, gofunc: number): number | null {
  const { ptrSize, nameBase, textStart } = table.header;
  const word = (i: number): number => r.ptr(at + i * ptrSize, ptrSize);
  try {
    return word(FUNCNAMETAB_WORD) === table.addr + nameBase && word(TEXT_WORD) === textStart
      ? word(gofunc)
      : null;
  } catch (err) {
    // A word too large for a number: not moduledata.
    if (err instanceof InputError) return null;
    throw err;
  }
}

/**
 * Where the linker puts moduledata: .noptrdata (or .data); with no section headers, the
 * writable loaded segments.
 */
function dataRegions(elf: ElfFile): { offset: number; size: number }[] {
  if (elf.sections.length === 0)
    return elf.programs
      .filter((p) => p.type === PT_LOAD && (p.flags & PF_W) !== 0)
      .map((p) => ({ offset: p.offset, size: Math.min(p.filesz, elf.source.size - p.offset) }));
  return ['.noptrdata', '.data'].flatMap((name) => {
    const s = elf.section(name);
    return s && s.type !== SHT_NOBITS ? [{ offset: s.offset, size: s.size }] : [];
  });
}
