/**
 * Reads a Dockerfile the way BuildKit's parser (frontend/dockerfile/parser) does, keeping
 * offsets into the original text for every piece:
 * - lines end at `\n` only (a CR-only file is one line); a line of 64 KiB or more ends the read;
 * - parser directives (`# syntax=`, `# escape=`, `# check=`) only on the first lines, before
 *   any other line; a duplicate or an invalid escape token is an error;
 * - an instruction continues while its line ends with the escape token (plus blanks); comment
 *   and blank lines inside a continuation are dropped, other lines keep their indentation;
 * - the keyword, `--flags` and arguments are split as BuildKit splits them (line-parsers.ts);
 * - heredocs on RUN/COPY/ADD (and ONBUILD of those) in shell form, detected on whole shell
 *   words (heredoc-words.ts), with bodies read up to the delimiter line.
 * The read stops at the first error, as BuildKit's does; everything read so far is kept.
 */

import { lastAtMost } from '../core/sorted.js';
import { heredocsFromLine } from './heredoc-words.js';
import { type BkNode, NodeError, nodeFromLine } from './line-parsers.js';
import { isGoSpace, utf8Length } from './text.js';

export interface RawWord {
  /** The word with continuations removed, quotes kept. */
  value: string;
  start: number;
  end: number;
}

export interface RawHeredoc {
  name: string;
  /** False when any part of the delimiter word is quoted (`<<'EOF'`, `<<E"O"F`, `<<\EOF`). */
  expand: boolean;
  /** `<<-EOF`: leading tabs are stripped from the body and the delimiter line. */
  chomp: boolean;
  /** The body exactly as BuildKit reads it: the raw lines, line endings included. */
  content: string;
  bodyStart: number;
  bodyEnd: number;
}

export interface RawInstruction {
  keyword: string;
  keywordStart: number;
  keywordEnd: number;
  start: number;
  end: number;
  /** 1-based lines as BuildKit counts them (the last line of the last heredoc included). */
  startLine: number;
  endLine: number;
  node: BkNode;
  /** The flag words with their offsets (`value` as written). */
  flagWords: RawWord[];
  /** Words after the flags, split on blanks outside quotes (quotes kept), with offsets. */
  words: RawWord[];
  /** Offset where the arguments start (after keyword and flags). */
  argsStart: number;
  heredocs: RawHeredoc[];
}

export interface RawError {
  message: string;
  /** 1-based line the error is reported on. */
  line: number;
  start: number;
  end: number;
}

export interface RawLex {
  escape: string;
  /**
   * Directives as BuildKit's directive reader sees them (what `# syntax=` and `# check=`
   * detection uses): from the first line on, stopping at an indented one. The parser itself
   * also honours an indented `# escape=` (see `escape`).
   */
  directives: { name: string; value: string; start: number; end: number }[];
  comments: { text: string; start: number; end: number }[];
  instructions: RawInstruction[];
  error?: RawError;
}

/** The longest line BuildKit's line scanner accepts, in bytes (its buffer minus one). */
export const MAX_LINE_BYTES = 65535;

const DIRECTIVES = new Set(['syntax', 'escape', 'check']);

function isAsciiSpace(c: number): boolean {
  return c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
}

interface Line {
  start: number;
  /** End of the content: before trailing `\r` and `\n` characters. */
  end: number;
  /** Offset after the line and its `\n`. */
  next: number;
}

class Lines {
  pos = 0;
  count = 0;
  tooLong = false;
  constructor(readonly text: string) {}
  scan(): Line | null {
    const text = this.text;
    if (this.tooLong || this.pos >= text.length) return null;
    const start = this.pos;
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 ? text.length : nl;
    if ((stop - start) * 3 > MAX_LINE_BYTES && utf8Length(text, start, stop) > MAX_LINE_BYTES) {
      this.tooLong = true;
      return null;
    }
    let end = stop;
    while (end > start && (text.charCodeAt(end - 1) === 13 || text.charCodeAt(end - 1) === 10)) end--;
    this.pos = nl < 0 ? text.length : nl + 1;
    this.count++;
    return { start, end, next: this.pos };
  }
}

