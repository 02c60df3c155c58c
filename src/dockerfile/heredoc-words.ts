/**
 * Heredoc detection the way BuildKit does it: the instruction line is split into shell words
 * (quotes and escapes kept raw, `$VAR` and `${...}` left as written, `<<` plus following blanks
 * glued to the next word), and a word is a heredoc marker only when it is, as a whole,
 * `[digits]<<[-][blanks]WORD` with WORD a single shell word. So `<<EOF` inside quotes, in
 * `cat<<EOF`, in `$((1<<2))` or after a lexing error on the line is not a heredoc.
 * The escape character here is always `\`, whatever the file's escape directive.
 */

import { isGoSpace } from './text.js';

class LexError extends Error {}

const EOF = -1;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

interface Options {
  rawQuotes: boolean;
  rawEscapes: boolean;
}

class ShellWords {
  private i = 0;
  /** Shared word buffer: nested `${...}` processing resets it, as BuildKit's lexer does. */
  private buf = '';
  private rawEscapes: boolean;
  constructor(
    private readonly s: string,
    private readonly opts: Options,
  ) {
    this.rawEscapes = opts.rawEscapes;
  }

  private peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : EOF;
  }
  private next(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i++) : EOF;
  }

  words(): string[] {
    return this.processStopOn(EOF, this.rawEscapes).words;
  }

  private processStopOn(stop: number, rawEscapes: boolean): { result: string; words: string[] } {
    let result = '';
    this.buf = '';
    const words: string[] = [];
    let inWord = false;
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    const addRawChar = (ch: string): void => {
      this.buf += ch;
      inWord = true;
    };
    const addChar = (ch: string): void => {
      const space = isGoSpace(ch.charCodeAt(0));
      if (space && inWord) {
        if (this.buf.length !== 0) {
          words.push(this.buf);
          this.buf = '';
          inWord = false;
        }
      } else if (!space) addRawChar(ch);
    };
    try {
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stop !== EOF && ch === stop) {
          this.next();
          if (this.buf.length > 0) words.push(this.buf);
          this.buf = '';
          return { result, words };
        }
        if (ch === 0x24 /* $ */) {
          const tmp = this.processDollar();
          result += tmp;
          for (const c of tmp) addChar(c);
        } else if (ch === 0x3c /* < */) {
          const tmp = this.processPossibleHeredoc();
          result += tmp;
          this.buf += tmp;
          inWord = true;
        } else if (ch === 0x27 /* ' */) {
          const tmp = this.processSingleQuote();
          result += tmp;
          this.buf += tmp;
          inWord = true;
        } else if (ch === 0x22 /* " */) {
          const tmp = this.processDoubleQuote();
          result += tmp;
          this.buf += tmp;
          inWord = true;
        } else {
          let c = this.next();
          if (c === 0x5c) {
            if (this.rawEscapes) {
              addRawChar('\\');
              result += '\\';
            }
            c = this.next();
            if (c === EOF) break;
            addRawChar(String.fromCharCode(c));
          } else addChar(String.fromCharCode(c));
          result += String.fromCharCode(c);
        }
      }
      if (stop !== EOF) {
        throw new LexError(
          `unexpected end of statement while looking for matching ${String.fromCharCode(stop)}`,
        );
      }
      if (this.buf.length > 0) words.push(this.buf);
      this.buf = '';
      return { result, words };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    let result = '';
    this.next();
    if (this.opts.rawQuotes) result += "'";
    for (;;) {
      const ch = this.next();
      if (ch === EOF)
        throw new LexError('unexpected end of statement while looking for matching single-quote');
      if (ch === 0x27) {
        if (this.opts.rawQuotes) result += "'";
        return result;
      }
      result += String.fromCharCode(ch);
    }
  }

  private processDoubleQuote(): string {
    let result = '';
    this.next();
    if (this.opts.rawQuotes) result += '"';
    for (;;) {
      const p = this.peek();
      if (p === EOF)
        throw new LexError('unexpected end of statement while looking for matching double-quote');
      if (p === 0x22) {
        this.next();
        if (this.opts.rawQuotes) result += '"';
        return result;
      }
      if (p === 0x24) {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === 0x5c) {
        if (this.rawEscapes) result += '\\';
        const q = this.peek();
        if (q === EOF) continue;
        if (q === 0x22 || q === 0x24 || q === 0x5c) ch = this.next();
      }
      result += String.fromCharCode(ch);
    }
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== 0x7b /* { */) {
      const name = this.processName();
      return name === '' ? '$' : `$${name}`;
    }
    this.next();
    const p = this.peek();
    if (p === EOF) throw new LexError("syntax error: missing '}'");
    if (p === 0x7b || p === 0x7d || p === 0x3a) throw new LexError('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    let chs = ch === EOF ? '\ufffd' : String.fromCharCode(ch);
    let nullIsUnset = false;
    if (ch === 0x7d) return `\${${name}}`;
    if (ch === 0x3a) {
      nullIsUnset = true;
      ch = this.next();
      chs += ch === EOF ? '\ufffd' : String.fromCharCode(ch);
    }
    if (nullIsUnset || ch === 0x2b || ch === 0x2d || ch === 0x3f || ch === 0x23 || ch === 0x25) {
      const raw = ch === 0x23 || ch === 0x25;
      if (nullIsUnset && raw) throw new LexError(`unsupported modifier (${chs}) in substitution`);
      let word: string;
      try {
        word = this.processStopOn(0x7d, raw).result;
      } catch (e) {
        if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
        throw e;
      }
      return `\${${name}${chs}${word}}`;
    }
    if (ch === 0x2f /* / */) {
      if (this.peek() === 0x2f) this.next();
      let pattern: string;
      try {
        pattern = this.processStopOn(0x2f, true).result;
      } catch (e) {
        if (this.peek() === EOF) throw new LexError("syntax error: missing '/' in ${}");
        throw e;
      }
      let replacement: string;
      try {
        replacement = this.processStopOn(0x7d, true).result;
      } catch (e) {
        if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
        throw e;
      }
      return `\${${name}/${pattern}/${replacement}}`;
    }
    throw new LexError(`unsupported modifier (${chs}) in substitution`);
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const cp = this.s.codePointAt(this.i)!;
      const ch = String.fromCodePoint(cp);
      if (name.length === 0 && DIGIT.test(ch)) {
        while (this.i < this.s.length) {
          const d = String.fromCodePoint(this.s.codePointAt(this.i)!);
          if (!DIGIT.test(d)) break;
          name += d;
          this.i += d.length;
        }
        return name;
      }
      if (name.length === 0 && '@*#?-$!0'.includes(ch)) {
        this.i += ch.length;
        return ch;
      }
      if (!LETTER.test(ch) && !DIGIT.test(ch) && ch !== '_') break;
      name += ch;
      this.i += ch.length;
    }
    return name;
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== 0x3c) return '<';
    this.next();
    let space = '';
    for (let p = this.peek(); p === 0x09 || p === 0x0d || p === 0x20; p = this.peek()) {
      space += String.fromCharCode(p);
      this.next();
    }
    return `<<${space}`;
  }
}

