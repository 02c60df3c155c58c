/**
 * Dockerfile text → DockerfileModel. The lexer reads the file as BuildKit's parser does
 * (instructions, directives, comments, heredocs, BuildKit's node per instruction, with
 * offsets); this module adds 1-based ranges and flags, resolves FROM (ARG defaults, stage
 * references), tracks ENV/ARG per stage without copying them, splits RUN shell text, and runs
 * BuildKit's instruction checks. It never throws on bad input: what BuildKit's parser or
 * instruction parser rejects comes back as `problem`, in plain words with BuildKit's reason.
 */

import { ModelInstruction, type RunSource } from './instruction.js';
import { checkInstructions } from './instructions.js';
import { lexDockerfile, MAX_LINE_BYTES } from './lexer.js';
import type { BkNode } from './line-parsers.js';
import type { DockerfileModel, ImageRef, Instruction, ParseProblem, Stage } from './model.js';
import { ScopeBuilder } from './scope.js';
import { lineStartsOf, spanAt } from './span.js';

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
/**
 * `buildArgs`: values passed as with `docker build --build-arg`: each replaces the default of the
 * ARG it names, wherever that ARG is declared (an undeclared one changes nothing, as in BuildKit).
 */
export function parseDockerfile(text: string, buildArgs?: ReadonlyMap<string, string>): ParseResult {
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
  let source: RunSource | undefined;
  const lex = lexDockerfile(text, (raw, escapeChar) => {
    nodes.push(raw.node);
    source ??= { text, escape: escapeChar };
    const ins = new ModelInstruction(raw, starts, model.instructions.length, source);
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
          model.globalArgs.set(
            k,
            buildArgs?.has(k) ? buildArgs.get(k) : v === undefined ? v : substitute(v, model.globalArgs),
          );
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
        const value = buildArgs?.has(k)
          ? buildArgs.get(k)
          : v !== undefined
            ? substitute(v, scope.view())
            : model.globalArgs.get(k);
        stage.args.set(k, value);
        if (!stage.env.has(k)) scope.set(k, value);
      }
    }
    // What RUN, COPY and ADD see of the ARG and ENV values (BuildKit expands their words with it).
    if (kw === 'RUN' || kw === 'COPY' || kw === 'ADD') ins.scope = scope.view();
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

const PLATFORM_OS: ReadonlyMap<string, string> = new Map([
  ['TARGETOS', 'linux'],
  ['BUILDOS', 'linux'],
]);

function startStage(ins: Instruction, model: DockerfileModel, byName: Map<string, Stage>): Stage {
  const args = ins.args;
  const baseRaw = args[0]?.value ?? '';
  let base = substitute(baseRaw, model.globalArgs);
  // BuildKit defines the platform ARGs in the global scope: a FROM that names a stage by OS
  // (`FROM bin-${TARGETOS}`) is that stage for the target, linux for a Linux image.
  if (base.includes('$')) {
    const forLinux = substitute(base, PLATFORM_OS);
    if (byName.has(forLinux.toLowerCase())) base = forLinux;
  }
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
