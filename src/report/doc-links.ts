/**
 * Web links to a rule's documentation, for SARIF and GitHub annotations. A link exists only when
 * package.json names the project's repository (or homepage), so links are built from that field
 * and never from an assumed address; without one they carry no link. Text output needs none: it
 * points to `goimg explain RULE`, which works offline.
 */
import { createRequire } from 'node:module';
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

let installed: PackageLinks | undefined;

/** The installed package's links, read by its own name so the bundle finds it too (none when unreadable). */
export function packageLinks(): PackageLinks {
  if (installed !== undefined) return installed;
  try {
    installed = createRequire(import.meta.url)('goimg/package.json') as PackageLinks;
  } catch {
    installed = {};
  }
  return installed;
}
