/**
 * SPDX 2.3 JSON from a Go binary's build info, as `go version -m` prints it: the main module,
 * every dependency (replacements resolved to what was really built) and the Go standard library.
 */
import { spawnSync } from 'node:child_process';
import { EnvironmentError } from '../core/errors.js';
import type { GoToolchain } from '../env/go-toolchains.js';

export interface GoModuleInfo {
  path: string;
  version: string;
  sum?: string;
  /** Set when a `=>` line replaced this module. */
  replacedBy?: { path: string; version: string; sum?: string };
}

export interface GoBuildInfo {
  goVersion: string;
  path: string;
  main?: GoModuleInfo;
  deps: GoModuleInfo[];
  settings: Record<string, string>;
}

/** Parses `go version -m FILE` output (tab-separated lines after the first). */
export function parseGoVersionM(text: string): GoBuildInfo {
  const lines = text.split('\n');
  const head = /:\s+(go\S+)\s*$/.exec(lines[0] ?? '');
  const info: GoBuildInfo = { goVersion: head?.[1] ?? 'unknown', path: '', deps: [], settings: {} };
  let last: GoModuleInfo | undefined;
  for (const line of lines.slice(1)) {
    const f = line.replace(/^\t/, '').split('\t');
    const [kind, a = '', b = '', c] = f;
    if (kind === 'path') info.path = a;
    else if (kind === 'mod') {
      info.main = { path: a, version: b, ...(c ? { sum: c } : {}) };
      last = info.main;
    } else if (kind === 'dep') {
      last = { path: a, version: b, ...(c ? { sum: c } : {}) };
      info.deps.push(last);
    } else if (kind === '=>' && last) last.replacedBy = { path: a, version: b, ...(c ? { sum: c } : {}) };
    else if (kind === 'build') {
      const eq = a.indexOf('=');
      if (eq > 0) info.settings[a.slice(0, eq)] = a.slice(eq + 1);
    }
  }
  return info;
}

export function readBuildInfo(toolchain: GoToolchain, binary: string): GoBuildInfo {
  const r = spawnSync(toolchain.go, ['version', '-m', binary], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  if (r.status !== 0) throw new EnvironmentError(`go version -m ${binary} failed: ${r.stderr.trim()}`);
  return parseGoVersionM(r.stdout);
}

function spdxId(text: string): string {
  return `SPDXRef-Package-${text.replace(/[^A-Za-z0-9.-]/g, '-')}`;
}

function purl(path: string, version: string): string {
  const encoded = path
    .split('/')
    .map((s) => encodeURIComponent(s.toLowerCase()))
    .join('/');
  return version && version !== '(devel)'
    ? `pkg:golang/${encoded}@${encodeURIComponent(version)}`
    : `pkg:golang/${encoded}`;
}

interface SpdxPackage {
  name: string;
  SPDXID: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: false;
  supplier?: string;
  externalRefs: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[];
  comment?: string;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

/**
 * The SBOM of one binary. `created` and `namespaceKey` come from the build (SOURCE_DATE_EPOCH and
 * the image digest) so the document is as reproducible as the image it describes.
 */
export interface SpdxOptions {
  name: string;
  created: string;
  namespaceKey: string;
  toolVersion: string;
}

export function spdxFromBuildInfo(info: GoBuildInfo, options: SpdxOptions, platform?: string): SpdxDocument {
  const mainPath = info.main?.path ?? info.path;
  const mainId = spdxId(`main-${mainPath}${platform ? `-${platform}` : ''}`);
  const mainPkg: SpdxPackage = {
    name: mainPath,
    SPDXID: mainId,
    ...(info.main?.version ? { versionInfo: info.main.version } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    externalRefs: [
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: purl(mainPath, info.main?.version ?? ''),
      },
    ],
    comment: `main package ${info.path}${platform ? ` built for ${platform}` : ''}`,
  };
  const stdVersion = info.goVersion.replace(/^go/, '');
  const stdPkg: SpdxPackage = {
    name: 'stdlib',
    SPDXID: spdxId('stdlib'),
    versionInfo: info.goVersion,
    downloadLocation: 'https://go.dev/dl/',
    filesAnalyzed: false,
    externalRefs: [
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: `pkg:golang/stdlib@${stdVersion}`,
      },
    ],
  };
  const depPkgs = info.deps.map((d): SpdxPackage => {
    const built = d.replacedBy ?? d;
    return {
      name: d.path,
      SPDXID: spdxId(`${d.path}-${d.version}`),
      versionInfo: d.version,
      downloadLocation: d.version.startsWith('v')
        ? `https://proxy.golang.org/${d.path.toLowerCase()}/@v/${d.version}.zip`
        : 'NOASSERTION',
      filesAnalyzed: false,
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: purl(d.path, d.version),
        },
      ],
      ...(d.replacedBy || built.sum
        ? {
            comment: [
              d.replacedBy ? `replaced by ${built.path} ${built.version}` : '',
              built.sum ? `go.sum ${built.sum}` : '',
            ]
              .filter(Boolean)
              .join('; '),
          }
        : {}),
    };
  });
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: options.name,
    documentNamespace: `https://goimg.invalid/spdx/${encodeURIComponent(options.name)}/${options.namespaceKey}`,
    creationInfo: { created: options.created, creators: [`Tool: goimg-${options.toolVersion}`] },
    packages: [mainPkg, stdPkg, ...depPkgs],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: mainId },
      { spdxElementId: mainId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: stdPkg.SPDXID },
      ...depPkgs.map((p) => ({
        spdxElementId: mainId,
        relationshipType: 'DEPENDS_ON',
        relatedSpdxElement: p.SPDXID,
      })),
    ],
  };
}

/**
 * One document for the binaries of every platform of an image. A single platform gives exactly
 * spdxFromBuildInfo's document; several give one main package per platform (each DESCRIBED, each
 * DEPENDS_ON its own modules), with the modules they share listed once.
 */
export function spdxForBinaries(
  binaries: readonly { platform: string; info: GoBuildInfo }[],
  options: SpdxOptions,
): SpdxDocument {
  if (binaries.length === 1) return spdxFromBuildInfo(binaries[0]!.info, options);
  const docs = binaries.map((b) => spdxFromBuildInfo(b.info, options, b.platform));
  const packages = new Map<string, SpdxPackage>();
  const relationships = new Map<string, SpdxDocument['relationships'][number]>();
  for (const doc of docs) {
    for (const p of doc.packages) if (!packages.has(p.SPDXID)) packages.set(p.SPDXID, p);
    for (const r of doc.relationships)
      relationships.set(`${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`, r);
  }
  return { ...docs[0]!, packages: [...packages.values()], relationships: [...relationships.values()] };
}
