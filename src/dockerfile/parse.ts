/**
 * Dockerfile text → DockerfileModel. The lexer reads the file as BuildKit's parser does
 * (instructions, directives, comments, heredocs, BuildKit's node per instruction, with
 * offsets); this module adds 1-based ranges and flags, resolves FROM (ARG defaults, stage
 * references), tracks ENV/ARG per stage without copying them, splits RUN shell text, and runs
 * BuildKit's instruction checks. It never throws on bad input: what BuildKit's parser or
 * instruction parser rejects comes back as `problem`, in plain words with BuildKit's reason.
 */

import { checkInstructions } from './instructions.js';
import { lexDockerfile, MAX_LINE_BYTES, type RawInstruction, type RawWord } from './lexer.js';
import type { BkNode } from './line-parsers.js';
import type {
  Argument,
  BuildkitNode,
  DockerfileModel,
  Flag,
  Heredoc,
  ImageRef,
  Instruction,
  ParseProblem,
  Span,
  Stage,
} from './model.js';
import { ScopeBuilder } from './scope.js';
import { splitShell } from './shell.js';

/** Line start offsets; lines end at \n (a \r before it stays part of the line, as in BuildKit). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * 1-based line/column span of [start, end) from line start offsets. Lines and columns are
 * worked out when read: a large file has many spans and findings read only a few of them.
 */
export function spanAt(starts: readonly number[], start: number, end: number): Span {
  return new LazySpan(starts, start, end);
}

class LazySpan implements Span {
  constructor(
    private readonly starts: readonly number[],
    readonly start: number,
    readonly end: number,
  ) {}
  get line(): number {
    return lineIndex(this.starts, this.start, 0) + 1;
  }
  get column(): number {
    return this.start - this.starts[this.line - 1]! + 1;
  }
  get endLine(): number {
    // The end is usually on the same line or a few lines below: search from the start's line.
    if (this.end === this.start) return this.line;
    return lineIndex(this.starts, this.end, this.end > this.start ? this.line - 1 : 0) + 1;
  }
  get endColumn(): number {
    return this.end - this.starts[this.endLine - 1]! + 1;
  }
  toJSON(): Span {
    const { line, column, endLine, endColumn, start, end } = this;
    return { line, column, endLine, endColumn, start, end };
  }
}

