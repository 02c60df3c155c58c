/**
 * What one binary needs: the main package a build compiles and the packages it imports,
 * transitively (the project's own packages in the modules the build compiles, and vendored
 * ones), with the files the build's GOARCH, cgo setting and -tags select. Tests and packages
 * nothing imports are not part of it, nor are other modules of the repository.
 */
import { type BuildSettings, buildsFor } from './buildtags.js';
import { embedsCaRoots, findCgoOnly, isFileStore, isTlsClientModule, runsGoTool } from './known.js';
import {
  type CgoEvidence,
  compilesC,
  type GoFileFacts,
  type GoPackage,
  type ProjectModel,
  type SourceEvidence,
} from './model.js';

export interface BinaryNeeds {
  /** Project packages in the import closure (directories, the main package first). */
  packages: string[];
  cgoEvidence: CgoEvidence[];
  /** import "C" without a pure-Go fallback, or a cgo-only module, is imported. */
  cgoRequired: boolean;
  tlsEvidence: SourceEvidence[];
  timeZoneEvidence: SourceEvidence[];
  /** time/tzdata is linked (imported by a package of the closure, or -tags timetzdata). */
  embedsTzdata: boolean;
  /** A package that embeds CA roots in the binary (x509roots/fallback, rootcerts) is linked. */
  embedsCaRoots: boolean;
  /** What makes the program need root in the container (root-only calls, the engine's socket). */
  rootEvidence: SourceEvidence[];
  /** What makes the program run the go command: it needs the toolchain beside it. */
  goToolEvidence: SourceEvidence[];
  /** An embedded database the program links, or a file it writes by a relative path: it writes data at run time. */
  fileStoreEvidence: SourceEvidence[];
}

function filesFor(pkg: GoPackage, settings: BuildSettings): GoFileFacts[] {
  return (pkg.fileFacts ?? []).filter((f) => buildsFor(f.name, f.goBuild, f.plusBuild ?? [], settings));
}

/** True when some file of the package builds only without cgo: import "C" is then optional. */
function hasNoCgoFallback(files: readonly GoFileFacts[]): boolean {
  return files.some((f) => /!\s*cgo\b/.test(f.goBuild ?? (f.plusBuild ?? []).join(' ')));
}

/** Import paths of the project's own packages, for the modules the build compiles. */
function packageIndex(project: ProjectModel): Map<string, GoPackage> {
  const index = new Map<string, GoPackage>();
  for (const p of project.packages) if (p.inBuild !== false) index.set(p.importPath, p);
  return index;
}

/** Answers per project model: a model is never changed after the scan, so they stay true. */
const answers = new WeakMap<ProjectModel, Map<string, Readonly<BinaryNeeds>>>();

/**
 * Import closure of `mainDirs` and what the resulting binary needs. Remembered per project and
 * arguments: a long-lived caller (the language server) asks again on every edit of a Dockerfile.
 */
export function binaryNeeds(
  project: ProjectModel,
  mainDirs: readonly string[],
  settings: BuildSettings = {},
): Readonly<BinaryNeeds> {
  const key = JSON.stringify([mainDirs, settings.tags ?? null, settings.arch ?? null, settings.cgo ?? null]);
  let known = answers.get(project);
  if (!known) {
    known = new Map();
    answers.set(project, known);
  }
  let needs = known.get(key);
  if (!needs) {
    needs = closureNeeds(project, mainDirs, settings);
    known.set(key, needs);
  }
  return needs;
}

