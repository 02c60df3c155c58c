/**
 * One instruction of the model, made from the lexer's reading: ranges, flags, arguments,
 * BuildKit's node and, for RUN, the shell commands, split when first read (a parse that only
 * wants BuildKit's reading does not pay for them).
 */
import type { RawInstruction, RawWord } from './lexer.js';
import type { BkNode } from './line-parsers.js';
import type { Argument, BuildkitNode, Flag, Heredoc, Instruction, Span } from './model.js';
import { isShell, type ShellCommand, splitShell } from './shell.js';
import { LazySpan, spanAt } from './span.js';

type Scope = ReadonlyMap<string, string | undefined>;

/** What the shell commands of a RUN are split from: the file's text and escape character. */
export interface RunSource {
  text: string;
  escape: string;
}

export class ModelInstruction implements Instruction {
  readonly keyword: string;
  readonly span: Span;
  readonly keywordSpan: Span;
  readonly flags: Flag[];
  readonly args: Argument[];
  readonly argsStart: number;
  readonly argsText: string;
  readonly exec: string[] | null;
  readonly heredocs: Heredoc[];
  stage = -1;
  readonly index: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly buildkit: BuildkitNode;
  /** ENV and ARG values in effect (RUN only). */
  scope: Scope | undefined = undefined;
  private split: ShellCommand[] | undefined = undefined;

  constructor(
    raw: RawInstruction,
    starts: readonly number[],
    index: number,
    private readonly source: RunSource,
  ) {
    const text = source.text;
    const keyword = upperKeyword(raw.keyword);
    const span = spanAt(starts, raw.start, raw.end);
    const keywordSpan = spanAt(starts, raw.keywordStart, raw.keywordEnd);
    const bk = toBuildkit(raw.node);
    const flags: Flag[] =
      raw.flagWords.length === 0
        ? NONE
        : raw.flagWords.map((w, i) => convertFlag(starts, w, bk.flags[i] ?? w.value));
    let exec: string[] | null = null;
    if (bk.json) exec = keyword === 'HEALTHCHECK' ? bk.args.slice(1) : bk.args;
    // Arguments with spans: BuildKit's JSON strings, else goimg's blank-separated words.
    const args: Argument[] =
      bk.json && keyword !== 'HEALTHCHECK'
        ? jsonArgs(raw, bk.args, starts, text)
        : raw.words.map((w) => new SpannedArgument(starts, w.start, w.end, w.value));
    const argsStart = raw.argsStart;
    const argsText = text.slice(argsStart, Math.max(argsStart, span.end));
    const heredocs: Heredoc[] =
      raw.heredocs.length === 0
        ? NONE
        : raw.heredocs.map((h) => ({
            name: h.name,
            body: h.content,
            bodyStart: h.bodyStart,
            expand: h.expand,
            chomp: h.chomp,
          }));
    this.keyword = keyword;
    this.span = span;
    this.keywordSpan = keywordSpan;
    this.flags = flags;
    this.args = args;
    this.argsStart = argsStart;
    this.argsText = argsText;
    this.exec = exec;
    this.heredocs = heredocs;
    this.index = index;
    this.startLine = raw.startLine;
    this.endLine = raw.endLine;
    this.buildkit = bk;
  }

  /** Shell commands of a shell-form RUN (its heredoc script included); empty otherwise. */
  get commands(): ShellCommand[] {
    if (this.split === undefined) {
      this.split = this.keyword === 'RUN' && this.exec === null ? runCommands(this, this.source) : NONE;
    }
    return this.split;
  }
}

/** ENV and ARG values visible to `ins` (RUN sees both as environment variables). */
export function scopeAt(ins: Instruction): Scope {
  return (ins instanceof ModelInstruction ? ins.scope : undefined) ?? new Map();
}
/**
 * A word whose span is made when read: a file of thousands of instructions keeps every word,
 * and rules read the spans of a few.
 */
