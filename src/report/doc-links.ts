/**
 * Where a finding's rule documentation is. The page, docs/rules.md, ships in the package; a web
 * link exists only when package.json names the project's repository (or homepage), so links are
 * built from that field and never from an assumed address. Without one, text output names the
 * page inside the installed package, and SARIF and GitHub annotations carry no link.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ruleDocsUrl } from '../rules/catalog.js';

/** The package.json fields links are built from. */
export interface PackageLinks {
  homepage?: unknown;
  repository?: unknown;
}

/** `git+https://host/o/r.git`, `github:o/r`, `o/r`, `{url}` → `https://host/o/r`; else undefined. */
export function repositoryUrl(repository: unknown): string | undefined {
  const raw =
    typeof repository === 'string'
      ? repository
      : repository &&
          typeof repository === 'object' &&
          typeof (repository as { url?: unknown }).url === 'string'
        ? (repository as { url: string }).url
        : undefined;
  if (raw === undefined) return undefined;
  const shorthand = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(raw.trim());
  if (shorthand) {
    const host =
      shorthand[1] === 'gitlab'
        ? 'gitlab.com'
        : shorthand[1] === 'bitbucket'
          ? 'bitbucket.org'
          : 'github.com';
    return `https://${host}/${shorthand[2]?.replace(/\.git$/, '')}`;
  }
  const m = /^(?:git\+)?(https?:\/\/[^\s#?]+?)(?:\.git)?\/?$/.exec(raw.trim());
  return m?.[1];
}

function webUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\/\S+$/.test(value) ? value.replace(/\/+$/, '') : undefined;
}

/** The project's web address: its repository, else its homepage. */
export function projectUrl(pkg: PackageLinks): string | undefined {
  return repositoryUrl(pkg.repository) ?? webUrl(pkg.homepage);
}

/** The web address of a rule's section of docs/rules.md: only with a repository to point into. */
export function ruleWebUrl(id: string, pkg: PackageLinks): string | undefined {
  const repo = repositoryUrl(pkg.repository);
  return repo === undefined ? undefined : `${repo}/blob/HEAD/${ruleDocsUrl(id)}`;
}

interface Installed {
  root: string;
  pkg: PackageLinks;
}

let installed: Installed | null | undefined;

/** This package's own directory and package.json (by its name, so the bundle finds it too). */
function installedPackage(): Installed | null {
  if (installed !== undefined) return installed;
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve('goimg/package.json');
    installed = { root: dirname(file), pkg: require(file) as PackageLinks };
  } catch {
    installed = null;
  }
  return installed;
}

/** The installed package's links (none when package.json cannot be read). */
export function packageLinks(): PackageLinks {
  return installedPackage()?.pkg ?? {};
}

const shipped = new Map<string, boolean>();

/** `/…/goimg/docs/rules.md#ID` when the page is there, for people reading text output. */
export function localRuleDoc(id: string): string | undefined {
  const found = installedPackage();
  if (!found) return undefined;
  const [file = '', anchor] = ruleDocsUrl(id).split('#');
  const path = join(found.root, file);
  let exists = shipped.get(path);
  if (exists === undefined) {
    exists = existsSync(path);
    shipped.set(path, exists);
  }
  return exists ? `${path}${anchor ? `#${anchor}` : ''}` : undefined;
}

/** The link text output shows: the web page when there is one, else the page in the package. */
export function ruleDocLink(id: string, pkg: PackageLinks = packageLinks()): string | undefined {
  return ruleWebUrl(id, pkg) ?? localRuleDoc(id);
}
