/**
 * What a vulnerability check needs from one executable: its Go version, its modules as built
 * (replacements applied), its platform, and the functions its function table holds (present in
 * stripped binaries too). A UPX-packed file is reported as packed: its code is compressed.
 */
import { readRawBuildInfo } from '../binary/buildinfo.js';
import { ElfFile } from '../binary/elf.js';
import { ModinfoError, parseModinfo } from '../binary/modinfo.js';
import { readPclntab } from '../binary/pclntab.js';
import { type ByteSource, fileSource } from '../binary/source.js';
import { detectUpx } from '../binary/upx.js';
import { InputError } from '../core/errors.js';
import { type PackageSymbols, packageSymbols } from './symbols.js';

export interface BinaryModule {
  path: string;
  /** The version built (a replacement's when replaced); "" when unknown (a local replacement). */
  version: string;
  /** Replaced by a directory: its code is not the published module's. */
  local: boolean;
}

export type BinaryFacts =
  | { status: 'packed' | 'not-go'; file: string; reason: string }
  | {
      status: 'go';
      file: string;
      goVersion: string;
      goos: string;
      goarch: string;
      modules: BinaryModule[];
      /** null when the binary has no function table (then nothing can be narrowed). */
      functions: PackageSymbols | null;
    };

export async function readBinaryFacts(source: ByteSource | string, name?: string): Promise<BinaryFacts> {
  if (typeof source === 'string') {
    const file = await fileSource(source);
    try {
      return await readFacts(file, name ?? source);
    } finally {
      await file.close();
    }
  }
  return readFacts(source, name ?? '<memory>');
}

async function readFacts(source: ByteSource, file: string): Promise<BinaryFacts> {
  try {
    const elf = await ElfFile.open(source);
    const upx = await detectUpx(elf);
    if (upx.packed) return { status: 'packed', file, reason: 'cannot be checked: packed (UPX)' };
    const raw = await readRawBuildInfo(elf);
    if (!raw) return { status: 'not-go', file, reason: 'not a Go executable: it has no Go build info' };
    let modules: BinaryModule[] = [];
    let settings: Record<string, string> = {};
    try {
      const info = parseModinfo(raw.modinfo);
      settings = info.settings;
      modules = info.deps.map((d) => ({
        path: d.path,
        version: d.replace ? d.replace.version : d.version,
        local: d.replace !== null && d.replace.version === '',
      }));
    } catch (e) {
      if (!(e instanceof ModinfoError)) throw e;
    }
    const table = await readPclntab(elf);
    return {
      status: 'go',
      file,
      goVersion: raw.goVersion,
      goos: settings.GOOS ?? 'linux',
      goarch: settings.GOARCH ?? elf.header.arch,
      modules,
      functions: table ? packageSymbols(table.funcs.map((f) => f.name)) : null,
    };
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${file}: ${err.message}`, err.hint);
    throw err;
  }
}
