/**
 * How BuildKit turns one instruction's text into its node: the keyword, the leading `--flags`,
 * and the arguments as each instruction reads them (JSON array or shell string, whitespace
 * words, `key=value` pairs, ONBUILD's nested instruction). Errors are BuildKit's messages.
 */

import {
  goQuote,
  isGoSpace,
  isSplitSpace,
  skipGoSpace,
  splitWhitespace,
  trimGoSpaceEnd,
  utf8Bytes,
  wellFormed,
} from './text.js';

/** One BuildKit node: an instruction, or ONBUILD's trigger. */
export interface BkNode {
  /** The keyword as written (`run`, `RUN`); empty for a blank instruction line. */
  value: string;
  /** `--name=value` words before the arguments, quotes and escapes resolved. */
  flags: string[];
  /** The arguments; a node in the list is ONBUILD's trigger instruction. */
  next: (string | BkNode)[];
  /** True when the arguments came from a JSON array (exec form). */
  json: boolean;
}

export class NodeError extends Error {}

export interface SplitLine {
  node: BkNode;
  /** Offsets in the line: keyword, each flag word, and where the arguments start and end. */
  keywordStart: number;
  keywordEnd: number;
  flagSpans: [number, number][];
  argsStart: number;
  argsEnd: number;
}

/** Splits `line` into keyword, flags and arguments and parses the arguments. Throws NodeError. */
export function nodeFromLine(line: string, escapeToken: string): SplitLine {
  const first = splitCommand(line, 0, line.length, escapeToken);
  let cur = first;
  const chain: BkNode[] = [first.node];
  // ONBUILD ONBUILD ... is parsed iteratively, in place (BuildKit recurses on a copy of the rest).
  while (
    cur.node.value.length === 7 &&
    cur.node.value.toLowerCase() === 'onbuild' &&
    cur.argsEnd > cur.argsStart
  ) {
    cur = splitCommand(cur.text, cur.argsStart, cur.argsEnd, escapeToken);
    chain.push(cur.node);
  }
  dispatch(cur.node, cur.text.slice(cur.argsStart, cur.argsEnd), escapeToken);
  for (let i = chain.length - 2; i >= 0; i--) chain[i]!.next = [chain[i + 1]!];
  return first;
}

function splitCommand(
  line: string,
  from: number,
  to: number,
  escapeToken: string,
): SplitLine & { text: string } {
  const a = skipGoSpace(line, from, to);
  const b = trimGoSpaceEnd(line, a, to);
  let k = a;
  while (k < b && !isSplitSpace(line.charCodeAt(k))) k++;
  const node: BkNode = { value: line.slice(a, k), flags: [], next: [], json: false };
  let argsStart = b;
  let argsEnd = b;
  const flagSpans: [number, number][] = [];
  if (k < b) {
    let r = k;
    while (r < b && isSplitSpace(line.charCodeAt(r))) r++;
    const flagged = extractBuilderFlags(line, r, b, escapeToken, node.flags, flagSpans);
    if (flagged.cut !== undefined) {
      // The flags ended inside a character: the arguments start with its remaining bytes.
      const text = flagged.cut;
      const s2 = skipGoSpace(text);
      return {
        node,
        keywordStart: a,
        keywordEnd: k,
        flagSpans,
        argsStart: s2,
        argsEnd: trimGoSpaceEnd(text, s2),
        text,
      };
    }
    argsStart = skipGoSpace(line, flagged.at, b);
    argsEnd = trimGoSpaceEnd(line, argsStart, b);
  }
  return { node, keywordStart: a, keywordEnd: k, flagSpans, argsStart, argsEnd, text: line };
}

interface ByteView {
  bytes: ArrayLike<number>;
  /** Character offset of the character holding byte `b` (or `s.length` at the end). */
  charOf: (b: number) => number;
  /** The bytes [from, to) as Go strings print them: each byte of a cut character is U+FFFD. */
  slice: (from: number, to: number) => string;
  /** Character offset for a byte offset, rounded up to the next character start. */
  charAt: (b: number) => number;
}

