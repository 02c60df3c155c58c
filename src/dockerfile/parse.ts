/**
 * Dockerfile text → DockerfileModel. dockerfile-ast finds instructions, flags, directives,
 * comments and heredocs with ranges; this module turns them into offsets, resolves FROM
 * (ARG defaults, stage references), tracks ENV/ARG per stage and splits RUN shell text.
 * It never throws on bad input: problems Docker itself would reject come back as `problem`.
 */
import {
  type Flag as AstFlag,
  type Heredoc as AstHeredoc,
  type Instruction as AstInstruction,
  DockerfileParser,
  type PropertyInstruction,
} from 'dockerfile-ast';
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

interface AstRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

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

/** Line start offsets, counting \r\n, \r and \n as one break each (as dockerfile-ast does). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function offsetOf(starts: number[], line: number, character: number): number {
  return (starts[line] ?? starts[starts.length - 1]!) + character;
}

function spanOf(starts: number[], r: AstRange): Span {
  return {
    line: r.start.line + 1,
    column: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
    start: offsetOf(starts, r.start.line, r.start.character),
    end: offsetOf(starts, r.end.line, r.end.character),
  };
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

function convertFlag(starts: number[], f: AstFlag): Flag {
  const options: Record<string, string> = {};
  for (const o of f.getOptions()) options[o.getName().toLowerCase()] = o.getValue() ?? '';
  // dockerfile-ast reads no options from a flag like --mount=type=cache (one option only).
  if (Object.keys(options).length === 0 && f.getValue()?.includes('=')) {
    for (const part of (f.getValue() ?? '').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) options[part.slice(0, eq).toLowerCase()] = part.slice(eq + 1);
      else if (part) options[part.toLowerCase()] = '';
    }
  }
  return {
    name: f.getName().toLowerCase(),
    value: f.getValue(),
    span: spanOf(starts, f.getRange()),
    options,
  };
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
  const ast = DockerfileParser.parse(text);
  const escapeChar = ast.getEscapeCharacter();
  const model: DockerfileModel = {
    text,
    escape: escapeChar,
    directives: ast.getDirectives().map((d) => ({
      name: d.getName().toLowerCase(),
      value: d.getValue(),
      span: spanOf(starts, d.getRange()),
    })),
    comments: ast.getComments().map((c) => ({ text: c.getContent(), span: spanOf(starts, c.getRange()) })),
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
  for (const node of ast.getInstructions()) {
    const ins = convertInstruction(node, starts, text, model.instructions.length);
    model.instructions.push(ins);
    const kw = ins.keyword;
    if (!KNOWN.has(kw)) {
      fail(`unknown instruction: ${node.getInstruction()}`, ins.keywordSpan);
      continue;
    }
    if (kw === 'FROM') {
      stage = startStage(ins, model, fail);
      scope = new Map(stage.parent !== undefined ? model.stages[stage.parent]!.env : []);
      continue;
    }
    if (!stage) {
      if (kw === 'ARG') {
        for (const [k, v] of properties(node))
          model.globalArgs.set(k, v === undefined ? v : substitute(v, model.globalArgs));
      } else fail(`${kw} before the first FROM: only ARG may come before FROM`, ins.keywordSpan);
      ins.stage = -1;
      continue;
    }
    ins.stage = stage.index;
    stage.instructions.push(ins);
    if (kw === 'ENV') {
      for (const [k, v] of properties(node)) {
        const value = substitute(v ?? '', scope);
        scope.set(k, value);
        stage.env.set(k, value);
      }
    } else if (kw === 'ARG') {
      for (const [k, v] of properties(node)) {
        const value = v !== undefined ? substitute(v, scope) : model.globalArgs.get(k);
        stage.args.set(k, value);
        if (!stage.env.has(k)) scope.set(k, value);
      }
    } else if (kw === 'RUN' && ins.exec === null) {
      ins.commands = runCommands(ins, text, escapeChar);
    }
    runScopes.set(ins, new Map(scope));
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

function properties(node: AstInstruction): [string, string | undefined][] {
  const props = (node as PropertyInstruction).getProperties?.() ?? [];
  return props.map((p) => [p.getName(), p.getValue() ?? undefined]);
}

function convertInstruction(
  node: AstInstruction,
  starts: number[],
  text: string,
  index: number,
): Instruction {
  const span = spanOf(starts, node.getRange());
  const flagNodes = (node as { getFlags?: () => AstFlag[] }).getFlags?.() ?? [];
  const flags = flagNodes.map((f) => convertFlag(starts, f));
  const args: Argument[] = node
    .getArguments()
    .map((a) => ({ value: a.getValue(), span: spanOf(starts, a.getRange()) }));
  const keywordSpan = spanOf(starts, node.getInstructionRange());
  let argsStart = flags.length > 0 ? flags[flags.length - 1]!.span.end : keywordSpan.end;
  if (args.length > 0) argsStart = args[0]!.span.start;
  const argsText = text.slice(argsStart, Math.max(argsStart, span.end));
  const heredocNodes =
    (node as unknown as { getHeredocs?: () => AstHeredoc[] }).getHeredocs?.call(node) ?? [];
  const heredocs: Heredoc[] = [];
  for (const h of heredocNodes) {
    const r = h.getContentRange();
    if (!r) continue;
    const s = spanOf(starts, r);
    heredocs.push({ name: h.getName(), body: text.slice(s.start, s.end), bodyStart: s.start });
  }
  const keyword = node.getKeyword().toUpperCase();
  const exec = keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT' ? execForm(argsText) : null;
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
