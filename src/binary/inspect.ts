/**
 * inspectBinary: one ELF file (a path or any ByteSource) into a BinaryReport. Reads the headers,
 * then only the sections each question needs: .go.buildinfo, .dynamic/.dynstr, .dynsym, the
 * UPX headers, and the pclntab/.symtab when size attribution is asked for.
 */
import { InputError } from '../core/errors.js';
import { readRawBuildInfo } from './buildinfo.js';
import { cgoEvidence } from './cgo.js';
import { ElfFile, SHF_COMPRESSED, SHT_NOBITS } from './elf.js';
import { readLinkage } from './linkage.js';
import { type BuildInfo, ModinfoError, parseModinfo } from './modinfo.js';
import type { PackageTotals } from './packages.js';
import type { PclnSummary } from './pclntab.js';
import type { BinaryReport, DebugInfo } from './report.js';
import { attributeSizes, dataSymbolSections, stripSavings } from './sizes.js';
import { type ByteSource, fileSource } from './source.js';
import { addSymbolPackages, dynamicImports } from './symbols.js';
import { detectUpx } from './upx.js';
import { openUnpacked } from './upx-unpack.js';
import { verdicts } from './verdicts.js';

export interface InspectOptions {
  /** Name to report as `file` (default: the path, or "<memory>"). */
  name?: string;
  /** Size attribution from the pclntab and symbols (default true). */
  attribution?: boolean;
  /**
   * Build info, linkage, UPX and stripping only: skips the function table (the one big read), so
   * cgo evidence comes from settings and libc imports alone and `sizes` is null.
   */
  quick?: boolean;
  /** Keep only the N largest packages and modules in `sizes` (totals still count all). */
  packages?: number;
}

export async function inspectBinary(
  source: ByteSource | string,
  options: InspectOptions = {},
): Promise<BinaryReport> {
  if (typeof source === 'string') {
    const file = await fileSource(source);
    try {
      return await inspectSource(file, { ...options, name: options.name ?? source });
    } finally {
      await file.close();
    }
  }
  return inspectSource(source, options);
}

async function inspectSource(source: ByteSource, options: InspectOptions): Promise<BinaryReport> {
  const name = options.name ?? '<memory>';
  try {
    return await analyse(source, name, options);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${name}: ${err.message}`, err.hint);
    throw err;
  }
}

async function analyse(source: ByteSource, name: string, options: InspectOptions): Promise<BinaryReport> {
  const file = await ElfFile.open(source);
  const upx = await detectUpx(file);
  const notes: string[] = [];
  // A packed file is read as the original it unpacks to; the report still says it is packed.
  let elf = file;
  if (upx.packed) {
    const unpacked = await openUnpacked(file);
    if ('elf' in unpacked) elf = unpacked.elf;
    else notes.push(`cannot be unpacked: packed (${unpacked.unsupported})`);
  }
  const readable = elf !== file || !upx.packed;
  const linkage = await readLinkage(elf);
  const raw = readable ? await readRawBuildInfo(elf) : null;
  let buildInfo: BuildInfo | null = null;
  if (raw) {
    try {
      buildInfo = parseModinfo(raw.modinfo);
    } catch (e) {
      if (!(e instanceof ModinfoError)) throw e;
      notes.push(`build info unreadable: could not parse Go build info: ${e.message}`);
    }
  }
  const wantSizes = options.attribution !== false && options.quick !== true && readable;
  // The function table is the one big read (tens of MB on dockerd), summed per package as it is
  // decoded; its modules are loaded only when it is read, so --quick does not pay for them.
  let totals: PackageTotals | null = null;
  let pcln: PclnSummary | null = null;
  if (options.quick !== true && readable) {
    const [{ PackageTotals }, { readPclnSummary }] = await Promise.all([
      import('./packages.js'),
      import('./pclntab.js'),
    ]);
    totals = new PackageTotals();
    pcln = await readPclnSummary(elf, totals);
  }
  const symtab = elf.sections.find((s) => s.type === 2);
  const imports = linkage.kind === 'dynamic' ? await dynamicImports(elf) : [];
  const isGo = raw !== null || pcln !== null;
  const cgo = isGo
    ? cgoEvidence(buildInfo?.settings ?? null, pcln && totals ? totals.cgoNames : null, imports)
    : { enabled: null, evidence: [] };

  const dwarfSections = elf.sections.filter((s) => /^\.(z?debug_)/.test(s.name) && s.type !== SHT_NOBITS);
  const debugInfo: DebugInfo = {
    dwarf: dwarfSections.length > 0,
    compressed: dwarfSections.some((s) => (s.flags & SHF_COMPRESSED) !== 0 || s.name.startsWith('.zdebug')),
    bytes: dwarfSections.reduce((n, s) => n + s.size, 0),
  };
  const stripped = symtab === undefined;
  const savings = isGo && readable ? stripSavings(elf) : null;

  let sizes = null;
  if (wantSizes) {
    if (symtab && totals) await addSymbolPackages(elf, symtab, dataSymbolSections(elf), totals);
    sizes = attributeSizes(elf, totals, buildInfo, raw?.goVersion ?? null);
    if (options.packages !== undefined) {
      sizes.packages = sizes.packages.slice(0, options.packages);
      sizes.modules = sizes.modules.slice(0, options.packages);
    }
  }

  const report: BinaryReport = {
    version: 1,
    file: name,
    size: source.size,
    format: 'elf',
    class: elf.header.class,
    endianness: elf.header.littleEndian ? 'little' : 'big',
    arch: elf.header.arch,
    type: elf.header.type,
    goVersion: raw?.goVersion ?? null,
    buildInfo,
    linkage,
    stripped,
    debugInfo,
    stripSavings: savings,
    upx: { packed: upx.packed, version: upx.version, method: upx.method, unpackedSize: upx.unpackedSize },
    cgo,
    sizes,
    verdicts: [],
  };
  report.verdicts = [
    ...verdicts({
      goVersion: report.goVersion,
      isGo: isGo || upx.packed,
      linkage,
      upx,
      cgo,
      stripped,
      dwarf: debugInfo.dwarf,
      stripSavings: savings,
      size: source.size,
    }),
    ...notes,
  ];
  return report;
}
