/**
 * Dockerfile text → DockerfileModel. The lexer finds instructions, words, directives,
 * comments and heredocs with offsets; this module adds 1-based ranges and flags, resolves FROM
 * (ARG defaults, stage references), tracks ENV/ARG per stage and splits RUN shell text.
 * It never throws on bad input: problems Docker itself would reject come back as `problem`.
 */

import { lexDockerfile, type RawInstruction, type RawWord } from './lexer.js';
import type {
  Argument,
  DockerfileModel,
  Flag,
  Heredoc,
  ImageRef,
  Instruction,
  ParseProblem,
  Span,
  Stage,
} from './model.js';
import { splitShell } from './shell.js';

const KNOWN = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** Line start offsets; lines end at \n (a \r before it stays part of the line, as in BuildKit). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line/column span of [start, end) from line start offsets. */
export function spanAt(starts: readonly number[], start: number, end: number): Span {
  const [line, column] = position(starts, start);
  const [endLine, endColumn] = position(starts, end);
  return { line, column, endLine, endColumn, start, end };
}

function position(starts: readonly number[], offset: number): [number, number] {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [lo + 1, offset - starts[lo]! + 1];
}

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from `vars`. */
export function substitute(value: string, vars: ReadonlyMap<string, string | undefined>): string {
  if (!value.includes('$')) return value;
  return value.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      whole,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const name = braced ?? bare!;
      const v = vars.get(name);
      if (op === ':-' || op === '-') return v !== undefined && (op === '-' || v !== '') ? v : (word ?? '');
      if (op === ':+' || op === '+') return v !== undefined && (op === '+' || v !== '') ? (word ?? '') : '';
      return v ?? whole;
    },
  );
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

const FLAG_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

function convertFlag(starts: readonly number[], w: RawWord): Flag {
  const body = w.value.slice(2);
  const eq = body.indexOf('=');
  const name = (eq < 0 ? body : body.slice(0, eq)).toLowerCase();
  const value = eq < 0 ? null : unquote(body.slice(eq + 1));
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

/** ENV/ARG `k=v` pairs (and ENV's old `ENV KEY value with spaces` form). */
function properties(ins: Instruction): [string, string | undefined][] {
  const args = ins.args;
  if (ins.keyword === 'ENV' && args.length > 0 && !args[0]!.value.includes('=')) {
    const rest = ins.argsText.slice(args[0]!.span.end - ins.argsStart).trim();
    return [[args[0]!.value, unquote(rest)]];
  }
  return args.map((a) => {
    const eq = a.value.indexOf('=');
    return eq < 0 ? [a.value, undefined] : [a.value.slice(0, eq), unquote(a.value.slice(eq + 1))];
  });
}

function execForm(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // Docker treats invalid JSON as shell form.
  }
  return null;
}

export interface ParseResult {
  model: DockerfileModel;
  /** The first problem Docker would reject the file for, if any. */
  problem?: ParseProblem;
}

export function parseDockerfile(text: string): ParseResult {
  const starts = lineStartsOf(text);
  const lex = lexDockerfile(text);
  const escapeChar = lex.escape;
  const model: DockerfileModel = {
    text,
    escape: escapeChar,
    directives: lex.directives.map((d) => ({
      name: d.name,
      value: d.value,
      span: spanAt(starts, d.start, d.end),
    })),
    comments: lex.comments
      .sort((x, y) => x.start - y.start)
      .map((c) => ({ text: c.text, span: spanAt(starts, c.start, c.end) })),
    globalArgs: new Map(),
    instructions: [],
    stages: [],
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    lineStarts: starts,
  };
  let problem: ParseProblem | undefined;
  const fail = (message: string, span: Span): void => {
    problem ??= { message, span };
  };

  let stage: Stage | undefined;
  let scope = new Map<string, string | undefined>();
  for (const raw of lex.instructions) {
    const ins = convertInstruction(raw, starts, text, model.instructions.length);
    model.instructions.push(ins);
    const kw = ins.keyword;
    if (!KNOWN.has(kw)) {
      fail(`unknown instruction: ${raw.keyword}`, ins.keywordSpan);
      continue;
    }
    if (kw === 'FROM') {
      stage = startStage(ins, model, fail);
      scope = new Map(stage.parent !== undefined ? model.stages[stage.parent]!.env : []);
      continue;
    }
    if (!stage) {
      if (kw === 'ARG') {
        for (const [k, v] of properties(ins))
          model.globalArgs.set(k, v === undefined ? v : substitute(v, model.globalArgs));
      } else fail(`${kw} before the first FROM: only ARG may come before FROM`, ins.keywordSpan);
      ins.stage = -1;
      continue;
    }
    ins.stage = stage.index;
    stage.instructions.push(ins);
    if (kw === 'ENV') {
      for (const [k, v] of properties(ins)) {
        const value = substitute(v ?? '', scope);
        scope.set(k, value);
        stage.env.set(k, value);
      }
    } else if (kw === 'ARG') {
      for (const [k, v] of properties(ins)) {
        const value = v !== undefined ? substitute(v, scope) : model.globalArgs.get(k);
        stage.args.set(k, value);
        if (!stage.env.has(k)) scope.set(k, value);
      }
    } else if (kw === 'RUN' && ins.exec === null) {
      ins.commands = runCommands(ins, text, escapeChar);
    }
    if (kw === 'RUN') runScopes.set(ins, new Map(scope));
  }
  if (model.stages.length === 0) {
    const end = text.length;
    const last = starts.length;
    fail(
      model.instructions.length === 0
        ? 'the file has no instructions'
        : 'no FROM instruction: the file has no build stage',
      { line: last, column: 1, endLine: last, endColumn: 1, start: end, end },
    );
  }
  return problem ? { model, problem } : { model };
}

