/**
 * `ignore:` globs from `.goimg.yaml`, matched against finding paths (relative to the audited
 * directory, forward slashes). `*` and `?` stay within a path segment, `**` spans segments, a
 * pattern without `/` matches a name at any depth, and a match on a directory covers what is
 * inside it (like .gitignore).
 */

function globToRegExp(pattern: string): RegExp {
  let p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = p.startsWith('/') || p.replace(/\/$/, '').includes('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` everything below.
      if (p[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
}

export function compileIgnore(patterns: readonly string[]): (path: string) => boolean {
  const res = patterns.filter((p) => p.trim() !== '').map(globToRegExp);
  return (path) => {
    const p = path.replace(/\\/g, '/').replace(/^\.?\/+/, '');
    return res.some((re) => re.test(p));
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
