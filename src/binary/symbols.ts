/** ELF symbol tables (.symtab, .dynsym) read into flat records. */
import { InputError } from '../core/errors.js';
import { type ElfFile, type Section, SHT_NOBITS } from './elf.js';
import { checkRange } from './source.js';

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_* (0 notype, 1 object, 2 func, ...). */
  kind: number;
  /** Section index; 0 means undefined (imported). */
  shndx: number;
}

export const STT_OBJECT = 1;
export const STT_FUNC = 2;

/**
 * Reads a symbol table section with its linked string table. `keep` sees each symbol before its
 * name is decoded, so callers that want a few kinds of symbol do not pay for all the names.
 */
export async function readSymbols(
  elf: ElfFile,
  table: Section,
  keep: (kind: number, shndx: number, size: number) => boolean = () => true,
): Promise<ElfSymbol[]> {
  const entsize = elf.header.class === 64 ? 24 : 16;
  if (table.size % entsize !== 0 && table.entsize !== entsize) {
    throw new InputError(`symbol table ${table.name} has entry size ${table.entsize}, expected ${entsize}`);
  }
  const strSection = elf.sections[table.link];
  if (!strSection)
    throw new InputError(`symbol table ${table.name} links to missing string table ${table.link}`);
  const raw = await elf.readSection(table);
  const r = elf.reader(raw, `symbol table ${table.name}`);
  const is64 = elf.header.class === 64;
  const count = Math.floor(raw.length / entsize);
  const kept: ElfSymbol[] = [];
  const nameOffsets: number[] = [];
  for (let i = 1; i < count; i++) {
    const o = i * entsize;
    const info = is64 ? r.u8(o + 4) : r.u8(o + 12);
    const shndx = is64 ? r.u16(o + 6) : r.u16(o + 14);
    const size = is64 ? r.u64(o + 16) : r.u32(o + 8);
    if (!keep(info & 0xf, shndx, size)) continue;
    const value = is64 ? r.u64(o + 8) : r.u32(o + 4);
    const nameOff = r.u32(o);
    nameOffsets.push(nameOff < strSection.size ? nameOff : -1);
    kept.push({ name: '', value, size, kind: info & 0xf, shndx });
  }
  // Names only for the kept symbols, read in windows rather than the whole string table.
  const names = await readNames(
    elf,
    strSection,
    nameOffsets.filter((n) => n >= 0),
  );
  let k = 0;
  for (let i = 0; i < kept.length; i++) {
    if ((nameOffsets[i] as number) >= 0) (kept[i] as ElfSymbol).name = names[k++] as string;
  }
  return kept;
}

/**
 * Names of undefined (imported) dynamic symbols. Debian's dockerd exports 170,000 dynamic symbols
 * (4 MB, with 6 MB of names) and imports about a hundred, so: with a .gnu.hash table, only the
 * entries below its `symoffset` are read (every symbol above it is hashed, hence defined), and
 * only the names of imports are read from the string table, in small coalesced windows.
 * A weak undefined symbol may sit in the hashed part and be missed (dockerd's __cxa_finalize):
 * this list feeds cgo evidence, where the libc calls that matter are strong imports.
 */
export async function dynamicImports(elf: ElfFile): Promise<string[]> {
  const dynsym = elf.sections.find((s) => s.type === SHT_DYNSYM_TYPE);
  if (!dynsym || dynsym.type === SHT_NOBITS) return [];
  const strSection = elf.sections[dynsym.link];
  if (!strSection)
    throw new InputError(`symbol table ${dynsym.name} links to missing string table ${dynsym.link}`);
  const is64 = elf.header.class === 64;
  const entsize = is64 ? 24 : 16;
  let count = Math.floor(dynsym.size / entsize);
  const gnuHash = elf.section('.gnu.hash');
  if (gnuHash && gnuHash.link === dynsym.index && gnuHash.size >= 16 && gnuHash.type !== SHT_NOBITS) {
    checkRange(elf.source, gnuHash.offset, 8, 'section .gnu.hash');
    const symoffset = elf.reader(await elf.source.read(gnuHash.offset, 8), '.gnu.hash').u32(4);
    if (symoffset > 0 && symoffset < count) count = symoffset;
  }
  checkRange(elf.source, dynsym.offset, count * entsize, `section ${dynsym.name}`);
  const raw = await elf.source.read(dynsym.offset, count * entsize);
  const shndxAt = is64 ? 6 : 14;
  const le = elf.header.littleEndian;
  const offsets: number[] = [];
  for (let o = entsize; o + entsize <= raw.length; o += entsize) {
    const shndx = le ? raw.readUInt16LE(o + shndxAt) : raw.readUInt16BE(o + shndxAt);
    if (shndx !== 0) continue;
    const nameOff = le ? raw.readUInt32LE(o) : raw.readUInt32BE(o);
    if (nameOff !== 0 && nameOff < strSection.size) offsets.push(nameOff);
  }
  return readNames(elf, strSection, offsets);
}

const SHT_DYNSYM_TYPE = 11;
const NAME_WINDOW = 512;

/** Reads NUL-terminated names at the given string-table offsets, coalescing nearby ones. */
async function readNames(elf: ElfFile, table: Section, offsets: number[]): Promise<string[]> {
  if (table.type === SHT_NOBITS) return [];
  checkRange(elf.source, table.offset, table.size, `section ${table.name}`);
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const names = new Map<number, string>();
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i] as number;
    let end = Math.min(table.size, start + NAME_WINDOW);
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) < end) {
      j++;
      end = Math.min(table.size, (sorted[j] as number) + NAME_WINDOW);
    }
    const buf = await elf.source.read(table.offset + start, end - start);
    for (let k = i; k <= j; k++) {
      const off = (sorted[k] as number) - start;
      const nul = buf.indexOf(0, off);
      names.set(sorted[k] as number, buf.toString('latin1', off, nul < 0 ? buf.length : nul));
    }
    i = j + 1;
  }
  return offsets.map((o) => names.get(o) as string);
}
