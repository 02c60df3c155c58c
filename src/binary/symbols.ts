/** ELF symbol tables (.symtab, .dynsym) read into flat records. */
import { InputError } from '../core/errors.js';
import type { ElfFile, Section } from './elf.js';

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

/** Reads a symbol table section with its linked string table. */
export async function readSymbols(elf: ElfFile, table: Section): Promise<ElfSymbol[]> {
  const entsize = elf.header.class === 64 ? 24 : 16;
  if (table.size % entsize !== 0 && table.entsize !== entsize) {
    throw new InputError(`symbol table ${table.name} has entry size ${table.entsize}, expected ${entsize}`);
  }
  const strSection = elf.sections[table.link];
  if (!strSection)
    throw new InputError(`symbol table ${table.name} links to missing string table ${table.link}`);
  const raw = await elf.readSection(table);
  const strings = await elf.readSection(strSection);
  const r = elf.reader(raw, `symbol table ${table.name}`);
  const is64 = elf.header.class === 64;
  const count = Math.floor(raw.length / entsize);
  const out: ElfSymbol[] = [];
  for (let i = 1; i < count; i++) {
    const o = i * entsize;
    const nameOff = r.u32(o);
    const info = is64 ? r.u8(o + 4) : r.u8(o + 12);
    const shndx = is64 ? r.u16(o + 6) : r.u16(o + 14);
    const value = is64 ? r.u64(o + 8) : r.u32(o + 4);
    const size = is64 ? r.u64(o + 16) : r.u32(o + 8);
    let name = '';
    if (nameOff < strings.length) {
      const end = strings.indexOf(0, nameOff);
      name = strings.toString('latin1', nameOff, end < 0 ? strings.length : end);
    }
    out.push({ name, value, size, kind: info & 0xf, shndx });
  }
  return out;
}

/** Names of undefined (imported) dynamic symbols, without version suffixes. */
export async function dynamicImports(elf: ElfFile): Promise<string[]> {
  const dynsym = elf.sections.find((s) => s.type === 11);
  if (!dynsym) return [];
  const syms = await readSymbols(elf, dynsym);
  return syms.filter((s) => s.shndx === 0 && s.name !== '').map((s) => s.name);
}
