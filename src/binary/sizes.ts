/**
 * Size attribution: function bytes per Go package from the pclntab (works stripped), data bytes
 * per package from the symbol table when present, rolled up into modules with build info.
 * Nothing is spread: bytes no package owns are reported as unattributed.
 */
import type { ElfFile } from './elf.js';
import { SHF_COMPRESSED, SHT_NOBITS } from './elf.js';
import type { BuildInfo } from './modinfo.js';
import type { PackageTotals } from './packages.js';
import { C_CODE, GENERATED } from './symbol-package.js';

export interface SectionSize {
  name: string;
  size: number;
}

export interface PackageSize {
  name: string;
  text: number;
  size: number;
}

export interface ModuleSize {
  path: string;
  version: string | null;
  text: number;
  size: number;
}

export interface Sizes {
  sections: SectionSize[];
  packages: PackageSize[];
  modules: ModuleSize[];
  attributed: number;
  unattributed: number;
}

/** The module that owns the standard library and the runtime. */
export const STD = 'std';

/** Standard-library packages have no dot in their first path element. */
export function isStd(pkg: string): boolean {
  const first = pkg.split('/')[0] ?? '';
  return !first.includes('.') && pkg !== C_CODE;
}

interface ModuleRef {
  path: string;
  version: string | null;
}

/** Longest module path that is a prefix (at a '/' boundary) of the package. */
export function moduleOf(pkg: string, modules: ModuleRef[], goVersion: string | null): ModuleRef {
  let best: ModuleRef | undefined;
  for (const m of modules) {
    if ((pkg === m.path || pkg.startsWith(`${m.path}/`)) && (!best || m.path.length > best.path.length))
      best = m;
  }
  if (best) return best;
  if (pkg === 'main') return modules[0] ?? { path: 'main', version: null };
  if (pkg === C_CODE) return { path: C_CODE, version: null };
  if (pkg === GENERATED || isStd(pkg)) return { path: STD, version: goVersion };
  return { path: guessModulePath(pkg), version: null };
}

/**
 * Without build info deps (GOPATH builds such as Debian's), the module is guessed from the
 * import path: three elements on hosts that put projects under an owner, two elsewhere.
 */
export function guessModulePath(pkg: string): string {
  const parts = pkg.split('/');
  const host = parts[0] ?? '';
  const three = ['github.com', 'gitlab.com', 'bitbucket.org', 'golang.org', 'go.googlesource.com'].includes(
    host,
  );
  return parts.slice(0, three ? 3 : 2).join('/');
}

/**
 * Sections whose data symbols count (1 by section index): file-backed, allocated, non-code,
 * other than the pclntab itself.
 */
export function dataSymbolSections(elf: ElfFile): Uint8Array {
  const eligible = new Uint8Array(65536);
  for (const s of elf.sections) {
    if (
      s.type !== SHT_NOBITS &&
      (s.flags & 2) !== 0 &&
      (s.flags & 4) === 0 &&
      (s.flags & SHF_COMPRESSED) === 0 &&
      s.name !== '.gopclntab'
    )
      eligible[s.index] = 1;
  }
  return eligible;
}

export function sectionSizes(elf: ElfFile): SectionSize[] {
  return elf.sections
    .filter((s) => s.index !== 0 && s.type !== SHT_NOBITS)
    .map((s) => ({ name: s.name || `#${s.index}`, size: s.size }));
}

/** Packages from the totals of the function table and the symbol table, largest first. */
export function attributeSizes(
  elf: ElfFile,
  totals: PackageTotals | null,
  buildInfo: BuildInfo | null,
  goVersion: string | null,
): Sizes {
  const packages: PackageSize[] = [];
  if (totals) {
    for (let id = 0; id < totals.names.length; id++) {
      if (!totals.used[id]) continue;
      const t = totals.text[id] as number;
      packages.push({ name: totals.names[id] as string, text: t, size: t + (totals.data[id] as number) });
    }
  }
  packages.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const refs: ModuleRef[] = [];
  if (buildInfo?.main) refs.push({ path: buildInfo.main.path, version: buildInfo.main.version });
  for (const d of buildInfo?.deps ?? [])
    refs.push({ path: d.path, version: d.replace?.version || d.version });
  const mods = new Map<string, ModuleSize>();
  for (const p of packages) {
    const ref =
      p.name === 'main' && buildInfo?.path
        ? moduleOf(buildInfo.path, refs, goVersion)
        : moduleOf(p.name, refs, goVersion);
    const m = mods.get(ref.path) ?? { path: ref.path, version: ref.version, text: 0, size: 0 };
    m.text += p.text;
    m.size += p.size;
    mods.set(ref.path, m);
  }
  const modules = [...mods.values()].sort(
    (a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  const attributed = packages.reduce((n, p) => n + p.size, 0);
  return {
    sections: sectionSizes(elf),
    packages,
    modules,
    attributed,
    unattributed: Math.max(0, elf.source.size - attributed),
  };
}

/** Bytes `-s -w` would remove: the symbol table, its strings and the DWARF sections. */
export function stripSavings(elf: ElfFile): number {
  let n = 0;
  for (const s of elf.sections) {
    if (s.type === SHT_NOBITS) continue;
    if (s.name === '.symtab' || s.name === '.strtab' || /^\.z?debug_/.test(s.name)) n += s.size;
  }
  return n;
}
