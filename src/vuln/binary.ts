/**
 * What a vulnerability check needs from one executable: its Go version, its modules as built
 * (replacements applied), its platform, and the functions of the packages the advisories name,
 * from the function table and the inline trees (present in stripped binaries too). The packages
 * are asked for once the modules are known, so only their names become strings. A UPX-packed file is read
 * as the original it unpacks to; one packed with a method goimg does not decode is reported as
 * packed.
 */
import { readRawBuildInfo } from '../binary/buildinfo.js';
import { ElfFile } from '../binary/elf.js';
import { readFunctionNames } from '../binary/function-names.js';
import { ModinfoError, parseModinfo } from '../binary/modinfo.js';
import { type ByteSource, fileSource } from '../binary/source.js';
import { detectUpx } from '../binary/upx.js';
import { openUnpacked } from '../binary/upx-unpack.js';
import { InputError } from '../core/errors.js';
import { linkerPrefix, type PackageSymbols, packageSymbols } from './symbols.js';

export interface BinaryModule {
  path: string;
  /** The version built (a replacement's when replaced); "" when unknown (a local replacement). */
  version: string;
  /** Replaced by a directory: its code is not the published module's. */
  local: boolean;
}

export interface GoBinary {
  goVersion: string;
  goos: string;
  goarch: string;
  modules: BinaryModule[];
}

export type BinaryFacts =
  | { status: 'packed' | 'not-go'; file: string; reason: string }
  | (GoBinary & {
      status: 'go';
      file: string;
      /** Functions of the packages asked for; null when there is no function table. */
      functions: PackageSymbols | null;
    });

/** The packages whose functions a check needs, given the binary's Go version and modules. */
export type PackagesOf = (binary: GoBinary) => Promise<readonly string[]>;

export async function readBinaryFacts(
  source: ByteSource | string,
  packagesOf: PackagesOf,
  name?: string,
): Promise<BinaryFacts> {
  if (typeof source === 'string') {
    const file = await fileSource(source);
    try {
      return await readFacts(file, packagesOf, name ?? source);
    } finally {
      await file.close();
    }
  }
  return readFacts(source, packagesOf, name ?? '<memory>');
}

async function readFacts(source: ByteSource, packagesOf: PackagesOf, file: string): Promise<BinaryFacts> {
  try {
    let elf = await ElfFile.open(source);
    if ((await detectUpx(elf)).packed) {
      const unpacked = await openUnpacked(elf);
      if (!('elf' in unpacked)) {
        return { status: 'packed', file, reason: `cannot be checked: packed (${unpacked.unsupported})` };
      }
      elf = unpacked.elf;
    }
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
    const binary: GoBinary = {
      goVersion: raw.goVersion,
      goos: settings.GOOS ?? 'linux',
      goarch: settings.GOARCH ?? elf.header.arch,
      modules,
    };
    const packages = [...new Set(await packagesOf(binary))];
    const names = packages.length === 0 ? [] : await readFunctionNames(elf, packages.map(linkerPrefix));
    return { status: 'go', file, ...binary, functions: names && packageSymbols(names) };
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${file}: ${err.message}`, err.hint);
    throw err;
  }
}
