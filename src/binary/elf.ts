/**
 * A lazy ELF reader: the header, program headers and section headers are read up front (a few
 * KB); section contents only when someone asks for them. Every table is bounds-checked against
 * the file size before it is read, so corrupt counts cannot make us allocate or loop unbounded.
 */
import { InputError } from '../core/errors.js';
import { detectFormat } from './magic.js';
import { BinReader } from './reader.js';
import { type ByteSource, checkRange } from './source.js';

export type ElfType = 'NONE' | 'REL' | 'EXEC' | 'DYN' | 'CORE' | 'OTHER';

export interface ElfHeader {
  class: 32 | 64;
  littleEndian: boolean;
  machine: number;
  arch: string;
  type: ElfType;
  entry: number;
}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

export interface Section {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PF_X = 1;
export const PF_W = 2;
export const SHT_NOBITS = 8;
export const SHT_SYMTAB = 2;
export const SHT_DYNSYM = 11;
export const SHF_COMPRESSED = 0x800;

const MACHINES: Record<number, string> = {
  3: '386',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  62: 'amd64',
  183: 'arm64',
  243: 'riscv64',
  258: 'loong64',
};

const TYPES: Record<number, ElfType> = { 0: 'NONE', 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };

/** Section/program tables larger than this are corrupt, whatever the file size. */
const MAX_TABLE_ENTRIES = 1 << 16;

export class ElfFile {
  private constructor(
    readonly source: ByteSource,
    readonly header: ElfHeader,
    readonly programs: ProgramHeader[],
    readonly sections: Section[],
  ) {}

  get ptrSize(): 4 | 8 {
    return this.header.class === 64 ? 8 : 4;
  }

  reader(buf: Buffer, what: string): BinReader {
    return new BinReader(buf, this.header.littleEndian, what);
  }