/** 0-based index of the line holding `offset` (binary search from line `from`). */
function lineIndex(starts: readonly number[], offset: number, from: number): number {
  let lo = from;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from `vars` (linear time). */
export function substitute(value: string, vars: ReadonlyMap<string, string | undefined>): string {
  if (!value.includes('$')) return value;
  let out = '';
  let seg = 0;
  let closeAt = -2;
  const n = value.length;
  for (let i = value.indexOf('$'); i >= 0 && i < n; i = value.indexOf('$', i)) {
    if (value.charCodeAt(i + 1) === 123 /* { */) {
      let j = i + 2;
      if (!isNameStart(value.charCodeAt(j))) {
        i++;
        continue;
      }
      while (j < n && isNameChar(value.charCodeAt(j))) j++;
      const name = value.slice(i + 2, j);
      let op = '';
      if (value[j] === ':' && (value[j + 1] === '-' || value[j + 1] === '+')) op = value.slice(j, j + 2);
      else if (value[j] === '-' || value[j] === '+') op = value[j]!;
      j += op.length;
      if (closeAt !== -1 && closeAt < j) closeAt = value.indexOf('}', j);
      if (closeAt < 0 || (op === '' && closeAt !== j)) {
        i++;
        continue;
      }
      const word = value.slice(j, closeAt);
      const v = vars.get(name);
      let rep: string;
      if (op === ':-' || op === '-') rep = v !== undefined && (op === '-' || v !== '') ? v : word;
      else if (op === ':+' || op === '+') rep = v !== undefined && (op === '+' || v !== '') ? word : '';
      else rep = v ?? value.slice(i, closeAt + 1);
      out += value.slice(seg, i) + rep;
      i = closeAt + 1;
      seg = i;
      continue;
    }
    let j = i + 1;
    if (!isNameStart(value.charCodeAt(j))) {
      i++;
      continue;
    }
    while (j < n && isNameChar(value.charCodeAt(j))) j++;
    const v = vars.get(value.slice(i + 1, j));
    if (v !== undefined) {
      out += value.slice(seg, i) + v;
      seg = j;
    }
    i = j;
  }
  return out + value.slice(seg);
}

/** Splits `registry/path:tag@digest` into parts, normalizing docker.io/library/. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (registry === 'docker.io' || registry === 'index.docker.io') registry = undefined;
  if (registry === undefined && rest.startsWith('library/')) rest = rest.slice('library/'.length);
  const out: ImageRef = { ref, name: rest.toLowerCase() };
  if (registry) out.registry = registry;
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
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

/** Removes one level of shell-style quotes and backslash escapes (ENV/ARG values, flags). */
export function unquote(value: string): string {
  if (!/["'\\]/.test(value)) return value;
  let out = '';
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
      else out += c;
    } else if (c === '\\' && i + 1 < value.length) {
      out += value[++i];
    } else if (quote === '"') {
      if (c === '"') quote = '';
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else out += c;
  }
  return out;
}

/** ENV/ARG `k=v` pairs, from BuildKit's reading of the instruction. */
function properties(ins: Instruction): [string, string | undefined][] {
  const args = ins.buildkit.args;
  const out: [string, string | undefined][] = [];
  if (ins.keyword === 'ENV') {
    for (let i = 0; i + 2 < args.length; i += 3) out.push([args[i]!, unquote(args[i + 1]!)]);
    return out;
  }
  for (const a of args) {
    const eq = a.indexOf('=');
    out.push(eq < 0 ? [a, undefined] : [a.slice(0, eq), unquote(a.slice(eq + 1))]);
  }
  return out;
}

export interface ParseResult {
  model: DockerfileModel;
  /** The first problem Docker would reject the file for, if any. */
  problem?: ParseProblem;
  /** Number of build stages BuildKit's instruction parser counts (0 when it rejects the file). */
  buildStages?: number;
}

/** Dockerfile text → model, reading it as BuildKit does; never throws on bad input. */
export function parseDockerfile(text: string): ParseResult {
  const starts = lineStartsOf(text);
  const model: DockerfileModel = {
    text,
    escape: '\\',
    directives: [],
    comments: [],
    globalArgs: new Map(),
    instructions: [],
    stages: [],
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    lineStarts: starts,
  };
  const byName = new Map<string, Stage>();
  const nodes: BkNode[] = [];
  let stage: Stage | undefined;
  let scope = new ScopeBuilder(undefined);
  // Each instruction is converted as the lexer reads it (see lexDockerfile).
  const lex = lexDockerfile(text, (raw, escapeChar) => {
    nodes.push(raw.node);
    const ins = convertInstruction(raw, starts, text, model.instructions.length);
    model.instructions.push(ins);
    const kw = ins.keyword;
    if (kw === 'FROM') {
      stage = startStage(ins, model, byName);
      scope = new ScopeBuilder(stage.parent !== undefined ? model.stages[stage.parent]!.env : undefined);
      return;
    }
    if (!stage) {
      if (kw === 'ARG') {
        for (const [k, v] of properties(ins))
          model.globalArgs.set(k, v === undefined ? v : substitute(v, model.globalArgs));
      }
      ins.stage = -1;
      return;
    }
    ins.stage = stage.index;
    stage.instructions.push(ins);
    if (kw === 'ENV') {
      for (const [k, v] of properties(ins)) {
        const value = substitute(v ?? '', scope.view());
        scope.set(k, value);
        stage.env.set(k, value);
      }
    } else if (kw === 'ARG') {
      for (const [k, v] of properties(ins)) {
        const value = v !== undefined ? substitute(v, scope.view()) : model.globalArgs.get(k);
        stage.args.set(k, value);
        if (!stage.env.has(k)) scope.set(k, value);
      }
    } else if (kw === 'RUN' && ins.exec === null) {
      ins.commands = runCommands(ins, text, escapeChar);
    }
    if (kw === 'RUN') runScopes.set(ins, scope.view());
  });
  model.escape = lex.escape;
  model.directives = lex.directives.map((d) => ({
    name: d.name,
    value: d.value,
    span: spanAt(starts, d.start, d.end),
  }));
  model.comments = lex.comments
    .sort((x, y) => x.start - y.start)
    .map((c) => ({ text: c.text, span: spanAt(starts, c.start, c.end) }));
  let problem: ParseProblem | undefined;
  let buildStages = 0;
  if (lex.error) {
    problem = {
      ...plainWords(lex.error.message, undefined),
      source: 'parser',
      span: spanAt(starts, Math.min(lex.error.start, text.length), Math.min(lex.error.end, text.length)),
    };
  }
  if (!problem) {
    const checked = checkInstructions(nodes);
    buildStages = checked.stages;
    if (checked.problem) {
      const at = model.instructions[checked.problem.index];
      const end = text.length;
      const last = starts.length;
      problem = {
        ...plainWords(checked.problem.message, at?.keyword),
        source: 'instruction',
        span: at ? at.span : { line: last, column: 1, endLine: last, endColumn: 1, start: end, end },
      };
    }
  }
  const out: ParseResult = { model, buildStages: problem ? 0 : buildStages };
  if (problem) out.problem = problem;
  return out;
}

/** A problem in plain words, keeping BuildKit's reason when the words differ. */
function plainWords(reason: string, keyword: string | undefined): { message: string; reason?: string } {
  let message = reason;
  if (reason === 'no build stage in current context') {
    message = `${keyword ?? 'an instruction'} before the first FROM: only ARG may come before FROM`;
  } else if (reason === 'no build stage') message = 'no FROM instruction: the file has no build stage';
  else if (reason === 'file with no instructions') message = 'the file has no instructions';
  else if (reason === 'unterminated heredoc') {
    message = 'unterminated heredoc: no line after it is exactly its delimiter word';
  } else if (reason.startsWith('dockerfile line greater than')) {
    message = `a line is longer than ${MAX_LINE_BYTES} bytes, which BuildKit refuses`;
  }
  return message === reason ? { message } : { message, reason };
}

/**
 * The variables (ENV and ARG values) in effect for a RUN, kept on the instruction under a
 * private symbol (a WeakMap of thousands of entries costs the garbage collector more).
 */
const SCOPE = Symbol('scope');
type Scoped = Instruction & { [SCOPE]?: ReadonlyMap<string, string | undefined> };
const runScopes = {
  set(ins: Instruction, scope: ReadonlyMap<string, string | undefined>): void {
    Object.defineProperty(ins, SCOPE, { value: scope, enumerable: false });
  },
};

/** ENV and ARG values visible to `ins` (RUN sees both as environment variables). */
export function scopeAt(ins: Instruction): ReadonlyMap<string, string | undefined> {
  return (ins as Scoped)[SCOPE] ?? new Map();
}

/** BuildKit's node as goimg's model (iterative: ONBUILD chains can be thousands deep). */
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

function convertInstruction(
  raw: RawInstruction,
  starts: readonly number[],
  text: string,
  index: number,
): Instruction {
  const keyword = raw.keyword.toUpperCase();
  const span = spanAt(starts, raw.start, raw.end);
  const keywordSpan = spanAt(starts, raw.keywordStart, raw.keywordEnd);
  const bk = toBuildkit(raw.node);
  const flags: Flag[] = raw.flagWords.map((w, i) => convertFlag(starts, w, bk.flags[i] ?? w.value));
  let exec: string[] | null = null;
  if (bk.json) exec = keyword === 'HEALTHCHECK' ? bk.args.slice(1) : bk.args;
  // Arguments with spans: BuildKit's JSON strings, else goimg's blank-separated words.
  const args: Argument[] =
    bk.json && keyword !== 'HEALTHCHECK'
      ? jsonArgs(raw, bk.args, starts, text)
      : raw.words.map((w) => ({ value: w.value, span: spanAt(starts, w.start, w.end) }));
  const argsStart = raw.argsStart;
  const argsText = text.slice(argsStart, Math.max(argsStart, span.end));
  const heredocs: Heredoc[] =
    raw.heredocs.length === 0
      ? []
      : raw.heredocs.map((h) => ({
          name: h.name,
          body: h.content,
          bodyStart: h.bodyStart,
          expand: h.expand,
          chomp: h.chomp,
        }));
  return {
    keyword,
    span,
    keywordSpan,
    flags,
    args,
    argsStart,
    argsText,
    exec,
    heredocs,
    stage: -1,
    index,
    commands: [],
    startLine: raw.startLine,
    endLine: raw.endLine,
    buildkit: bk,
  };
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
      if (depth === 1) out.push({ value: values[k++]!, span: spanAt(starts, s, Math.min(i + 1, end)) });
    }
  }
  // A JSON form split over continuation lines still gets every value.
  for (; k < values.length; k++) out.push({ value: values[k]!, span: spanAt(starts, raw.argsStart, end) });
  return out;
}