/** Parser directive state: BuildKit's DirectiveParser. */
class Directives {
  done = false;
  readonly seen = new Set<string>();
  /** Returns [name, value] for a directive line, null otherwise; throws on a bad one. */
  parse(text: string, from: number, to: number): [string, string] | null {
    if (this.done) return null;
    if (text.charCodeAt(from) !== 0x23) {
      this.done = true;
      return null;
    }
    let i = from + 1;
    while (i < to && isGoSpace(text.charCodeAt(i))) i++;
    const ks = i;
    const c0 = text.charCodeAt(i);
    if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) {
      this.done = true;
      return null;
    }
    i++;
    for (
      let c = text.charCodeAt(i);
      i < to && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));
    ) {
      i++;
      c = text.charCodeAt(i);
    }
    const key = text.slice(ks, i);
    while (i < to && isAsciiSpace(text.charCodeAt(i))) i++;
    if (i >= to || text.charCodeAt(i) !== 0x3d) {
      this.done = true;
      return null;
    }
    i++;
    const vs = i;
    while (i < to && isAsciiSpace(text.charCodeAt(i))) i++;
    let value: string;
    if (i >= to) {
      // `\s*=\s*(.+?)\s*$` with only blanks after `=`: the value is the last blank.
      if (i === vs) {
        this.done = true;
        return null;
      }
      value = text.slice(to - 1, to);
    } else {
      let e = to;
      while (e > i && isAsciiSpace(text.charCodeAt(e - 1))) e--;
      value = text.slice(i, e);
    }
    const name = key.toLowerCase();
    if (!DIRECTIVES.has(name)) {
      this.done = true;
      return null;
    }
    if (this.seen.has(name)) throw new NodeError(`only one ${name} parser directive can be used`);
    this.seen.add(name);
    if (name === 'escape' && value !== '`' && value !== '\\') {
      throw new NodeError(`invalid escape token '${value}' does not match \` or \\`);
    }
    return [name, value];
  }
}

/** Offset map from a logical (joined) line back to the text (most lines have one segment). */
class Segments {
  logical = '';
  private count = 0;
  private firstSrc = 0;
  private log: number[] | undefined;
  private src: number[] | undefined;
  add(text: string, start: number, end: number): void {
    if (end <= start) return;
    if (this.count === 0) {
      this.firstSrc = start;
      this.logical = text.slice(start, end);
    } else {
      if (!this.log || !this.src) {
        this.log = [0];
        this.src = [this.firstSrc];
      }
      this.log.push(this.logical.length);
      this.src.push(start);
      this.logical += text.slice(start, end);
    }
    this.count++;
  }
  /** Text offset of the character at logical offset `p`. */
  at(p: number): number {
    if (this.count <= 1) return this.firstSrc + p;
    const log = this.log!;
    const lo = lastAtMost(log, p);
    return this.src![lo]! + (p - log[lo]!);
  }
  /** Text offset just after the character at logical offset `p - 1`. */
  after(p: number): number {
    return p <= 0 ? this.at(0) : this.at(p - 1) + 1;
  }
}

/**
 * Reads `text` as BuildKit's parser does. With `onInstruction`, each instruction is handed over
 * as soon as it is read (and not kept in `instructions`), so a caller that converts them keeps
 * only its own model alive: the lexer's intermediate objects then die young, which matters to
 * the garbage collector on files of thousands of instructions.
 */