  section(name: string): Section | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** The section's bytes (empty for NOBITS); refuses sections larger than `max`. */
  async readSection(s: Section, max = Number.MAX_SAFE_INTEGER): Promise<Buffer> {
    if (s.type === SHT_NOBITS) return Buffer.alloc(0);
    if (s.size > max)
      throw new InputError(`section ${s.name} is ${s.size} bytes, more than the ${max} allowed`);
    checkRange(this.source, s.offset, s.size, `section ${s.name || `#${s.index}`}`);
    return this.source.read(s.offset, s.size);
  }

  /** File offset of a virtual address in a PT_LOAD segment's file image, and the bytes left there. */
  mapAddress(addr: number): { offset: number; available: number } | undefined {
    for (const p of this.programs) {
      if (p.type === PT_LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz) {
        return { offset: p.offset + (addr - p.vaddr), available: p.vaddr + p.filesz - addr };
      }
    }
    return undefined;
  }

  /** Reads `length` bytes at a virtual address; undefined when unmapped or short. */
  async readAddress(addr: number, length: number): Promise<Buffer | undefined> {
    const m = this.mapAddress(addr);
    if (!m || m.available < length || m.offset + length > this.source.size) return undefined;
    return this.source.read(m.offset, length);
  }

  static async open(source: ByteSource): Promise<ElfFile> {
    if (source.size < 16) throw new InputError(`not an ELF file: only ${source.size} bytes`);
    const ident = await source.read(0, 16);
    if (ident.readUInt32BE(0) !== 0x7f454c46)
      throw new InputError(`not an ELF file: ${describeMagic(ident)}`);
    const cls = ident[4];
    const data = ident[5];
    if (cls !== 1 && cls !== 2) throw new InputError(`corrupt ELF header: unknown class ${cls}`);
    if (data !== 1 && data !== 2) throw new InputError(`corrupt ELF header: unknown byte order ${data}`);
    const is64 = cls === 2;
    const ehsize = is64 ? 64 : 52;
    checkRange(source, 0, ehsize, 'ELF header');
    const r = new BinReader(await source.read(0, ehsize), data === 1, 'ELF header');
    const type = r.u16(16);
    const machine = r.u16(18);
    const entry = is64 ? r.u64(24) : r.u32(24);
    const phoff = is64 ? r.u64(32) : r.u32(28);
    const shoff = is64 ? r.u64(40) : r.u32(32);
    const phentsize = r.u16(is64 ? 54 : 42);
    let phnum = r.u16(is64 ? 56 : 44);
    const shentsize = r.u16(is64 ? 58 : 46);
    let shnum = r.u16(is64 ? 60 : 48);
    let shstrndx = r.u16(is64 ? 62 : 50);
    const header: ElfHeader = {
      class: is64 ? 64 : 32,
      littleEndian: data === 1,
      machine,
      arch: MACHINES[machine] ?? `machine-${machine}`,
      type: TYPES[type] ?? 'OTHER',
      entry,
    };
    if (header.arch === 'ppc64' && header.littleEndian) header.arch = 'ppc64le';
    if (header.arch === 'mips' && header.littleEndian) header.arch = 'mipsle';
    if (header.arch === 'mips' && is64) header.arch = header.littleEndian ? 'mips64le' : 'mips64';

    const minPh = is64 ? 56 : 32;
    const minSh = is64 ? 64 : 40;
    // Extended numbering: the real counts live in section 0 when they overflow 16 bits.
    if (shoff !== 0 && (shnum === 0 || shstrndx === 0xffff || phnum === 0xffff)) {
      if (shentsize < minSh) throw new InputError(`corrupt ELF header: section header size ${shentsize}`);
      checkRange(source, shoff, minSh, 'section header 0');
      const s0 = new BinReader(await source.read(shoff, minSh), header.littleEndian, 'section header 0');
      if (shnum === 0) shnum = is64 ? s0.u64(32) : s0.u32(20);
      if (shstrndx === 0xffff) shstrndx = s0.u32(is64 ? 40 : 24);
      if (phnum === 0xffff) phnum = s0.u32(is64 ? 44 : 28);
    }

    const programs: ProgramHeader[] = [];
    if (phoff !== 0 && phnum > 0) {
      if (phentsize < minPh) throw new InputError(`corrupt ELF header: program header size ${phentsize}`);
      if (phnum > MAX_TABLE_ENTRIES) throw new InputError(`corrupt ELF header: ${phnum} program headers`);
      checkRange(source, phoff, phnum * phentsize, 'program header table');
      const pr = new BinReader(
        await source.read(phoff, phnum * phentsize),
        header.littleEndian,
        'program header table',
      );
      for (let i = 0; i < phnum; i++) {
        const o = i * phentsize;
        programs.push(
          is64
            ? {
                type: pr.u32(o),
                flags: pr.u32(o + 4),
                offset: pr.u64(o + 8),
                vaddr: pr.u64(o + 16),
                filesz: pr.u64(o + 32),
                memsz: pr.u64(o + 40),
              }
            : {
                type: pr.u32(o),
                offset: pr.u32(o + 4),
                vaddr: pr.u32(o + 8),
                filesz: pr.u32(o + 16),
                memsz: pr.u32(o + 20),
                flags: pr.u32(o + 24),
              },
        );
      }
    }

    const sections: Section[] = [];
    if (shoff !== 0 && shnum > 0) {
      if (shentsize < minSh) throw new InputError(`corrupt ELF header: section header size ${shentsize}`);
      if (shnum > MAX_TABLE_ENTRIES) throw new InputError(`corrupt ELF header: ${shnum} sections`);
      checkRange(source, shoff, shnum * shentsize, 'section header table');
      const sr = new BinReader(
        await source.read(shoff, shnum * shentsize),
        header.littleEndian,
        'section header table',
      );
      const nameOffsets: number[] = [];
      for (let i = 0; i < shnum; i++) {
        const o = i * shentsize;
        nameOffsets.push(sr.u32(o));
        sections.push(
          is64
            ? {
                index: i,
                name: '',
                type: sr.u32(o + 4),
                flags: sr.u64(o + 8),
                addr: sr.u64(o + 16),
                offset: sr.u64(o + 24),
                size: sr.u64(o + 32),
                link: sr.u32(o + 40),
                entsize: sr.u64(o + 56),
              }
            : {
                index: i,
                name: '',
                type: sr.u32(o + 4),
                flags: sr.u32(o + 8),
                addr: sr.u32(o + 12),
                offset: sr.u32(o + 16),
                size: sr.u32(o + 20),
                link: sr.u32(o + 24),
                entsize: sr.u32(o + 36),
              },
        );
      }
      const strtab = sections[shstrndx];
      if (strtab && strtab.type !== SHT_NOBITS) {
        checkRange(source, strtab.offset, strtab.size, 'section name table');
        const names = await source.read(strtab.offset, strtab.size);
        for (const s of sections) {
          const off = nameOffsets[s.index] as number;
          if (off < names.length) {
            const end = names.indexOf(0, off);
            s.name = names.toString('latin1', off, end < 0 ? names.length : end);
          }
        }
      }
    }
    return new ElfFile(source, header, programs, sections);
  }
}

function describeMagic(ident: Buffer): string {
  const f = detectFormat(ident);
  if (f === 'pe') return 'it is a PE (Windows) executable, which goimg binary does not support yet';
  if (f === 'macho') return 'it is a Mach-O (macOS) executable, which goimg binary does not support yet';
  if (ident.subarray(0, 2).toString('latin1') === '#!') return 'it is a script (starts with #!)';
  return `unknown magic bytes ${ident.subarray(0, 4).toString('hex')}`;
}