/** Byte view of a string (BuildKit reads some parts of a line byte by byte). */
function bytesOf(s: string): ByteView {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return { bytes, charOf: (b) => b, charAt: (b) => b, slice: (a, b) => s.slice(a, b) };
  }
  const bytes = Buffer.from(s, 'utf8');
  // For each byte: the offset of its character and the character's first byte.
  const charIndex = new Int32Array(bytes.length + 1);
  const firstByte = new Int32Array(bytes.length + 1);
  const byteLen = new Int32Array(bytes.length + 1);
  let b = 0;
  for (let i = 0; i < s.length; ) {
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    const len = utf8Bytes(ch).length;
    for (let k = 0; k < len; k++) {
      charIndex[b + k] = i;
      firstByte[b + k] = b;
      byteLen[b + k] = len;
    }
    b += len;
    i += ch.length;
  }
  charIndex[bytes.length] = s.length;
  firstByte[bytes.length] = bytes.length;
  byteLen[bytes.length] = 0;
  const charLenAt = (x: number): number =>
    x >= bytes.length ? 0 : s.codePointAt(charIndex[x]!)! > 0xffff ? 2 : 1;
  const charAt = (x: number): number => (firstByte[x] === x ? charIndex[x]! : charIndex[x]! + charLenAt(x));
  const slice = (from: number, to: number): string => {
    let out = '';
    let x = from;
    // A cut character at the start: its remaining bytes.
    while (x < to && firstByte[x] !== x) {
      out += '\ufffd';
      x++;
    }
    if (x >= to) return out;
    let y = to;
    let tail = '';
    if (y < bytes.length && firstByte[y] !== y) {
      // A cut character at the end: the bytes before the cut.
      const f = firstByte[y]!;
      tail = '\ufffd'.repeat(y - Math.max(f, x));
      y = Math.max(f, x);
    }
    return out + s.slice(charIndex[x]!, y >= bytes.length ? s.length : charIndex[y]!) + tail;
  };
  return { bytes, charOf: (x) => charIndex[x]!, charAt, slice };
}

/** Go's unicode.IsSpace(rune(b)) for one byte. */
function isSpaceByte(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0x85 || b === 0xa0;
}

/**
 * BuildKit's flag extraction. It reads bytes: a non-ASCII character in a flag is taken byte by
 * byte (each byte as a Latin-1 character) and bytes 0x85 and 0xA0 count as blanks.
 * Returns the offset (in the enclosing line, `base` added) where the arguments start, or the
 * arguments' text when the flags end inside a character.
 */
function extractBuilderFlags(
  full: string,
  from: number,
  to: number,
  escapeToken: string,
  flags: string[],
  spans: [number, number][],
): { at: number; cut?: string } {
  // Most lines are ASCII where flags are: read the string itself, and switch to a byte view
  // of the text only when a non-ASCII character shows up where flags are read.
  const ascii = flagsScan(full, from, to, escapeToken, flags, spans, null);
  if (ascii !== null) return ascii;
  flags.length = 0;
  spans.length = 0;
  return flagsScan(full.slice(from, to), 0, to - from, escapeToken, flags, spans, from)!;
}