function runCommands(ins: Instruction, text: string, escapeChar: string): Instruction['commands'] {
  if (ins.heredocs.length === 0) {
    return splitShell(ins.argsText, { base: ins.argsStart, escape: escapeChar });
  }
  // First line: the command holding the heredoc markers; the body is a script when the
  // command is a bare `<<EOF` or a shell reading it.
  const firstBody = ins.heredocs[0]!.bodyStart;
  const lineEnd = Math.max(ins.argsStart, Math.min(ins.span.end, firstBody > 0 ? firstBody - 1 : firstBody));
  const first = splitShell(text.slice(ins.argsStart, lineEnd), { base: ins.argsStart, escape: escapeChar });
  const head = first[0]?.words[0]?.value;
  const scriptBody =
    first.length === 0 || head === 'sh' || head === 'bash' || head === 'ash' || head === '/bin/sh';
  const out = scriptBody && head ? first.slice(1) : first;
  if (scriptBody) {
    for (const h of ins.heredocs) {
      for (const c of splitShell(h.body, { base: h.bodyStart, dockerfileLines: false })) out.push(c);
    }
  }
  return out;
}

function startStage(ins: Instruction, model: DockerfileModel, byName: Map<string, Stage>): Stage {
  const args = ins.args;
  const baseRaw = args[0]?.value ?? '';
  const base = substitute(baseRaw, model.globalArgs);
  const index = model.stages.length;
  const stage: Stage = {
    index,
    from: ins,
    baseRaw,
    base,
    scratch: base.toLowerCase() === 'scratch',
    unresolved: base.includes('$') || base === '',
    instructions: [],
    env: new Map(),
    args: new Map(),
  };
  ins.stage = index;
  if (args.length === 3) stage.name = args[2]!.value.toLowerCase();
  const platform = ins.flags.find((f) => f.name === 'platform');
  if (platform?.value) stage.platform = platform.value;
  const parent = byName.get(base.toLowerCase());
  if (parent) {
    stage.parent = parent.index;
    stage.env = new Map(parent.env);
  } else if (!stage.scratch && !stage.unresolved) {
    stage.image = parseImageRef(base);
  }
  model.stages.push(stage);
  if (stage.name !== undefined && !byName.has(stage.name)) byName.set(stage.name, stage);
  return stage;
}
