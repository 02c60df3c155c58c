/**
 * Go's path.Match pattern as a RegExp: `*` and `?` stay within one path element, `[...]` classes
 * (`^` negates), `\\` escapes. A malformed class matches nothing, as Go rejects it.
 * Hand-written because COPY sources follow Go's rules, not shell globs: picomatch reads `[!a]`
 * and a leading `!` as negations and `{a,b}` as alternatives, where Go sees literal characters.
 */
export function pathMatchRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('^') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return /$^/; // a malformed class ("[z-a]"): Go's path.Match rejects it, it matches nothing
  }
}