function flagsScan(
  line: string,
  from: number,
  to: number,
  escapeToken: string,
  flags: string[],
  spans: [number, number][],
  /** null: ASCII mode on `line` [from, to) (returns null on a non-ASCII character); else the offset of `line` in the full line. */
  base: number | null,
): { at: number; cut?: string } | null {
  const esc = escapeToken.charCodeAt(0);
  if (base === null) {
    const n = to;
    let pos = from;
    for (;;) {
      // Non-ASCII characters (0xA0 among them) are read byte by byte, in the other mode.
      while (pos < n && line.charCodeAt(pos) < 0x80 && isSpaceByte(line.charCodeAt(pos))) pos++;
      if (pos >= n) return { at: n };
      if (line.charCodeAt(pos) >= 0x80) return null;
      if (line.charCodeAt(pos) !== 0x2d || pos + 1 === n || line.charCodeAt(pos + 1) !== 0x2d)
        return { at: pos };
      const ws = pos;
      let word = '';
      let seg = pos;
      let quote = 0;
      let blankOK = false;
      let ended = false;
      for (; pos < n; pos++) {
        const ch = line.charCodeAt(pos);
        if (ch >= 0x80) return null;
        if (quote === 0) {
          if (isSpaceByte(ch)) {
            ended = true;
            break;
          }
          if (ch === 0x27 || ch === 0x22) {
            word += line.slice(seg, pos);
            seg = pos + 1;
            quote = ch;
            blankOK = true;
            continue;
          }
        } else if (ch === quote) {
          word += line.slice(seg, pos);
          seg = pos + 1;
          quote = 0;
          continue;
        }
        if (ch === esc) {
          word += line.slice(seg, pos);
          if (pos + 1 === n) {
            seg = pos + 1;
            if (quote !== 0) quote = 0;
            continue;
          }
          if (line.charCodeAt(pos + 1) >= 0x80) return null;
          seg = ++pos;
        }
      }
      word += line.slice(seg, pos);
      if (ended && word === '--') return { at: pos };
      if (word !== '--' && (blankOK || word.length > 0)) {
        flags.push(word);
        spans.push([ws, pos]);
      }
      if (!ended) return { at: n };
    }
  }
  const view = bytesOf(line);
  const { bytes, charAt } = view;
  const rest = (p: number): { at: number; cut?: string } =>
    charAt(p) === view.charOf(p) || p >= n
      ? { at: base + charAt(p) }
      : { at: base + charAt(p), cut: view.slice(p, n) };
  const n = bytes.length;
  let pos = 0;
  for (;;) {
    while (pos < n && isSpaceByte(bytes[pos]!)) pos++;
    if (pos >= n) return { at: base + line.length };
    if (bytes[pos] !== 0x2d || pos + 1 === n || bytes[pos + 1] !== 0x2d) return rest(pos);
    const ws = pos;
    let word = '';
    let quote = 0;
    let blankOK = false;
    let ended = false;
    for (; pos < n; pos++) {
      let ch = bytes[pos]!;
      if (quote === 0) {
        if (isSpaceByte(ch)) {
          ended = true;
          break;
        }
        if (ch === 0x27 || ch === 0x22) {
          quote = ch;
          blankOK = true;
          continue;
        }
        if (ch === esc) {
          if (pos + 1 === n) continue;
          ch = bytes[++pos]!;
        }
        word += String.fromCharCode(ch);
      } else {
        if (ch === quote) {
          quote = 0;
          continue;
        }
        if (ch === esc) {
          if (pos + 1 === n) {
            quote = 0;
            continue;
          }
          ch = bytes[++pos]!;
        }
        word += String.fromCharCode(ch);
      }
    }
    if (ended && word === '--') return rest(pos);
    if (word !== '--' && (blankOK || word.length > 0)) {
      flags.push(word);
      spans.push([base + view.charOf(ws), base + charAt(pos)]);
    }
    if (!ended) return { at: base + line.length };
  }
}

function charLen(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

const NOT_STRINGS = 'when using JSON array syntax, arrays must be comprised of strings only';

/** BuildKit's JSON form: the strings of a JSON array, 'not-json', or 'not-strings'. */
export function parseJSONArray(rest: string): string[] | 'not-json' | 'not-strings' {
  const t = rest.slice(skipGoSpace(rest));
  if (t.charCodeAt(0) !== 0x5b) return 'not-json';
  if (t.length > 10000 && jsonDepth(t) > 10000) return 'not-json';
  let overflow = false;
  let v: unknown;
  try {
    v = JSON.parse(t, (_k, x: unknown) => {
      if (typeof x === 'number' && !Number.isFinite(x)) overflow = true;
      return x;
    });
  } catch {
    return 'not-json';
  }
  if (overflow || !Array.isArray(v)) return 'not-json';
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== 'string') return 'not-strings';
    out.push(wellFormed(x));
  }
  return out;
}