class SpannedArgument implements Argument {
  constructor(
    private readonly starts: readonly number[],
    private readonly start: number,
    private readonly end: number,
    readonly value: string,
  ) {}
  get span(): Span {
    return new LazySpan(this.starts, this.start, this.end);
  }
  toJSON(): Argument {
    return { value: this.value, span: this.span };
  }
}

/**
 * Shared empty lists for what most instructions lack (flags, heredocs, shell commands): never
 * written to, since the model is built here and read-only for rules.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Upper-case keywords, one string each rather than one per instruction. */
const KEYWORDS = new Map<string, string>();
function upperKeyword(written: string): string {
  let k = KEYWORDS.get(written);
  if (k === undefined) {
    k = written.toUpperCase();
    if (KEYWORDS.size < 256) KEYWORDS.set(written, k);
  }
  return k;
}

function toBuildkit(node: BkNode): BuildkitNode {
  // Only ONBUILD has a node among its arguments: every other node's list is taken as it is.
  if (node.next.every((a) => typeof a === 'string')) {
    return { keyword: node.value, flags: node.flags, args: node.next as string[], json: node.json };
  }
  const top: BuildkitNode = { keyword: node.value, flags: node.flags, args: [], json: node.json };
  let out = top;
  for (let n: BkNode | undefined = node; n; ) {
    let sub: BkNode | undefined;
    for (const a of n.next) {
      if (typeof a === 'string') out.args.push(a);
      else sub = a;
    }
    if (sub) {
      const t: BuildkitNode = { keyword: sub.value, flags: sub.flags, args: [], json: sub.json };
      out.trigger = t;
      out = t;
    }
    n = sub;
  }
  return top;
}

function convertFlag(starts: readonly number[], w: RawWord, bk: string): Flag {
  const body = bk.startsWith('--') ? bk.slice(2) : bk;
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  const value = eq < 0 ? null : body.slice(eq + 1);
  const options: Record<string, string> = {};
  if (value?.includes('=')) {
    for (const part of value.split(',')) {
      const e = part.indexOf('=');
      if (e > 0) options[part.slice(0, e).toLowerCase()] = part.slice(e + 1);
      else if (part) options[part.toLowerCase()] = '';
    }
  }
  return { name, value, span: spanAt(starts, w.start, w.end), options };
}

/** Spans of a JSON form's strings (they are the only depth-1 strings of the array). */
function jsonArgs(
  raw: RawInstruction,
  values: string[],
  starts: readonly number[],
  text: string,
): Argument[] {
  const out: Argument[] = [];
  const end = raw.end;
  let depth = 0;
  let k = 0;
  for (let i = raw.argsStart; i < end && k < values.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x22) {
      const s = i;
      for (i++; i < end && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (depth === 1) out.push(new SpannedArgument(starts, s, Math.min(i + 1, end), values[k++]!));
    }
  }
  // A JSON form split over continuation lines still gets every value.
  for (; k < values.length; k++) out.push(new SpannedArgument(starts, raw.argsStart, end, values[k]!));
  return out;
}

function runCommands(ins: Instruction, { text, escape: escapeChar }: RunSource): ShellCommand[] {
  if (ins.heredocs.length === 0) {
    return splitShell(ins.argsText, { base: ins.argsStart, escape: escapeChar });
  }
  // First line: the command holding the heredoc markers; the body is a script when the
  // command is a bare `<<EOF` or a shell reading it.
  const firstBody = ins.heredocs[0]!.bodyStart;
  const lineEnd = Math.max(ins.argsStart, Math.min(ins.span.end, firstBody > 0 ? firstBody - 1 : firstBody));
  const first = splitShell(text.slice(ins.argsStart, lineEnd), { base: ins.argsStart, escape: escapeChar });
  const head = first[0]?.words[0]?.value;
  const scriptBody = first.length === 0 || (head !== undefined && isShell(head));
  const out = scriptBody && head ? first.slice(1) : first;
  if (scriptBody) {
    for (const h of ins.heredocs) {
      for (const c of splitShell(h.body, { base: h.bodyStart, dockerfileLines: false })) out.push(c);
    }
  }
  return out;
}
