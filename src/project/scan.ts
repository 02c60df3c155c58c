/**
 * scanProject(): reads a Go project from its files (no Go toolchain needed) into a ProjectModel.
 * I/O happens here; each file is read once, its header lexed, and its body tokenised only
 * when it imports something whose use goimg looks for.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, posix, relative, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { buildsForLinux, mentionsCustomTag } from './buildtags.js';
import { readEmbeds, readHeader, tokenize } from './golex.js';
import { parseGoMod, parseGoWork } from './gomod.js';
import {
  findCgoOnly,
  findRootModule,
  isTlsClientModule,
  NET_USING_STD,
  runsGoTool,
  USER_USING_STD,
} from './known.js';
import {
  type CgoEvidence,
  compilesC,
  type GoFileFacts,
  type GoModFile,
  type GoPackage,
  type ProjectModel,
  type SourceEvidence,
} from './model.js';
import { analyseTokens, fileNeedsTokens, localNames } from './needs.js';
import { scanVendor, type VendorFacts } from './vendor.js';
import { walkGoDirs } from './walk.js';

const NET_SET = new Set(NET_USING_STD);
const USER_SET = new Set(USER_USING_STD);

/** What one package contributes to the project's needs. */
interface PackageFacts {
  pkg: GoPackage;
  cgo: CgoEvidence[];
  tls: SourceEvidence[];
  tlsConfigOnly: SourceEvidence[];
  tlsServer: boolean;
  /** A file of the package builds a TLS client that does without the system's CA bundle. */
  noSystemRoots?: boolean;
  tz: SourceEvidence[];
  ports: (SourceEvidence & { port: number })[];
  runtimeFiles: SourceEvidence[];
  tzdata: boolean;
  /** The package reads the VCS build settings go build stamps: the commit, or also whether the tree was modified. */
  vcs: false | 'stamp' | 'modified';
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what}: ${(err as Error).message}`);
  }
}

/** Joins a path written in a go.mod/go.work (relative to `baseDir`) to a root-relative path. */
function rootRelative(root: string, baseDir: string, p: string): string {
  const abs = isAbsolute(p) ? p : resolve(root, baseDir, p.replace(/\\/g, '/'));
  const rel = relative(root, abs).split('\\').join('/');
  return rel === '' ? '.' : rel;
}

function dirOf(file: string): string {
  const d = posix.dirname(file);
  return d === '' ? '.' : d;
}

function pushOnce<T>(list: T[], item: T): void {
  if (!list.includes(item)) list.push(item);
}

export async function scanProject(root: string): Promise<ProjectModel> {
  const started = performance.now();
  const absRoot = resolve(root);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(absRoot);
  } catch {
    throw new InputError(`project directory ${root} does not exist`);
  }
  if (!st.isDirectory())
    throw new InputError(`${root} is not a directory`, 'pass the directory that holds go.mod');

  const dirs = walkGoDirs(absRoot);

  // Modules: every go.mod found, the root's first.
  const modules: GoModFile[] = [];
  const moduleDirs = new Map<string, GoModFile>();
  for (const d of dirs) {
    if (!d.hasGoMod) continue;
    const file = d.dir === '.' ? 'go.mod' : `${d.dir}/go.mod`;
    const text = readText(resolve(absRoot, file), file);
    let mod: GoModFile;
    try {
      mod = parseGoMod(text, file);
    } catch (err) {
      // A nested go.mod still fences its directory off from the module above, even when it is
      // empty (a common way to hide a folder from `go build ./...`) or does not parse: only
      // the root's own go.mod is essential to the scan.
      if (d.dir === '.' || !(err instanceof InputError)) throw err;
      mod = { file, module: '', requires: [], replaces: [], excludes: [] };
    }
    modules.push(mod);
    moduleDirs.set(d.dir, mod);
  }
  const goMod = moduleDirs.get('.');
  const goWork = existsSync(resolve(absRoot, 'go.work'))
    ? parseGoWork(readText(resolve(absRoot, 'go.work'), 'go.work'), 'go.work')
    : undefined;

  const localReplaceDirs: string[] = [];
  const workUseDirs = goWork ? goWork.uses.map((u) => rootRelative(absRoot, '.', u)) : [];
  // Modules that are part of the build: the workspace's, or the root module, plus local replaces.
  const buildModuleDirs = new Set<string>(goWork ? workUseDirs : goMod ? ['.'] : [...moduleDirs.keys()]);
  for (const r of goWork?.replaces ?? [])
    if (r.local) pushOnce(localReplaceDirs, rootRelative(absRoot, '.', r.newPath));
  for (const dir of [...buildModuleDirs]) {
    const mod = moduleDirs.get(dir);
    for (const r of mod?.replaces ?? []) {
      if (r.local) pushOnce(localReplaceDirs, rootRelative(absRoot, dirOf(mod!.file), r.newPath));
    }
  }
  for (const d of localReplaceDirs) buildModuleDirs.add(d);

  const ownerOf = (dir: string): string | undefined => {
    for (let d = dir; ; d = dirOf(d)) {
      if (moduleDirs.has(d)) return d;
      if (d === '.') return undefined;
    }
  };

  let goFiles = 0;
  let bytes = 0;
  const facts: PackageFacts[] = [];
  for (const d of dirs) {
    if (d.goFiles.length === 0) continue;
    const owner = ownerOf(d.dir);
    const mod = owner === undefined ? undefined : moduleDirs.get(owner);
    let importPath = d.dir;
    if (mod && owner !== undefined) {
      const sub = owner === '.' ? d.dir : d.dir === owner ? '.' : d.dir.slice(owner.length + 1);
      importPath = sub === '.' ? mod.module : `${mod.module}/${sub}`;
    }
    const pkg: GoPackage = { dir: d.dir, importPath, name: '', files: [], imports: [], embeds: [] };
    if (mod) pkg.module = mod.module;
    const f: PackageFacts = {
      pkg,
      cgo: [],
      tls: [],
      tlsConfigOnly: [],
      tlsServer: false,
      tz: [],
      ports: [],
      runtimeFiles: [],
      tzdata: false,
      vcs: false,
    };
    const testFiles: string[] = [];
    const fileFacts: GoFileFacts[] = [];
    let taggedName = '';
    for (const name of d.goFiles) {
      const rel = d.dir === '.' ? name : `${d.dir}/${name}`;
      // Tests never shape the image: list them by name without reading them.
      if (name.endsWith('_test.go')) {
        if (buildsForLinux(name, undefined, [])) testFiles.push(name);
        continue;
      }
      const src = readText(resolve(absRoot, rel), rel);
      goFiles++;
      bytes += src.length;
      const h = readHeader(src);
      if (h.packageName === undefined) continue;
      const defaultBuild = buildsForLinux(name, h.goBuild, h.plusBuild);
      // A file behind a custom tag (`//go:build sqlite`) is part of builds that set it.
      if (!defaultBuild && !mentionsCustomTag(h.goBuild, h.plusBuild)) continue;
      const ff: GoFileFacts = {
        name,
        defaultBuild,
        imports: [],
        cgo: [],
        tls: [],
        tlsConfigOnly: [],
        tlsServer: false,
        tz: [],
        tzdata: false,
      };
      if (h.goBuild !== undefined) ff.goBuild = h.goBuild;
      else if (h.plusBuild.length > 0) ff.plusBuild = h.plusBuild;
      fileFacts.push(ff);
      if (taggedName === '' && h.packageName !== 'documentation') taggedName = h.packageName;
      const root: SourceEvidence[] = [];
      const goTool: SourceEvidence[] = [];
      const writes: SourceEvidence[] = [];
      for (const imp of h.imports) {
        pushOnce(ff.imports, imp.path);
        const ev = (kind: CgoEvidence['kind']): CgoEvidence => ({
          kind,
          package: importPath,
          file: rel,
          line: imp.line,
          via: imp.path,
        });
        if (imp.path === 'C') ff.cgo.push(ev('import-c'));
        // A network client library links net, and with it the cgo DNS resolver.
        else if (NET_SET.has(imp.path) || isTlsClientModule(imp.path)) ff.cgo.push(ev('net'));
        else if (USER_SET.has(imp.path)) ff.cgo.push(ev('os-user'));
        else if (findCgoOnly(imp.path)) ff.cgo.push(ev('cgo-module'));
        if (imp.path === 'time/tzdata') ff.tzdata = true;
        if (isTlsClientModule(imp.path)) {
          ff.tls.push({ kind: 'tls-client-module', detail: imp.path, file: rel, line: imp.line });
        }
        if (runsGoTool(imp.path))
          goTool.push({ kind: 'go-packages', detail: imp.path, file: rel, line: imp.line });
        const rootModule = findRootModule(imp.path);
        if (rootModule)
          root.push({
            kind: 'root-module',
            detail: `${imp.path} (${rootModule.why})`,
            file: rel,
            line: imp.line,
          });
      }
      // Build info read whole (handed to a version helper, or its Main.Version, which Go 1.24
      // sets from the commit) may carry the stamp too.
      if (defaultBuild && src.includes('ReadBuildInfo()')) f.vcs ||= 'stamp';
      if (defaultBuild && src.includes('"vcs.')) {
        if (/"vcs\.(?:revision|time)"/.test(src)) f.vcs ||= 'stamp';
        if (src.includes('"vcs.modified"')) f.vcs = 'modified';
      }
      if (fileNeedsTokens(h.imports, src)) {
        const needs = analyseTokens(rel, tokenize(src), localNames(h.imports));
        for (const e of needs.tls) (e.kind === 'tls-config' ? ff.tlsConfigOnly : ff.tls).push(e);
        ff.tlsServer = needs.tlsServer;
        // A file whose TLS client verifies nothing (InsecureSkipVerify: true) or trusts only the
        // roots it adds was written to do without the system's CA bundle: its clients, URLs and
        // client libraries show no need for one.
        if (needs.noSystemRoots) {
          ff.noSystemRoots = true;
          ff.tls = [];
          ff.tlsConfigOnly = [];
          f.noSystemRoots = true;
        }
        ff.tz.push(...needs.tz);
        root.push(...needs.root);
        goTool.push(...needs.goTool);
        writes.push(...needs.writes);
        if (defaultBuild) f.ports.push(...needs.ports);
        if (defaultBuild) f.runtimeFiles.push(...needs.runtimeFiles);
      }
      if (root.length > 0) ff.root = root;
      if (goTool.length > 0) ff.goTool = goTool;
      if (writes.length > 0) ff.writes = writes;
      if (!defaultBuild) continue;
      pkg.files.push(name);
      if (pkg.name === '' || pkg.name === 'documentation') pkg.name = h.packageName;
      for (const p of ff.imports) pushOnce(pkg.imports, p);
      f.cgo.push(...ff.cgo);
      f.tls.push(...ff.tls);
      f.tlsConfigOnly.push(...ff.tlsConfigOnly);
      f.tlsServer ||= ff.tlsServer;
      f.tz.push(...ff.tz);
      f.tzdata ||= ff.tzdata;
      for (const e of readEmbeds(src)) for (const p of e.patterns) pushOnce(pkg.embeds, p);
    }
    if (fileFacts.length > 0) {
      pkg.fileFacts = fileFacts;
      // A package whose every file sits behind a custom tag still has a name.
      if (pkg.name === '') pkg.name = taggedName;
    }
    if (testFiles.length > 0) pkg.testFiles = testFiles;
    if (pkg.files.length > 0 || testFiles.length > 0 || fileFacts.length > 0) facts.push(f);
  }

  const inBuild = (f: PackageFacts): boolean => {
    if (f.pkg.files.length === 0) return false;
    const owner = ownerOf(f.pkg.dir);
    return owner === undefined ? !goMod && !goWork : buildModuleDirs.has(owner);
  };
  const built = facts.filter(inBuild);
  for (const f of facts) {
    const owner = ownerOf(f.pkg.dir);
    f.pkg.inBuild = owner === undefined ? !goMod && !goWork : buildModuleDirs.has(owner);
  }
  // Main packages first: their ports and needs are the program's own.
  built.sort((a, b) => Number(b.pkg.name === 'main') - Number(a.pkg.name === 'main'));

  const cgoEvidence: CgoEvidence[] = [];
  for (const dir of buildModuleDirs) {
    const mod = moduleDirs.get(dir);
    for (const r of mod?.requires ?? []) {
      if (findCgoOnly(r.path)) {
        cgoEvidence.push({
          kind: 'cgo-module',
          package: mod!.module,
          file: mod!.file,
          line: r.line,
          via: r.path,
        });
      }
    }
  }
  const tlsEvidence: SourceEvidence[] = [];
  const timeZoneEvidence: SourceEvidence[] = [];
  const runtimeFiles: SourceEvidence[] = [];
  const portEvidence: (SourceEvidence & { port: number })[] = [];
  const ports: number[] = [];
  let embedsTzdata = false;
  let readsVcsStamp: false | 'stamp' | 'modified' = false;
  const embedPaths: string[] = [];
  for (const f of built) {
    // One cgo evidence per package and kind is enough to explain the verdict.
    for (const e of f.cgo) {
      if (!cgoEvidence.some((c) => c.package === e.package && c.kind === e.kind)) cgoEvidence.push(e);
    }
    tlsEvidence.push(...f.tls);
    // A tls.Config in a package that serves certificates is server-side: no CA bundle needed.
    if (!f.tlsServer) tlsEvidence.push(...f.tlsConfigOnly);
    timeZoneEvidence.push(...f.tz);
    runtimeFiles.push(...f.runtimeFiles);
    for (const p of f.ports) {
      portEvidence.push(p);
      pushOnce(ports, p.port);
    }
    embedsTzdata ||= f.tzdata;
    if (f.vcs && readsVcsStamp !== 'modified') readsVcsStamp = f.vcs;
    for (const e of f.pkg.embeds) {
      const pattern = e.replace(/^all:/, '');
      pushOnce(embedPaths, f.pkg.dir === '.' ? pattern : `${f.pkg.dir}/${pattern}`);
    }
  }

  // Dependencies we can read: vendored sources.
  const modulesTxt = resolve(absRoot, 'vendor', 'modules.txt');
  let vendor: VendorFacts | undefined;
  if (existsSync(modulesTxt)) {
    vendor = scanVendor(absRoot, readText(modulesTxt, 'vendor/modules.txt'));
    for (const e of vendor.cgo) {
      if (!cgoEvidence.some((c) => c.kind === e.kind && c.via === e.via && c.package === e.package))
        cgoEvidence.push(e);
    }
    tlsEvidence.push(...vendor.tls);
  }
  // Such a client is what the program hands its client libraries (see closure.ts).
  const tls = built.some((f) => f.noSystemRoots)
    ? tlsEvidence.filter((e) => e.kind !== 'tls-client-module')
    : tlsEvidence;

  const model: ProjectModel = {
    root: absRoot,
    hasGoSum: existsSync(resolve(absRoot, 'go.sum')),
    vendored: vendor !== undefined,
    mainPackages: built.filter((f) => f.pkg.name === 'main').map((f) => f.pkg.dir),
    packages: facts.map((f) => f.pkg),
    cgoRequired: cgoEvidence.some((e) => compilesC(e) && !e.optional),
    cgoEvidence,
    usesTls: tls.length > 0,
    loadsTimeZones: timeZoneEvidence.length > 0,
    embedsTzdata,
    ...(readsVcsStamp ? { readsVcsStamp } : {}),
    ports,
    localReplaceDirs,
    modules,
    workUseDirs,
    tlsEvidence: tls,
    timeZoneEvidence,
    ...(runtimeFiles.length > 0 ? { runtimeFiles } : {}),
    portEvidence,
    embedPaths,
    stats: { goFiles, bytes, millis: Math.round(performance.now() - started) },
  };
  if (vendor) {
    model.vendorModules = vendor.modules.map((m) => {
      const v: { path: string; version?: string; packages: string[] } = {
        path: m.path,
        packages: m.packages,
      };
      if (m.version !== undefined) v.version = m.version;
      return v;
    });
    model.vendorPackages = vendor.packages;
  }
  if (goMod) model.goMod = goMod;
  if (goWork) model.goWork = goWork;
  model.mainPackages.sort();
  return model;
}
