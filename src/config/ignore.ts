/**
 * `ignore:` globs from `.goimg.yaml`, matched against finding paths (relative to the audited
 * directory, forward slashes) with picomatch: `*` and `?` stay within a path segment, `**` spans
 * segments, `{a,b}` alternates, a pattern without `/` in the middle matches a name at any depth,
 * a leading `/` anchors it, and a match on a directory covers what is inside it (like .gitignore).
 */
import picomatch from 'picomatch';

function ignoreMatcher(pattern: string): (path: string) => boolean {
  let p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = p.startsWith('/') || p.replace(/\/$/, '').includes('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  const base = anchored ? p : `**/${p}`;
  return picomatch([base, `${base}/**`], { dot: true });
}

export function compileIgnore(patterns: readonly string[]): (path: string) => boolean {
  const matchers = patterns.filter((p) => p.trim() !== '').map(ignoreMatcher);
  return (path) => {
    const p = path.replace(/\\/g, '/').replace(/^\.?\/+/, '');
    return matchers.some((m) => m(p));
  };
}

/** Removes findings whose file (or image path) matches one of the patterns. */
export function filterIgnored<T extends { file?: string; path?: string }>(
  findings: readonly T[],
  patterns: readonly string[],
): T[] {
  if (patterns.length === 0) return [...findings];
  const ignored = compileIgnore(patterns);
  return findings.filter((f) => {
    const where = f.file ?? f.path;
    return where === undefined || !ignored(where);
  });
}
