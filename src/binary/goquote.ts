/**
 * Go's strconv.Quote and the quoted-prefix Unquote, as far as build settings need them: Go
 * escapes, \xNN for control bytes, printable Unicode kept. Used so settings such as
 * -ldflags="-s -w" print exactly as `go version -m` prints them.
 */

export class GoQuoteError extends Error {}

const SIMPLE: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** Roughly unicode.IsPrint: not a control, separator other than space, or format character. */
function isPrint(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
  if (cp === 0xad || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  return (
    !/[\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(String.fromCodePoint(cp)) &&
    (cp === 0x20 || !/\p{Zs}/u.test(String.fromCodePoint(cp)))
  );
}

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (SIMPLE[ch]) out += SIMPLE[ch];
    else if (cp === 0xfffd) out += '\\ufffd';
    else if (isPrint(cp)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const UNESCAPE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Decodes the quoted string at the start of `s`; returns its value and the quoted length. */
export function goUnquote(s: string): { value: string; length: number } {
  const q = s[0];
  if (q === '`') {
    const end = s.indexOf('`', 1);
    if (end < 0) throw new GoQuoteError('unterminated raw string');
    return { value: s.slice(1, end).replaceAll('\r', ''), length: end + 1 };
  }
  if (q !== '"') throw new GoQuoteError('not a quoted string');
  let value = '';
  let i = 1;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '"') return { value, length: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) break;
    if (UNESCAPE[e] !== undefined && e !== "'") {
      value += UNESCAPE[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) throw new GoQuoteError('bad escape');
      const v = Number.parseInt(hex, 16);
      if (v > 0x10ffff) throw new GoQuoteError('bad escape');
      value += String.fromCodePoint(v);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) throw new GoQuoteError('bad escape');
      value += String.fromCharCode(Number.parseInt(oct, 8));
      i += 4;
    } else {
      throw new GoQuoteError('bad escape');
    }
  }
  throw new GoQuoteError('unterminated string');
}
