/** ELF symbol tables (.symtab, .dynsym) read into flat records. */
import { InputError } from '../core/errors.js';
import { type ElfFile, type Section, SHT_NOBITS, SHT_SYMTAB } from './elf.js';
import type { PackageTotals } from './packages.js';
import { checkRange } from './source.js';

/** Symbol kinds (STT_*). */
export const STT_OBJECT = 1;
export const STT_FUNC = 2;

/**
 * Adds the sizes of data symbols (STT_OBJECT, non-zero size) in the sections `eligible` marks to
 * their packages in `totals` (C names skipped). Names are scanned where they lie in the string
 * table, read in 1 MB windows over the offsets needed, so no symbol record or name string is
 * built.
 */
export async function addSymbolPackages(
  elf: ElfFile,
  table: Section,
  eligible: Uint8Array,
  totals: PackageTotals,
): Promise<void> {
  const is64 = elf.header.class === 64;
  const entsize = is64 ? 24 : 16;
  if (table.size % entsize !== 0 && table.entsize !== entsize) {
    throw new InputError(`symbol table ${table.name} has entry size ${table.entsize}, expected ${entsize}`);
  }
  const strSection = elf.sections[table.link];
  if (!strSection)
    throw new InputError(`symbol table ${table.name} links to missing string table ${table.link}`);
  const raw = await elf.readSection(table);
  const le = elf.header.littleEndian;
  const count = Math.floor(raw.length / entsize);
  const infoAt = is64 ? 4 : 12;
  const shndxAt = is64 ? 6 : 14;
  const sizeAt = is64 ? 16 : 8;
  const offsets: number[] = [];
  const sizes: number[] = [];
  // Every read below lies inside the table (count comes from its length): DataView reads (engine
  // built-ins, quick before the loop is optimised), the symbol kind first, since most symbols are
  // functions.
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const end = count * entsize;
  for (let o = entsize; o < end; o += entsize) {
    if (((raw[o + infoAt] as number) & 0xf) !== STT_OBJECT) continue;
    if (eligible[view.getUint16(o + shndxAt, le)] !== 1) continue;
    let size: number;
    if (is64) {
      const lo = view.getUint32(le ? o + sizeAt : o + sizeAt + 4, le);
      const hi = view.getUint32(le ? o + sizeAt + 4 : o + sizeAt, le);
      if (hi > 0x1fffff) throw new InputError(`symbol table ${table.name} holds an impossible symbol size`);
      size = hi === 0 ? lo : hi * 0x100000000 + lo;
    } else size = view.getUint32(o + sizeAt, le);
    if (size === 0) continue;
    const nameOff = view.getUint32(o, le);
    // A name outside the string table decodes as no name: no package, skipped.
    if (nameOff >= strSection.size) continue;
    offsets.push(nameOff);
    sizes.push(size);
  }
  if (offsets.length === 0 || strSection.type === SHT_NOBITS) return;
  checkRange(elf.source, strSection.offset, strSection.size, `section ${strSection.name}`);
  const order = Array.from(offsets.keys()).sort((a, b) => (offsets[a] as number) - (offsets[b] as number));
  let i = 0;
  while (i < order.length) {
    const start = offsets[order[i] as number] as number;
    const windowEnd = start + STRING_WINDOW;
    // The window reads past its end by a name's maximum length, so no name is cut.
    const buf = await elf.source.read(
      strSection.offset + start,
      Math.min(strSection.size, windowEnd + 4096) - start,
    );
    for (; i < order.length; i++) {
      const k = order[i] as number;
      const off = offsets[k] as number;
      if (off >= windowEnd) break;
      const id = totals.packageAt(buf, off - start);
      if (id !== totals.cCode) totals.addData(id, sizes[k] as number);
    }
  }
}

const STRING_WINDOW = 1 << 20;

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

/**
 * The value of the first of `names` that .symtab defines, or null (no table, or none of them).
 * Each name is searched for in the string table with one native search; only the symbols'
 * name offsets are compared, with no string built per symbol.
 */
export async function symbolValue(elf: ElfFile, names: readonly string[]): Promise<number | null> {
  const table = elf.sections.find((s) => s.type === SHT_SYMTAB);
  const strSection = table && elf.sections[table.link];
  if (!table || !strSection || table.type === SHT_NOBITS || strSection.type === SHT_NOBITS) return null;
  const is64 = elf.header.class === 64;
  const entsize = is64 ? 24 : 16;
  const [raw, strings] = [await elf.readSection(table), await elf.readSection(strSection)];
  const r = elf.reader(raw, `section ${table.name}`);
  for (const name of names) {
    const needle = Buffer.from(`${name}\0`, 'latin1');
    const at = new Set<number>();
    for (let o = strings.indexOf(needle); o >= 0; o = strings.indexOf(needle, o + 1)) at.add(o);
    if (at.size === 0) continue;
    for (let o = entsize; o + entsize <= raw.length; o += entsize) {
      // A defined symbol (section index not 0) with this name.
      if (at.has(r.u32(o)) && r.u16(o + (is64 ? 6 : 14)) !== 0) return is64 ? r.u64(o + 8) : r.u32(o + 4);
    }
  }
  return null;
}
