/**
 * The public, stable view of goimg's Dockerfile parser (schemas/dockerfile-parse.schema.json):
 * what BuildKit's parser reads from the file, with goimg's positions. Tools can build on it
 * without depending on goimg's internal model, which may change.
 */

import type { BuildkitNode, Instruction } from './model.js';
import { parseDockerfile as parseModel } from './parse.js';

export interface ParsedPosition {
  /** 1-based line and column (columns count UTF-16 code units). */
  line: number;
  column: number;
  /** 0-based offset into the text. */
  offset: number;
}

export interface ParsedTrigger {
  keyword: string;
  flags: string[];
  args: string[];
  json: boolean;
  trigger?: ParsedTrigger;
}

export interface ParsedInstruction {
  /** The keyword as written (`RUN`, `run`). */
  keyword: string;
  /** 1-based lines as BuildKit counts them, heredoc bodies included. */
  startLine: number;
  endLine: number;
  /** Where the instruction is in the text: from its keyword to its last character. */
  range: { start: ParsedPosition; end: ParsedPosition };
  /** `--name=value` words, quotes resolved, as BuildKit reads them. */
  flags: string[];
  /** BuildKit's arguments: JSON strings in exec form, else as the instruction reads them. */
  args: string[];
  /** True when the arguments are a JSON array (exec form). */
  json: boolean;
  heredocs: { name: string; content: string; expand: boolean; chomp: boolean }[];
  /** ONBUILD's trigger instruction. */
  trigger?: ParsedTrigger;
}

export interface ParsedError {
  line: number;
  column: number;
  /** BuildKit's reason. */
  message: string;
  /** `parser`: BuildKit's Dockerfile parser rejects the file; `instruction`: its instruction parser does. */
  source: 'parser' | 'instruction';
}

export interface ParsedDockerfile {
  /** Parser directives in effect (`syntax`, `escape`, `check`), in file order. */
  directives: { name: string; value: string; line: number }[];
  escapeToken: string;
  instructions: ParsedInstruction[];
  /** Build stages (FROM instructions) in order. */
  stages: { index: number; name: string | null; base: string; instruction: number }[];
  /** Empty when BuildKit accepts the file; else the first reason it rejects it. */
  errors: ParsedError[];
}

function trigger(node: BuildkitNode): ParsedTrigger {
  const top: ParsedTrigger = { keyword: node.keyword, flags: node.flags, args: node.args, json: node.json };
  let out = top;
  for (let n = node.trigger; n; n = n.trigger) {
    const t: ParsedTrigger = { keyword: n.keyword, flags: n.flags, args: n.args, json: n.json };
    out.trigger = t;
    out = t;
  }
  return top;
}

function instruction(ins: Instruction): ParsedInstruction {
  const bk = ins.buildkit;
  const out: ParsedInstruction = {
    keyword: bk.keyword,
    startLine: ins.startLine,
    endLine: ins.endLine,
    range: {
      start: { line: ins.span.line, column: ins.span.column, offset: ins.span.start },
      end: { line: ins.span.endLine, column: ins.span.endColumn, offset: ins.span.end },
    },
    flags: bk.flags,
    args: bk.args,
    json: bk.json,
    heredocs: ins.heredocs.map((h) => ({ name: h.name, content: h.body, expand: h.expand, chomp: h.chomp })),
  };
  if (bk.trigger) out.trigger = trigger(bk.trigger);
  return out;
}

/**
 * Parses Dockerfile text exactly as BuildKit's parser does. Never throws on bad input: what
 * BuildKit rejects comes back in `errors` (prefixed with `file` when given).
 */
export function parseDockerfile(text: string, options: { file?: string } = {}): ParsedDockerfile {
  const { model, problem } = parseModel(text);
  const errors: ParsedError[] = [];
  if (problem) {
    const reason = problem.reason ?? problem.message;
    errors.push({
      line: problem.span.line,
      column: problem.span.column,
      message: options.file ? `${options.file}:${problem.span.line}: ${reason}` : reason,
      source: problem.source ?? 'parser',
    });
  }
  return {
    directives: model.directives.map((d) => ({ name: d.name, value: d.value, line: d.span.line })),
    escapeToken: model.escape,
    instructions: model.instructions.map(instruction),
    stages: problem
      ? []
      : model.stages.map((s) => ({
          index: s.index,
          name: s.name ?? null,
          base: s.baseRaw,
          instruction: s.from.index,
        })),
    errors,
  };
}
