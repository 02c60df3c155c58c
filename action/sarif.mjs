/**
 * Code scanning reads a SARIF artifact's relative URI from the repository root and ignores
 * originalUriBaseIds, while goimg's URIs are relative to the audited directory: rebase them
 * onto the workspace.
 */
import { pathToFileURL } from 'node:url';

/** `a b/c` → `a%20b/c`: a relative path as a URI reference. */
function uriOf(path) {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * @param {any} log a SARIF log from `goimg ... --format sarif`
 * @param {string} workspace the repository root (absolute)
 * @param {string} prefix the audited directory relative to it, `/`-separated ('' for the root)
 */
export function rebaseSarif(log, workspace, prefix) {
  const base = prefix === '' || prefix === '.' ? '' : `${uriOf(prefix.replace(/\/+$/, ''))}/`;
  const rebase = (loc) => {
    if (loc?.uriBaseId === 'SRCROOT') loc.uri = `${base}${loc.uri}`;
  };
  for (const run of log.runs ?? []) {
    for (const result of run.results ?? []) {
      for (const l of result.locations ?? []) rebase(l.physicalLocation?.artifactLocation);
      for (const fix of result.fixes ?? [])
        for (const c of fix.artifactChanges ?? []) rebase(c.artifactLocation);
    }
    if (run.originalUriBaseIds?.SRCROOT) {
      const root = pathToFileURL(workspace).href;
      run.originalUriBaseIds.SRCROOT.uri = root.endsWith('/') ? root : `${root}/`;
    }
  }
  return log;
}
