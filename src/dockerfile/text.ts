/**
 * Character classes and string helpers with the exact semantics BuildKit's parser relies on
 * (Go's unicode.IsSpace, strings.TrimSpace, regexp `[\t\v\f\r ]+`, strconv.Quote), written
 * without regular expressions on user text so every helper runs in linear time.
 */

/** Go's unicode.IsSpace for one UTF-16 code unit (no space lies outside the BMP). */
export function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  if (c === 0x85 || c === 0xa0) return true;
  if (c < 0x1680) return false;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** BuildKit's `[\t\v\f\r ]` (the separator of keyword, FROM/EXPOSE/COPY words, ENV's old form). */
export function isSplitSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d;
}

/** Index of the first character that is not a Go space, from `from`. */
export function skipGoSpace(s: string, from = 0, to = s.length): number {
  let i = from;
  while (i < to && isGoSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Index after the last character that is not a Go space, down to `from`. */
export function trimGoSpaceEnd(s: string, from = 0, to = s.length): number {
  let i = to;
  while (i > from && isGoSpace(s.charCodeAt(i - 1))) i--;
  return i;
}

export function goTrimSpace(s: string): string {
  const a = skipGoSpace(s);
  return s.slice(a, trimGoSpaceEnd(s, a));
}

/** `strings.Split(s, regexp [\t\v\f\r ]+, n)` for n = -1 (all) or n = 2. */
export function splitWhitespace(s: string, limit = -1): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    if (isSplitSpace(s.charCodeAt(i))) {
      if (limit > 0 && out.length === limit - 1) break;
      out.push(s.slice(start, i));
      while (i < n && isSplitSpace(s.charCodeAt(i))) i++;
      start = i;
      continue;
    }
    i++;
  }
  out.push(s.slice(start));
  return out;
}

/** UTF-8 byte length of a string (without allocating for ASCII-only text). */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes++;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Lone UTF-16 surrogates become U+FFFD, as Go's decoders produce. */
export function wellFormed(s: string): string {
  let out = '';
  let seg = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const d = s.charCodeAt(i + 1);
    if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
      i++;
      continue;
    }
    out += `${s.slice(seg, i)}\ufffd`;
    seg = i + 1;
  }
  return seg === 0 ? s : out + s.slice(seg);
}

/** The UTF-8 bytes of one character (a code point given as a string). */
export function utf8Bytes(ch: string): number[] {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xc0 | (c >> 6), 0x80 | (c & 63)];
  if (c < 0x10000) return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
  return [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
}