/** Shell words of `s`, or null when BuildKit's lexer fails on it. */
function processWords(s: string, opts: Options): string[] | null {
  // BuildKit's lexer reads through Go's text/scanner, which skips a byte order mark that
  // starts its input (`<<\uFEFFEOF` names EOF; a mark anywhere else stays).
  const text = s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  try {
    return new ShellWords(text, opts).words();
  } catch (e) {
    if (e instanceof LexError) return null;
    // `${a:-${a:-...}}` nested thousands deep: BuildKit's lexer recurses without limit;
    // goimg gives up on heredoc detection for that line rather than crash.
    if (e instanceof RangeError) return null;
    throw e;
  }
}

export interface HeredocMarker {
  name: string;
  expand: boolean;
  chomp: boolean;
}

/** `^(\d*)<<(-?)\s*([^<]*)$` on one word, then the delimiter's own word analysis. */
export function parseHeredocMarker(word: string): HeredocMarker | null | { error: string } {
  let i = 0;
  while (i < word.length && word.charCodeAt(i) >= 0x30 && word.charCodeAt(i) <= 0x39) i++;
  if (word.charCodeAt(i) !== 0x3c || word.charCodeAt(i + 1) !== 0x3c) return null;
  i += 2;
  const chomp = word.charCodeAt(i) === 0x2d;
  if (chomp) i++;
  // RE2's \s: [\t\n\f\r ].
  for (
    let c = word.charCodeAt(i);
    c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
    c = word.charCodeAt(i)
  )
    i++;
  const rest = word.slice(i);
  if (rest.includes('<')) return null;
  if (rest.length === 0) return null;
  const plain = processWords(rest, { rawQuotes: false, rawEscapes: false });
  if (plain === null) return { error: `failed to process ${JSON.stringify(rest)}` };
  if (plain.length !== 1) return null;
  const raw = processWords(rest, { rawQuotes: true, rawEscapes: false });
  if (raw === null) return { error: `failed to process ${JSON.stringify(rest)}` };
  if (raw.length !== plain.length) {
    return { error: `internal lexing of heredoc produced inconsistent results: ${rest}` };
  }
  const quotes = (s: string): number => {
    let n = 0;
    for (let k = 0; k < s.length; k++) if (s[k] === '"' || s[k] === "'") n++;
    return n;
  };
  return { name: plain[0]!, expand: quotes(plain[0]!) === quotes(raw[0]!), chomp };
}

/** The heredoc markers of an instruction line, in order; an error string when BuildKit fails. */
export function heredocsFromLine(line: string): HeredocMarker[] | string {
  const words = processWords(line, { rawQuotes: true, rawEscapes: true }) ?? [];
  const out: HeredocMarker[] = [];
  for (const w of words) {
    const m = parseHeredocMarker(w);
    if (m === null) continue;
    if ('error' in m) return m.error;
    out.push(m);
  }
  return out;
}
