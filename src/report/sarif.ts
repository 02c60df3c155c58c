/**
 * SARIF 2.1.0 (OASIS) for code scanning: one run, the whole rule catalog as tool.driver.rules,
 * one result per finding. Source findings get a physical location with a 1-based region
 * (endColumn exclusive, as in goimg's findings and in SARIF); image findings name the path
 * inside the image as an artifact under the IMAGEROOT base plus a logical location.
 */
import { type Finding, type Severity, sortFindings } from '../core/finding.js';
import type { Fix } from '../fix/edit.js';
import { RULES, ruleDocsUrl } from '../rules/catalog.js';
import { type PackageLinks, packageLinks, projectUrl, ruleWebUrl } from './doc-links.js';

const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'info' ? 'note' : severity;
}

export interface SarifOptions {
  toolVersion: string;
  /** Absolute directory the findings' files are relative to; declared as the SRCROOT base. */
  root?: string;
  /** The image reference image findings come from. */
  image?: string;
  /** Where links come from (default: this package's package.json); no address, no links. */
  links?: PackageLinks;
}

interface SarifMessage {
  text: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  helpUri?: string;
  help: SarifMessage & { markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { category: string; scope: string; fixable: boolean; tags: string[] };
}

export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifLocation {
  physicalLocation?: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: SarifRegion;
  };
  logicalLocations?: { name?: string; fullyQualifiedName: string; kind: string }[];
}

export interface SarifFix {
  description: SarifMessage;
  artifactChanges: {
    artifactLocation: { uri: string; uriBaseId: string };
    replacements: {
      deletedRegion: { charOffset: number; charLength: number };
      insertedContent: { text: string };
    }[];
  }[];
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  fixes?: SarifFix[];
  properties?: { fixable: boolean };
}

/** A finding as the audit engine returns it, with the fix it proposes. */
export type FindingWithFix = Finding & { fix?: Fix };

/**
 * The fix as SARIF replacements: goimg's edits are offsets into the original text, which are
 * SARIF's charOffset/charLength (UTF-16 code units, as the run's columnKind says). A created
 * file is an insertion at offset 0 of an artifact that does not exist yet.
 */
function sarifFix(fix: Fix): SarifFix {
  const byFile = new Map<string, SarifFix['artifactChanges'][number]>();
  for (const edit of fix.edits) {
    let change = byFile.get(edit.file);
    if (!change) {
      change = { artifactLocation: { uri: relativeUri(edit.file), uriBaseId: 'SRCROOT' }, replacements: [] };
      byFile.set(edit.file, change);
    }
    const [charOffset, charLength] = edit.kind === 'replace' ? [edit.start, edit.end - edit.start] : [0, 0];
    change.replacements.push({
      deletedRegion: { charOffset, charLength },
      insertedContent: { text: edit.text },
    });
  }
  return { description: { text: fix.description }, artifactChanges: [...byFile.values()] };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        semanticVersion: string;
        informationUri?: string;
        rules: SarifRule[];
      };
    };
    originalUriBaseIds?: Record<string, { uri?: string; description?: SarifMessage }>;
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

/** `no-trimpath` → `NoTrimpath`: SARIF's human-readable rule name. */
function ruleName(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function sarifRules(links: PackageLinks): SarifRule[] {
  return RULES.map((r) => {
    const url = ruleWebUrl(r.id, links);
    // Without a web address the help names the page inside the goimg package.
    const where = url ?? `${ruleDocsUrl(r.id)} in the goimg package`;
    return {
      id: r.id,
      name: ruleName(r.id),
      shortDescription: { text: r.title },
      fullDescription: { text: r.why },
      ...(url !== undefined ? { helpUri: url } : {}),
      help: {
        text: `${r.why} See ${where}.`,
        markdown: `${r.why}\n\n${url !== undefined ? `[${r.id}](${url})` : `See \`${where}\`.`}`,
      },
      defaultConfiguration: { level: sarifLevel(r.severity) },
      properties: { category: r.category, scope: r.scope, fixable: r.fixable, tags: [r.category] },
    };
  });
}

/** A relative path as a URI reference: each segment percent-encoded, separators kept. */
function relativeUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function directoryUri(abs: string): string {
  const posixPath = abs.replace(/\\/g, '/');
  const withSlash = posixPath.endsWith('/') ? posixPath : `${posixPath}/`;
  return `file://${withSlash.startsWith('/') ? '' : '/'}${relativeUri(withSlash)}`;
}

function location(f: Finding, image: string | undefined): SarifLocation[] {
  if (f.file !== undefined) {
    const region: SarifRegion = { startLine: f.line ?? 1 };
    if (f.column !== undefined) region.startColumn = f.column;
    if (f.endLine !== undefined) region.endLine = f.endLine;
    if (f.endColumn !== undefined) region.endColumn = f.endColumn;
    return [
      { physicalLocation: { artifactLocation: { uri: relativeUri(f.file), uriBaseId: 'SRCROOT' }, region } },
    ];
  }
  if (f.path !== undefined) {
    const inImage = f.path.replace(/^\/+/, '');
    const name = inImage.split('/').pop() || '/';
    return [
      {
        physicalLocation: { artifactLocation: { uri: relativeUri(inImage), uriBaseId: 'IMAGEROOT' } },
        logicalLocations: [
          { name, fullyQualifiedName: image ? `${image}:${f.path}` : f.path, kind: 'resource' },
        ],
      },
    ];
  }
  if (image !== undefined) return [{ logicalLocations: [{ fullyQualifiedName: image, kind: 'module' }] }];
  return [];
}

export function sarifLog(findings: readonly Finding[], options: SarifOptions): SarifLog {
  const links = options.links ?? packageLinks();
  const informationUri = projectUrl(links);
  const rules = sarifRules(links);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = sortFindings(findings).map((f): SarifResult => {
    const i = index.get(f.rule);
    const fix = (f as FindingWithFix).fix;
    return {
      ruleId: f.rule,
      ...(i !== undefined ? { ruleIndex: i } : {}),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: location(f, options.image),
      ...(fix && fix.edits.length > 0 ? { fixes: [sarifFix(fix)] } : {}),
      properties: { fixable: f.fixable ?? false },
    };
  });
  const run: SarifLog['runs'][number] = {
    tool: {
      driver: {
        name: 'goimg',
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        ...(informationUri !== undefined ? { informationUri } : {}),
        rules,
      },
    },
    columnKind: 'utf16CodeUnits',
    results,
  };
  const bases: Record<string, { uri?: string; description?: SarifMessage }> = {};
  if (options.root !== undefined) bases.SRCROOT = { uri: directoryUri(options.root) };
  if (findings.some((f) => f.file === undefined && f.path !== undefined)) {
    // No uri: the image's filesystem has no location on the host (SARIF 3.14.14).
    bases.IMAGEROOT = {
      description: { text: `The root of the image filesystem${options.image ? ` of ${options.image}` : ''}` },
    };
  }
  if (Object.keys(bases).length > 0) run.originalUriBaseIds = bases;
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

export function renderSarif(findings: readonly Finding[], options: SarifOptions): string {
  return `${JSON.stringify(sarifLog(findings, options), null, 2)}\n`;
}
