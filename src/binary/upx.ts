/**
 * UPX detection. A UPX-packed ELF carries an l_info record ("UPX!" magic, format version) right
 * after its program headers, a p_info record with the original file size, and a PackHeader
 * ("UPX!", version, format, method, level, sizes) near the end of the file. The packer's own
 * version is in its "$Id: UPX x.yz" banner inside the loader. Layout learnt from UPX's
 * packhead/l_info description; fields are read, never executed or unpacked.
 */
import type { ElfFile } from './elf.js';

export interface UpxInfo {
  packed: boolean;
  /** The packer version from its banner (e.g. "4.22"), else "format N" from the header. */
  version: string | null;
  /** Compression method name (e.g. "NRV2E_LE32", "LZMA"). */
  method: string | null;
  /** The original file size UPX recorded. */
  unpackedSize: number | null;
}

export interface UpxDetail extends UpxInfo {
  formatVersion: number | null;
  level: number | null;
  methodId: number | null;
  packedSize: number | null;
}

const MAGIC = Buffer.from('UPX!', 'latin1');
const BANNER = Buffer.from('$Id: UPX ', 'latin1');
const TRAILER_WINDOW = 4096;
const SCAN_CHUNK = 1 << 20;

const METHODS: Record<number, string> = {
  2: 'NRV2B_LE32',
  3: 'NRV2B_8',
  4: 'NRV2B_LE16',
  5: 'NRV2D_LE32',
  6: 'NRV2D_8',
  7: 'NRV2D_LE16',
  8: 'NRV2E_LE32',
  9: 'NRV2E_8',
  10: 'NRV2E_LE16',
  14: 'LZMA',
  15: 'DEFLATE',
};

export const NOT_PACKED: UpxInfo = { packed: false, version: null, method: null, unpackedSize: null };

export async function detectUpx(elf: ElfFile): Promise<UpxDetail> {
  const src = elf.source;
  const none: UpxDetail = {
    ...NOT_PACKED,
    formatVersion: null,
    level: null,
    methodId: null,
    packedSize: null,
  };
  // l_info follows the program header table.
  const phEnd = elf.programs.length > 0 ? await programTableEnd(elf) : 0;
  let lInfoVersion: number | null = null;
  let pInfoSize: number | null = null;
  if (phEnd > 0 && phEnd + 24 <= src.size) {
    const b = await src.read(phEnd, 24);
    if (b.subarray(4, 8).equals(MAGIC)) {
      const r = elf.reader(b, 'UPX l_info');
      lInfoVersion = r.u8(10);
      pInfoSize = r.u32(16);
    }
  }
  // PackHeader: the last "UPX!" in the trailing window; its fields are little-endian.
  const winStart = Math.max(0, src.size - TRAILER_WINDOW);
  const tail = await src.read(winStart, src.size - winStart);
  const at = tail.lastIndexOf(MAGIC);
  let header: { version: number; method: number; level: number; uFileSize: number; cLen: number } | null =
    null;
  if (at >= 0 && at + 32 <= tail.length) {
    header = {
      version: tail[at + 4] as number,
      method: tail[at + 6] as number,
      level: tail[at + 7] as number,
      cLen: tail.readUInt32LE(at + 20),
      uFileSize: tail.readUInt32LE(at + 24),
    };
  }
  if (lInfoVersion === null && header === null) return none;
  if (lInfoVersion === null && elf.sections.length > 0) return none; // a stray "UPX!" string
  const methodId = header?.method ?? null;
  const banner = await findBanner(elf);
  return {
    packed: true,
    version: banner ?? (header ? `format ${header.version}` : `format ${lInfoVersion}`),
    method: methodId === null ? null : (METHODS[methodId] ?? `method ${methodId}`),
    unpackedSize: header?.uFileSize ?? pInfoSize,
    formatVersion: header?.version ?? lInfoVersion,
    level: header?.level ?? null,
    methodId,
    packedSize: src.size,
  };
}

async function programTableEnd(elf: ElfFile): Promise<number> {
  const is64 = elf.header.class === 64;
  const hdr = await elf.source.read(0, is64 ? 64 : 52);
  const r = elf.reader(hdr, 'ELF header');
  const phoff = is64 ? r.u64(32) : r.u32(28);
  const phentsize = r.u16(is64 ? 54 : 42);
  return phoff + elf.programs.length * phentsize;
}

/** Streams the file in 1 MB chunks looking for the packer's "$Id: UPX x.yz" banner. */
async function findBanner(elf: ElfFile): Promise<string | null> {
  const src = elf.source;
  for (let off = 0; off < src.size; off += SCAN_CHUNK) {
    const len = Math.min(SCAN_CHUNK + 64, src.size - off);
    const chunk = await src.read(off, len);
    const i = chunk.indexOf(BANNER);
    if (i >= 0) {
      const m = /^[0-9][0-9.]*[0-9a-z]*/.exec(
        chunk.toString('latin1', i + BANNER.length, i + BANNER.length + 24),
      );
      if (m) return m[0];
    }
  }
  return null;
}
