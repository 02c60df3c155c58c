/**
 * How the binary is linked: the dynamic loader it asks for (PT_INTERP), the libraries it needs
 * (DT_NEEDED), its search paths (DT_RPATH/DT_RUNPATH), the libc family those imply, and PIE.
 */
import { type ElfFile, PT_DYNAMIC, PT_INTERP, SHT_NOBITS } from './elf.js';
import { checkRange } from './source.js';

export type LibcFamily = 'glibc' | 'musl';

export interface Linkage {
  kind: 'static' | 'dynamic';
  interpreter: string | null;
  needed: string[];
  rpath: string[];
  runpath: string[];
  libc: LibcFamily | null;
  pie: boolean;
}

const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const DT_FLAGS_1 = 0x6ffffffb;
const DF_1_PIE = 0x08000000;
/** More entries than this in a dynamic section means corruption, not a real binary. */
const MAX_DYNAMIC_ENTRIES = 1 << 16;

export function libcOf(interpreter: string | null, needed: string[]): LibcFamily | null {
  const names = [interpreter ?? '', ...needed];
  if (names.some((n) => /ld-musl-|libc\.musl-/.test(n))) return 'musl';
  if (names.some((n) => /ld-linux|ld64\.so|libc\.so\.6/.test(n))) return 'glibc';
  return null;
}

export async function readLinkage(elf: ElfFile): Promise<Linkage> {
  let interpreter: string | null = null;
  const interp = elf.programs.find((p) => p.type === PT_INTERP);
  if (
    interp &&
    interp.filesz > 0 &&
    interp.filesz < 4096 &&
    interp.offset + interp.filesz <= elf.source.size
  ) {
    const raw = await elf.source.read(interp.offset, interp.filesz);
    const end = raw.indexOf(0);
    interpreter = raw.toString('latin1', 0, end < 0 ? raw.length : end);
  }

  const needed: string[] = [];
  const rpath: string[] = [];
  const runpath: string[] = [];
  let flags1 = 0;
  const entries = await readDynamic(elf);
  if (entries.length > 0) {
    const table = dynamicStringTable(elf, entries);
    const str = (off: number): Promise<string> => dynamicString(elf, table, off);
    for (const [tag, val] of entries) {
      if (tag === DT_NEEDED) needed.push(await str(val));
      else if (tag === DT_RPATH) rpath.push(...(await str(val)).split(':'));
      else if (tag === DT_RUNPATH) runpath.push(...(await str(val)).split(':'));
      else if (tag === DT_FLAGS_1) flags1 = val;
    }
  }
  // A static-pie has a dynamic section (for its own relocations) but no loader and no libraries.
  const kind = interpreter !== null || needed.length > 0 ? 'dynamic' : 'static';
  const pie = elf.header.type === 'DYN' && (interpreter !== null || (flags1 & DF_1_PIE) !== 0);
  return { kind, interpreter, needed, rpath, runpath, libc: libcOf(interpreter, needed), pie };
}

/** [tag, value] pairs of the dynamic section, up to DT_NULL. */
async function readDynamic(elf: ElfFile): Promise<[number, number][]> {
  const section = elf.section('.dynamic');
  let raw: Buffer | undefined;
  if (section) raw = await elf.readSection(section, MAX_DYNAMIC_ENTRIES * 16);
  else {
    const seg = elf.programs.find((p) => p.type === PT_DYNAMIC);
    if (
      !seg ||
      seg.filesz === 0 ||
      seg.filesz > MAX_DYNAMIC_ENTRIES * 16 ||
      seg.offset + seg.filesz > elf.source.size
    )
      return [];
    raw = await elf.source.read(seg.offset, seg.filesz);
  }
  const r = elf.reader(raw, 'dynamic section');
  const ps = elf.ptrSize;
  const out: [number, number][] = [];
  for (let o = 0; o + 2 * ps <= raw.length; o += 2 * ps) {
    const tag = r.ptr(o, ps);
    if (tag === DT_NULL) break;
    out.push([tag, r.ptr(o + ps, ps)]);
  }
  return out;
}

/** Where the dynamic string table lies in the file: .dynamic's linked section, or DT_STRTAB. */
function dynamicStringTable(
  elf: ElfFile,
  entries: [number, number][],
): { offset: number; size: number } | undefined {
  const dynamic = elf.section('.dynamic');
  const linked = dynamic ? elf.sections[dynamic.link] : undefined;
  if (linked && linked.size > 0) {
    if (linked.type === SHT_NOBITS) return { offset: 0, size: 0 };
    checkRange(elf.source, linked.offset, linked.size, `section ${linked.name || `#${linked.index}`}`);
    return { offset: linked.offset, size: linked.size };
  }
  const addr = entries.find(([t]) => t === DT_STRTAB)?.[1];
  const size = entries.find(([t]) => t === DT_STRSZ)?.[1];
  if (addr === undefined || size === undefined) return undefined;
  const m = elf.mapAddress(addr);
  if (!m || m.available < size || m.offset + size > elf.source.size) return undefined;
  return { offset: m.offset, size };
}

/**
 * One NUL-terminated string of the dynamic string table, read on its own: the table can be
 * megabytes (dockerd's 6 MB of exported names) for the few library names and paths needed.
 */
async function dynamicString(
  elf: ElfFile,
  table: { offset: number; size: number } | undefined,
  off: number,
): Promise<string> {
  if (!table || off >= table.size) return `<bad string offset ${off}>`;
  for (let want = 256; ; want *= 4) {
    const length = Math.min(want, table.size - off);
    const buf = await elf.source.read(table.offset + off, length);
    const end = buf.indexOf(0);
    if (end >= 0 || length === table.size - off) return buf.toString('latin1', 0, end < 0 ? length : end);
  }
}
