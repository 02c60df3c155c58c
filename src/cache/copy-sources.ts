/**
 * Which context files a COPY/ADD source selects, with Docker's semantics: a source is a path
 * relative to the context root (a leading "/" or "./" changes nothing), may hold Go
 * filepath.Match wildcards (*, ?, [...]) in any segment, and a matched directory brings
 * everything below it.
 */

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('^')) body = `!${body.slice(1)}`;
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else if (c === '\\' && i + 1 < segment.length) {
      re += `\\${segment[++i]}`;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Normalises a COPY source to segments; "." or "" means the whole context. */
export function sourceSegments(source: string): string[] {
  const parts: string[] = [];
  for (const seg of source.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts;
}

export type SourceMatcher = (path: string) => boolean;

/** A predicate telling whether a context-relative file path is selected by `source`. */
export function copySourceMatcher(source: string): SourceMatcher {
  const segments = sourceSegments(source);
  if (segments.length === 0) return () => true;
  const hasGlob = segments.some((s) => /[*?[\\]/.test(s));
  if (!hasGlob) {
    const prefix = segments.join('/');
    return (path) => path === prefix || path.startsWith(`${prefix}/`);
  }
  const regexes = segments.map(segmentRegex);
  return (path) => {
    const parts = path.split('/');
    if (parts.length < regexes.length) return false;
    return regexes.every((re, i) => re.test(parts[i]!));
  };
}
