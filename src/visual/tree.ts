/**
 * The trees the pictures draw: a Go binary as modules → packages, an image's merged file system
 * as directories → files (a Go binary's file opening into its modules). Pure: built from
 * reports and the merged file system, no I/O.
 */
import type { BinaryReport } from '../binary/report.js';
import type { Sizes } from '../binary/sizes.js';
import { STD } from '../binary/sizes.js';
import { C_CODE, GENERATED } from '../binary/symbol-package.js';
import type { FsNode } from '../image/merge.js';

/** What a node is: directory, file, Go binary, module, package, or bytes no package owns. */
export type Role = 'dir' | 'file' | 'binary' | 'module' | 'package' | 'rest';

/** The colour families of a binary's bytes. */
export type CodeKind = 'std' | 'main' | 'dep' | 'cgo' | 'runtime' | 'other';

export interface TreeNode {
  name: string;
  size: number;
  role: Role;
  /** A layer index for file system nodes, a code kind for a binary's parts. */
  colour: number | CodeKind;
  children?: TreeNode[];
}

/** The name of the leaf holding a binary's bytes that no package owns. */
export const UNATTRIBUTED = '(headers, tables, unattributed)';

function kindOfModule(path: string, mainPath: string | null): CodeKind {
  if (path === STD) return 'std';
  if (path === C_CODE) return 'cgo';
  if (path === mainPath) return 'main';
  return 'dep';
}

/** Packages grouped under their modules, plus the unattributed rest, largest first. */
export function binaryParts(report: BinaryReport, sizes: Sizes): TreeNode[] {
  const mainPath = report.buildInfo?.main?.path ?? report.buildInfo?.path ?? null;
  const modulePaths = sizes.modules.map((m) => m.path);
  const byModule = new Map<string, TreeNode>();
  for (const m of sizes.modules) {
    byModule.set(m.path, {
      name: m.path,
      size: m.size,
      role: 'module',
      colour: kindOfModule(m.path, mainPath),
      children: [],
    });
  }
  for (const p of sizes.packages) {
    const owner = owningModule(p.name, modulePaths, mainPath);
    const mod = owner === undefined ? undefined : byModule.get(owner);
    if (!mod) continue;
    mod.children!.push({
      name: p.name,
      size: p.size,
      role: 'package',
      colour: p.name === GENERATED ? 'runtime' : (mod.colour as CodeKind),
    });
  }
  const parts = [...byModule.values()];
  if (sizes.unattributed > 0)
    parts.push({
      name: UNATTRIBUTED,
      size: sizes.unattributed,
      role: 'rest',
      colour: 'other',
      children: restParts(report.size, sizes),
    });
  return parts.sort((a, b) => b.size - a.size);
}

/**
 * The bytes no package owns, by where they lie: the function table, DWARF, the symbol table,
 * code and data outside any package's symbols, and what no section holds (headers, padding).
 * Empty (drawn as one block) when the pieces do not add up to the unattributed total.
 */
export function restParts(fileSize: number, sizes: Sizes): TreeNode[] {
  const text = sizes.packages.reduce((n, p) => n + p.text, 0);
  const data = sizes.attributed - text;
  let pclntab = 0;
  let dwarf = 0;
  let symbols = 0;
  let code = 0;
  let other = 0;
  for (const s of sizes.sections) {
    if (s.name === '.gopclntab') pclntab += s.size;
    else if (/^\.z?debug_/.test(s.name)) dwarf += s.size;
    else if (s.name === '.symtab' || s.name === '.strtab') symbols += s.size;
    else if (s.name === '.text') code += s.size;
    else other += s.size;
  }
  const pieces: [string, number, CodeKind][] = [
    ['function table (.gopclntab)', pclntab, 'runtime'],
    ['data outside package symbols (read-only data, types, strings)', other - data, 'runtime'],
    ['code outside package functions (.text)', code - text, 'other'],
    ['DWARF debug info', dwarf, 'other'],
    ['symbol table (.symtab, .strtab)', symbols, 'other'],
  ];
  const inSections = pieces.reduce((n, [, size]) => n + size, 0);
  pieces.push(['ELF headers and padding', fileSize - sizes.attributed - inSections, 'other']);
  if (pieces.some(([, size]) => size < 0)) return [];
  return pieces
    .filter(([, size]) => size > 0)
    .map(([name, size, colour]) => ({ name, size, role: 'rest' as const, colour }))
    .sort((a, b) => b.size - a.size);
}

/**
 * The module a package was counted in: the longest module path that prefixes it, `std` for
 * the standard library and generated code, (C code) for C. Mirrors sizes.ts's roll-up over
 * the module paths it produced, so packages land where their bytes were added.
 */
function owningModule(pkg: string, modules: string[], mainPath: string | null): string | undefined {
  if (pkg === 'main')
    return mainPath !== null && modules.includes(mainPath) ? mainPath : longest(pkg, modules);
  return longest(pkg, modules) ?? (modules.includes(STD) ? STD : undefined);
}

function longest(pkg: string, modules: string[]): string | undefined {
  let best: string | undefined;
  for (const m of modules) {
    if ((pkg === m || pkg.startsWith(`${m}/`)) && (!best || m.length > best.length)) best = m;
  }
  return best;
}

/** One binary as a tree: its file size at the root, modules and packages below. */
export function binaryTree(report: BinaryReport, sizes: Sizes, name = report.file): TreeNode {
  return { name, size: report.size, role: 'binary', colour: 'other', children: binaryParts(report, sizes) };
}

/**
 * The merged file system as a tree of regular files with bytes (empty files, links and
 * devices draw nothing). `partsOf` returns a file's binary parts when it is an analysed Go
 * binary.
 */
export function fsTree(
  root: FsNode,
  partsOf: (path: string, node: FsNode) => TreeNode[] | null,
  name = '/',
): TreeNode {
  const walk = (dir: FsNode, prefix: string, dirName: string): TreeNode => {
    const children: TreeNode[] = [];
    let size = 0;
    for (const [childName, node] of dir.children!) {
      const path = prefix === '' ? childName : `${prefix}/${childName}`;
      if (node.type === 'dir') {
        const sub = walk(node, path, childName);
        if (sub.size > 0) {
          children.push(sub);
          size += sub.size;
        }
      } else if (node.type === 'file' && node.size > 0) {
        const parts = partsOf(path, node);
        children.push(
          parts
            ? { name: childName, size: node.size, role: 'binary', colour: node.layer, children: parts }
            : { name: childName, size: node.size, role: 'file', colour: node.layer },
        );
        size += node.size;
      }
    }
    children.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
    return { name: dirName, size, role: 'dir', colour: Math.max(0, dir.layer), children };
  };
  return walk(root, '', name);
}