function closureNeeds(
  project: ProjectModel,
  mainDirs: readonly string[],
  settings: BuildSettings,
): BinaryNeeds {
  const index = packageIndex(project);
  const byDir = new Map(project.packages.map((p) => [p.dir, p]));
  const out: BinaryNeeds = {
    packages: [],
    cgoEvidence: [],
    cgoRequired: false,
    tlsEvidence: [],
    timeZoneEvidence: [],
    embedsTzdata: settings.tags?.includes('timetzdata') ?? false,
    embedsCaRoots: false,
    rootEvidence: [],
    goToolEvidence: [],
    fileStoreEvidence: [],
  };
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const d of mainDirs) {
    const p = byDir.get(d);
    if (p && !seen.has(p.importPath)) {
      seen.add(p.importPath);
      queue.push(p.importPath);
    }
  }
  const cgoKinds = new Set<string>();
  const addCgo = (e: CgoEvidence): void => {
    const key = `${e.kind}:${e.package}`;
    if (cgoKinds.has(key)) return;
    cgoKinds.add(key);
    out.cgoEvidence.push(e);
    if (compilesC(e) && !e.optional) out.cgoRequired = true;
  };
  const vendor = project.vendorPackages;
  let noSystemRoots = false;
  while (queue.length > 0) {
    const path = queue.shift()!;
    const own = index.get(path);
    if (own) {
      out.packages.push(own.dir);
      const files = filesFor(own, settings);
      const optionalC = hasNoCgoFallback(files);
      let tlsServer = false;
      for (const f of files) {
        tlsServer ||= f.tlsServer;
        noSystemRoots ||= f.noSystemRoots === true;
      }
      for (const f of files) {
        for (const e of f.cgo) addCgo(e.kind === 'import-c' && optionalC ? { ...e, optional: true } : e);
        out.tlsEvidence.push(...f.tls);
        if (!tlsServer) out.tlsEvidence.push(...f.tlsConfigOnly);
        out.timeZoneEvidence.push(...f.tz);
        if (f.tzdata) out.embedsTzdata = true;
        if (f.root) out.rootEvidence.push(...f.root);
        if (f.goTool) out.goToolEvidence.push(...f.goTool);
        if (f.writes) out.fileStoreEvidence.push(...f.writes);
        for (const imp of f.imports) {
          if (seen.has(imp)) continue;
          seen.add(imp);
          if (index.has(imp) || vendor?.has(imp)) queue.push(imp);
          else if (imp === 'time/tzdata') out.embedsTzdata = true;
          else if (embedsCaRoots(imp)) out.embedsCaRoots = true;
          else {
            const known = findCgoOnly(imp);
            if (known) {
              const line = f.cgo.find((c) => c.via === imp)?.line ?? 1;
              addCgo({ kind: 'cgo-module', package: own.importPath, file: fileOf(own, f), line, via: imp });
            }
            if (isFileStore(imp))
              out.fileStoreEvidence.push({ kind: 'file-store', detail: imp, file: fileOf(own, f), line: 1 });
            if (isTlsClientModule(imp) && !f.tls.some((t) => t.detail === imp)) {
              out.tlsEvidence.push({ kind: 'tls-client-module', detail: imp, file: fileOf(own, f), line: 1 });
            }
          }
        }
      }
      continue;
    }
    const v = vendor?.get(path);
    if (!v) continue;
    if (embedsCaRoots(path)) out.embedsCaRoots = true;
    if (runsGoTool(path))
      out.goToolEvidence.push({ kind: 'go-packages', detail: path, file: 'vendor/modules.txt', line: 1 });
    for (const e of v.cgo) addCgo(e);
    const known = findCgoOnly(path);
    if (known) addCgo({ kind: 'cgo-module', package: path, file: 'vendor/modules.txt', line: 1, via: path });
    if (isFileStore(path))
      out.fileStoreEvidence.push({ kind: 'file-store', detail: path, file: 'vendor/modules.txt', line: 1 });
    if (isTlsClientModule(path))
      out.tlsEvidence.push({ kind: 'tls-client-module', detail: path, file: 'vendor/modules.txt', line: 1 });
    for (const imp of v.imports) {
      if (seen.has(imp)) continue;
      seen.add(imp);
      if (vendor?.has(imp) || index.has(imp)) queue.push(imp);
      else if (imp === 'time/tzdata') out.embedsTzdata = true;
    }
  }
  // A program that builds a client doing without the system's CA bundle hands it to the client
  // libraries it links (a bot library takes an *http.Client): their import alone shows no CA need then.
  if (noSystemRoots) out.tlsEvidence = out.tlsEvidence.filter((e) => e.kind !== 'tls-client-module');
  // A dependency that embeds the CA roots is out of sight, but go.mod lists the module of every
  // package the build links (Go 1.17 and later): its presence is the best sign there is.
  if (project.goMod?.requires.some((r) => embedsCaRoots(r.path))) out.embedsCaRoots = true;
  return out;
}

function fileOf(pkg: GoPackage, f: GoFileFacts): string {
  return pkg.dir === '.' ? f.name : `${pkg.dir}/${f.name}`;
}

/** The main packages of the modules the build compiles (directories). */
export function mainPackagesInBuild(project: ProjectModel): GoPackage[] {
  return project.packages.filter(
    (p) => p.inBuild !== false && p.name === 'main' && (p.fileFacts?.some((f) => f.defaultBuild) ?? true),
  );
}

/** The name `go build` gives a main package's binary: its directory's last element, or the module's. */
export function binaryName(project: ProjectModel, pkg: GoPackage): string {
  const path = pkg.importPath.split('/');
  let last = path[path.length - 1] ?? pkg.dir;
  if (/^v\d+$/.test(last) && path.length > 1) last = path[path.length - 2]!;
  return last || (project.goMod?.module.split('/').pop() ?? pkg.dir);
}