/** The variables (ENV and ARG values) in effect for each instruction of a stage. */
const runScopes = new WeakMap<Instruction, Map<string, string | undefined>>();

/** ENV and ARG values visible to `ins` (RUN sees both as environment variables). */
export function scopeAt(ins: Instruction): ReadonlyMap<string, string | undefined> {
  return runScopes.get(ins) ?? new Map();
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
  let k = 0;
  const flags: Flag[] = [];
  if (FLAG_KEYWORDS.has(keyword)) {
    while (k < raw.words.length && raw.words[k]!.value.startsWith('--'))
      flags.push(convertFlag(starts, raw.words[k++]!));
  }
  const args: Argument[] = [];
  for (; k < raw.words.length; k++) {
    const w = raw.words[k]!;
    args.push({ value: w.value, span: spanAt(starts, w.start, w.end) });
  }
  const argsStart =
    args.length > 0
      ? args[0]!.span.start
      : flags.length > 0
        ? flags[flags.length - 1]!.span.end
        : keywordSpan.end;
  const argsText = text.slice(argsStart, Math.max(argsStart, span.end));
  const heredocs: Heredoc[] = raw.heredocs.map((h) => ({
    name: h.name,
    body: text.slice(h.bodyStart, h.bodyEnd),
    bodyStart: h.bodyStart,
  }));
  let exec: string[] | null = null;
  if (
    (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') &&
    args[0]?.value.startsWith('[')
  ) {
    exec = execForm(args.map((a) => a.value).join(' '));
  }
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
  };
}

function runCommands(ins: Instruction, text: string, escapeChar: string): Instruction['commands'] {
  if (ins.heredocs.length === 0) {
    return splitShell(ins.argsText, { base: ins.argsStart, escape: escapeChar });
  }
  // First line: the command holding the heredoc markers; the body is a script when the
  // command is a bare `<<EOF` or a shell reading it.
  const nl = text.indexOf('\n', ins.argsStart);
  const lineEnd = nl < 0 || nl > ins.span.end ? ins.span.end : nl;
  const first = splitShell(text.slice(ins.argsStart, lineEnd), { base: ins.argsStart, escape: escapeChar });
  const head = first[0]?.words[0]?.value;
  const scriptBody =
    first.length === 0 || head === 'sh' || head === 'bash' || head === 'ash' || head === '/bin/sh';
  const out = scriptBody && head ? first.slice(1) : first;
  if (scriptBody) {
    for (const h of ins.heredocs)
      out.push(...splitShell(h.body, { base: h.bodyStart, dockerfileLines: false }));
  }
  return out;
}

function startStage(
  ins: Instruction,
  model: DockerfileModel,
  fail: (message: string, span: Span) => void,
): Stage {
  const args = ins.args;
  if (args.length !== 1 && !(args.length === 3 && args[1]!.value.toLowerCase() === 'as')) {
    fail('FROM requires either one or three arguments (FROM image [AS name])', ins.span);
  }
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
  const parent = model.stages.find((s) => s.name !== undefined && s.name === base.toLowerCase());
  if (parent) {
    stage.parent = parent.index;
    stage.env = new Map(parent.env);
  } else if (!stage.scratch && !stage.unresolved) {
    stage.image = parseImageRef(base);
  }
  model.stages.push(stage);
  return stage;
}