export function lexDockerfile(
  text: string,
  onInstruction?: (ins: RawInstruction, escapeToken: string) => void,
): RawLex {
  const out: RawLex = { escape: '\\', directives: [], comments: [], instructions: [] };
  let count = 0;
  const lines = new Lines(text);
  const dirs = new Directives();
  let esc = '\\';

  const fail = (message: string, line: number, start: number, end: number): RawLex => {
    out.error = { message, line: Math.max(1, line), start, end };
    return out;
  };

  /** Trailing escape + blanks: returns the offset of the escape, or -1. */
  const continuationAt = (from: number, to: number): number => {
    let e = to;
    while (e > from && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
    if (e <= from || text[e - 1] !== esc) return -1;
    const at = e - 1;
    if (at === from) return at;
    return text[at - 1] === esc ? -1 : at;
  };

  const comment = (from: number, to: number): void => {
    let a = from + 1;
    let b = to;
    while (a < b && isGoSpace(text.charCodeAt(a))) a++;
    while (b > a && isGoSpace(text.charCodeAt(b - 1))) b--;
    out.comments.push({ text: text.slice(a, b), start: from, end: to });
  };

  for (let line = lines.scan(); line; line = lines.scan()) {
    let start = line.start;
    if (lines.count === 1 && text.charCodeAt(0) === 0xfeff) start++;
    let s = start;
    while (s < line.end && isGoSpace(text.charCodeAt(s))) s++;
    try {
      const d = dirs.parse(text, s, line.end);
      if (d) {
        if (d[0] === 'escape') esc = d[1];
        out.escape = esc;
        if (s === start && out.directives.length === dirs.seen.size - 1) {
          out.directives.push({ name: d[0], value: d[1], start: s, end: line.end });
        }
        continue;
      }
    } catch (e) {
      if (e instanceof NodeError) return fail(e.message, lines.count, s, line.end);
      throw e;
    }
    const startLine = lines.count;
    let isComment = s < line.end && text.charCodeAt(s) === 0x23;
    if (isComment) {
      comment(s, line.end);
      continue;
    }
    const seg = new Segments();
    let cont = continuationAt(s, line.end);
    seg.add(text, s, cont < 0 ? line.end : cont);
    if (cont < 0 && s >= line.end) continue;
    let lastEnd = line.end;
    while (cont >= 0) {
      const next = lines.scan();
      if (!next) break;
      let k = next.start;
      while (k < next.end && isGoSpace(text.charCodeAt(k))) k++;
      isComment = k < next.end && text.charCodeAt(k) === 0x23;
      if (isComment) {
        comment(k, next.end);
        continue;
      }
      if (k >= next.end) continue;
      cont = continuationAt(next.start, next.end);
      seg.add(text, next.start, cont < 0 ? next.end : cont);
      lastEnd = cont < 0 ? next.end : cont;
    }
    const logical = seg.logical;
    let split: ReturnType<typeof nodeFromLine>;
    try {
      split = nodeFromLine(logical, esc);
    } catch (e) {
      if (e instanceof NodeError) return fail(e.message, startLine, s, lastEnd);
      throw e;
    }
    const node = split.node;
    const ins: RawInstruction = {
      keyword: node.value,
      keywordStart: split.keywordEnd > split.keywordStart ? seg.at(split.keywordStart) : s,
      keywordEnd: split.keywordEnd > split.keywordStart ? seg.after(split.keywordEnd) : s,
      start: split.keywordEnd > split.keywordStart ? seg.at(split.keywordStart) : s,
      end: s,
      startLine,
      endLine: startLine,
      node,
      flagWords: split.flagSpans.map(([a, b]) => ({
        value: logical.slice(a, b),
        start: seg.at(a),
        end: seg.after(b),
      })),
      words: [],
      argsStart: 0,
      heredocs: [],
    };
    const argsStart = split.argsStart;
    ins.argsStart =
      argsStart < split.argsEnd
        ? seg.at(argsStart)
        : split.flagSpans.length > 0
          ? seg.after(split.flagSpans[split.flagSpans.length - 1]![1])
          : ins.keywordEnd;
    ins.words = words(logical, argsStart, split.argsEnd, esc, seg);
    const lastWordEnd = ins.words.length > 0 ? ins.words[ins.words.length - 1]!.end : ins.argsStart;
    ins.end = Math.max(
      ins.keywordEnd,
      lastWordEnd,
      ins.flagWords.length > 0 ? ins.flagWords[ins.flagWords.length - 1]!.end : 0,
    );

    if (canContainHeredoc(node) && logical.includes('<<')) {
      const markers = heredocsFromLine(logical);
      if (typeof markers === 'string') return fail(markers, startLine, ins.start, ins.end);
      for (const m of markers) {
        let content = '';
        const bodyStart = lines.pos;
        let bodyEnd = bodyStart;
        let terminated = false;
        for (let b = lines.scan(); b; b = lines.scan()) {
          let k = b.start;
          if (m.chomp) while (k < b.end && text.charCodeAt(k) === 9) k++;
          if (b.end - k === m.name.length && text.startsWith(m.name, k)) {
            terminated = true;
            ins.end = b.end;
            break;
          }
          bodyEnd = b.next;
        }
        content = text.slice(bodyStart, bodyEnd);
        if (!terminated) return fail('unterminated heredoc', startLine, ins.start, text.length);
        ins.heredocs.push({ name: m.name, expand: m.expand, chomp: m.chomp, content, bodyStart, bodyEnd });
      }
    }
    ins.endLine = lines.count;
    count++;
    if (onInstruction) onInstruction(ins, esc);
    else out.instructions.push(ins);
  }
  if (count === 0) {
    return fail('file with no instructions', lines.count, text.length, text.length);
  }
  if (lines.tooLong) {
    const at = lines.pos;
    const nl = text.indexOf('\n', at);
    return fail(
      `dockerfile line greater than max allowed size of ${MAX_LINE_BYTES}`,
      lines.count + 1,
      at,
      nl < 0 ? text.length : nl,
    );
  }
  return out;
}

/** RUN, COPY and ADD (also as ONBUILD triggers) in shell form may carry heredocs. */
function canContainHeredoc(node: BkNode): boolean {
  let n = node;
  if (n.value.toLowerCase() === 'onbuild') {
    const sub = n.next[0];
    if (sub !== undefined && typeof sub !== 'string') n = sub;
  }
  const k = n.value.toLowerCase();
  return (k === 'run' || k === 'copy' || k === 'add') && !n.json;
}

/** goimg's words: blank-separated outside quotes, quotes kept, escapes skipped, with offsets. */
function words(logical: string, from: number, to: number, escapeToken: string, seg: Segments): RawWord[] {
  const esc = escapeToken.charCodeAt(0);
  const out: RawWord[] = [];
  let i = from;
  while (i < to) {
    while (i < to && isGoSpace(logical.charCodeAt(i))) i++;
    if (i >= to) break;
    const ws = i;
    let quote = 0;
    while (i < to) {
      const c = logical.charCodeAt(i);
      if (quote === 0 && isGoSpace(c)) break;
      if (quote !== 0 && c === quote) quote = 0;
      else if (quote === 0 && (c === 34 || c === 39)) quote = c;
      else if (c === esc && quote !== 39 && i + 1 < to) i++;
      i++;
    }
    out.push({ value: logical.slice(ws, i), start: seg.at(ws), end: seg.after(i) });
  }
  return out;
}