function jsonDepth(t: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function maybeJSON(node: BkNode, rest: string, list: boolean): void {
  if (rest === '' && !list) return;
  const j = parseJSONArray(rest);
  if (j === 'not-strings') throw new NodeError(NOT_STRINGS);
  if (j !== 'not-json') {
    node.next = j;
    node.json = true;
    return;
  }
  if (list) {
    if (rest !== '') node.next = splitWhitespace(rest);
  } else node.next = [rest];
}

/** BuildKit's parseWords: blank-separated words, quotes and escapes kept. */
export function parseWords(rest: string, escapeToken: string): string[] {
  const esc = escapeToken.charCodeAt(0);
  const words: string[] = [];
  const n = rest.length;
  let i = 0;
  while (i < n) {
    while (i < n && isGoSpace(rest.charCodeAt(i))) i++;
    if (i >= n) break;
    let word = '';
    let seg = i;
    let quote = 0;
    let blankOK = false;
    while (i < n) {
      const c = rest.charCodeAt(i);
      if (quote === 0) {
        if (isGoSpace(c)) break;
        if (c === 0x27 || c === 0x22) {
          quote = c;
          blankOK = true;
          i++;
          continue;
        }
        if (c === esc) {
          if (i + 1 === n) {
            word += rest.slice(seg, i);
            seg = ++i;
            continue;
          }
          i += 1 + charLen(rest, i + 1);
          continue;
        }
        i++;
      } else {
        if (c === quote) {
          quote = 0;
          i++;
          continue;
        }
        if (c === esc && quote !== 0x27) {
          if (i + 1 === n) {
            word += rest.slice(seg, i);
            seg = ++i;
            quote = 0;
            continue;
          }
          i += 1 + charLen(rest, i + 1);
          continue;
        }
        i++;
      }
    }
    word += rest.slice(seg, i);
    if (blankOK || word.length > 0) words.push(word);
  }
  return words;
}

function nameVal(node: BkNode, rest: string, key: string, escapeToken: string): void {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return;
  if (!words[0]!.includes('=')) {
    const parts = splitWhitespace(rest, 2);
    if (parts.length < 2) throw new NodeError(`${key} must have two arguments`);
    node.next = [parts[0]!, parts[1]!, ''];
    return;
  }
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq < 0) {
      throw new NodeError(`Syntax error - can't find = in ${goQuote(w)}. Must be of the form: name=value`);
    }
    node.next.push(w.slice(0, eq), w.slice(eq + 1), '=');
  }
}

function healthConfig(node: BkNode, rest: string): void {
  const view = bytesOf(rest);
  const n = view.bytes.length;
  let sep = 0;
  while (sep < n && !isSpaceByte(view.bytes[sep]!)) sep++;
  let next = sep;
  while (next < n && isSpaceByte(view.bytes[next]!)) next++;
  if (sep === 0) return;
  const cmd: BkNode = { value: '', flags: [], next: [], json: false };
  maybeJSON(cmd, view.slice(next, n), false);
  node.next = [view.slice(0, sep), ...(cmd.next as string[])];
  node.json = cmd.json;
}

function dispatch(node: BkNode, rest: string, escapeToken: string): void {
  switch (node.value.toLowerCase()) {
    case 'add':
    case 'copy':
    case 'volume':
      maybeJSON(node, rest, true);
      return;
    case 'cmd':
    case 'entrypoint':
    case 'run':
    case 'shell':
      maybeJSON(node, rest, false);
      return;
    case 'arg':
      node.next = parseWords(rest, escapeToken);
      return;
    case 'env':
      nameVal(node, rest, 'ENV', escapeToken);
      return;
    case 'label':
      nameVal(node, rest, 'LABEL', escapeToken);
      return;
    case 'expose':
    case 'from':
      if (rest !== '') node.next = splitWhitespace(rest);
      return;
    case 'healthcheck':
      healthConfig(node, rest);
      return;
    case 'maintainer':
    case 'stopsignal':
    case 'user':
    case 'workdir':
      if (rest !== '') node.next = [rest];
      return;
    case 'onbuild':
      return;
    default:
      // BuildKit keeps unknown instructions with one empty argument; the instruction parser
      // rejects them later.
      node.next = [''];
  }
}
