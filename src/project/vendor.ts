/**
 * Vendored dependencies: vendor/modules.txt says which modules and packages the build uses, and
 * their sources are right there, so cgo and libc use inside dependencies can be seen too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildsForLinux } from './buildtags.js';
import { readHeader } from './golex.js';
import { findCgoOnly, isTlsClientModule, NET_USING_STD, USER_USING_STD } from './known.js';
import type { CgoEvidence, SourceEvidence, VendorPackage } from './model.js';

export interface VendoredModule {
  path: string;
  version?: string;
  /** `=> target` when the module is replaced. */
  replacement?: string;
  /** Packages of this module the build uses. */
  packages: string[];
  /** 1-based line of the module in vendor/modules.txt. */
  line: number;
}

/** Parses vendor/modules.txt ("# module version [=> repl]", "## explicit", package lines). */
export function parseModulesTxt(text: string): VendoredModule[] {
  const out: VendoredModule[] = [];
  let current: VendoredModule | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('## ')) continue;
    if (line.startsWith('# ')) {
      const [left, right] = line.slice(2).split(' => ');
      const [path, version] = left!.trim().split(/\s+/);
      current = { path: path!, packages: [], line: i + 1 };
      if (version !== undefined) current.version = version;
      if (right !== undefined) current.replacement = right.trim();
      // "# path => target" without a version only restates a replacement: no packages follow.
      if (version !== undefined || right === undefined) out.push(current);
      continue;
    }
    current?.packages.push(line);
  }
  return out;
}

export interface VendorFacts {
  modules: VendoredModule[];
  cgo: CgoEvidence[];
  tls: SourceEvidence[];
  /** A vendored package imports "C" and has no pure-Go (`!cgo`) fallback. */
  cgoRequired: boolean;
  /** Per vendored package: its imports and cgo evidence. */
  packages: Map<string, VendorPackage>;
}

const NET = new Set([...NET_USING_STD]);
const USER = new Set([...USER_USING_STD]);

export function scanVendor(absRoot: string, modulesTxt: string): VendorFacts {
  const modules = parseModulesTxt(modulesTxt);
  const facts: VendorFacts = { modules, cgo: [], tls: [], cgoRequired: false, packages: new Map() };
  for (const mod of modules) {
    const known = findCgoOnly(mod.path);
    if (known) {
      facts.cgoRequired = true;
      facts.cgo.push({
        kind: 'cgo-module',
        package: mod.path,
        file: 'vendor/modules.txt',
        line: mod.line,
        via: mod.path,
      });
    }
    if (isTlsClientModule(mod.path)) {
      facts.tls.push({
        kind: 'tls-client-module',
        detail: mod.path,
        file: 'vendor/modules.txt',
        line: mod.line,
      });
    }
    for (const pkg of mod.packages) {
      const rel = `vendor/${pkg}`;
      let names: string[];
      try {
        names = readdirSync(join(absRoot, rel)).filter(
          (n) => n.endsWith('.go') && !n.endsWith('_test.go') && !n.startsWith('.') && !n.startsWith('_'),
        );
      } catch {
        continue; // listed but absent: `go build` reports the inconsistency itself
      }
      let importC: CgoEvidence | undefined;
      let fallback = false;
      const seen = new Set<string>();
      const own: VendorPackage = { imports: [], cgo: [] };
      facts.packages.set(pkg, own);
      for (const name of names.sort()) {
        const h = readHeader(readFileSync(join(absRoot, rel, name), 'utf8'));
        if (h.packageName === undefined || !buildsForLinux(name, h.goBuild, h.plusBuild)) continue;
        if (/!\s*cgo\b/.test(h.goBuild ?? h.plusBuild.join(' '))) fallback = true;
        for (const imp of h.imports) {
          if (!own.imports.includes(imp.path)) own.imports.push(imp.path);
          const ev = (kind: CgoEvidence['kind']): CgoEvidence => ({
            kind,
            package: pkg,
            file: `${rel}/${name}`,
            line: imp.line,
            via: imp.path,
          });
          if (imp.path === 'C') importC ??= ev('import-c');
          else if (NET.has(imp.path) && !seen.has('net')) {
            seen.add('net');
            facts.cgo.push(ev('net'));
            own.cgo.push(ev('net'));
          } else if (USER.has(imp.path) && !seen.has('os-user')) {
            seen.add('os-user');
            facts.cgo.push(ev('os-user'));
            own.cgo.push(ev('os-user'));
          }
        }
      }
      if (importC) {
        if (fallback) importC.optional = true;
        else facts.cgoRequired = true;
        facts.cgo.push(importC);
        own.cgo.push(importC);
      }
    }
  }
  return facts;
}
