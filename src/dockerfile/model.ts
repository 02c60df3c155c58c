/**
 * The typed Dockerfile model: what rules read. Built by `parseDockerfile()` from the original
 * text; every node carries a 1-based range for findings and offsets for fixes.
 */
import type { ShellCommand, Word } from './shell.js';

/** A range in the original text: 1-based line/column (end exclusive) plus string offsets. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  start: number;
  end: number;
}

export interface Flag {
  /** Flag name without dashes, as written (BuildKit's flag names are case-sensitive). */
  name: string;
  value: string | null;
  span: Span;
  /** `--mount=type=cache,target=/x` options as a map (`type`, `target`, `id`, `source`...). */
  options: Record<string, string>;
}

export interface Argument {
  value: string;
  span: Span;
}

export interface Heredoc {
  name: string;
  /** The body text (between the marker line and the delimiter). */
  body: string;
  bodyStart: number;
  /** False when the delimiter is quoted in any part (`<<'EOF'`): no variable expansion. */
  expand: boolean;
  /** `<<-EOF`: leading tabs are stripped from the body lines. */
  chomp: boolean;
}

/** An instruction exactly as BuildKit's parser reads it. */
export interface BuildkitNode {
  /** The keyword as written. */
  keyword: string;
  /** `--name=value` words, quotes and escapes resolved; names are case-sensitive. */
  flags: string[];
  /**
   * The arguments: the JSON strings in exec form; else the shell text (RUN/CMD/ENTRYPOINT/
   * SHELL/USER/WORKDIR...), whitespace words (FROM/COPY/ADD/EXPOSE/VOLUME), `key, value, sep`
   * triplets (ENV/LABEL) or words (ARG).
   */
  args: string[];
  json: boolean;
  /** ONBUILD's trigger instruction. */
  trigger?: BuildkitNode;
}

export interface Instruction {
  /** Upper-case keyword (`RUN`), whatever the case in the file. */
  keyword: string;
  span: Span;
  keywordSpan: Span;
  flags: Flag[];
  /** Arguments after the flags, split on blanks outside quotes (quotes kept); the JSON strings in exec form. */
  args: Argument[];
  /** Offset where the arguments start (after the flags), and the raw argument text. */
  argsStart: number;
  argsText: string;
  /** Exec form (`["a","b"]`) of any instruction BuildKit reads as JSON (HEALTHCHECK: the CMD part), else null. */
  exec: string[] | null;
  heredocs: Heredoc[];
  /** Index of the stage the instruction belongs to (-1 for global ARGs before the first FROM). */
  stage: number;
  /** Index in `DockerfileModel.instructions`. */
  index: number;
  /** Shell commands for RUN (shell form or heredoc script); empty otherwise. */
  commands: ShellCommand[];
  /** 1-based first and last line as BuildKit counts them (heredoc bodies included). */
  startLine: number;
  endLine: number;
  /** BuildKit's reading of the instruction. */
  buildkit: BuildkitNode;
}

export interface ImageRef {
  /** As written after ARG substitution, e.g. `golang:1.21-alpine`. */
  ref: string;
  registry?: string;
  /** Repository path without registry, e.g. `golang`, `distroless/static-debian12`. */
  name: string;
  tag?: string;
  digest?: string;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased like BuildKit does. */
  name?: string;
  from: Instruction;
  /** The FROM argument as written (`golang:${GO_VERSION}`). */
  baseRaw: string;
  /** The FROM argument with ARG defaults substituted. */
  base: string;
  /** Index of an earlier stage this one starts from, if any. */
  parent?: number;
  /** The image reference when the base is an image (not a stage, not unresolvable). */
  image?: ImageRef;
  /** True when `scratch`. */
  scratch: boolean;
  /** True when the base still holds an unresolved `$VAR` after substitution. */
  unresolved: boolean;
  platform?: string;
  instructions: Instruction[];
  /** ENV in effect at the end of the stage, inherited from a parent stage. */
  env: Map<string, string>;
  /** ARGs declared in the stage with their defaults (undefined = no default). */
  args: Map<string, string | undefined>;
}

export interface Directive {
  name: string;
  value: string;
  span: Span;
}

export interface Comment {
  text: string;
  span: Span;
}

export interface DockerfileModel {
  text: string;
  escape: string;
  directives: Directive[];
  comments: Comment[];
  /** ARGs before the first FROM with their defaults. */
  globalArgs: Map<string, string | undefined>;
  instructions: Instruction[];
  stages: Stage[];
  /** The line break used by the file (`\r\n` for CRLF files). */
  eol: string;
  lineStarts: number[];
}

export interface ParseProblem {
  /** The problem in plain words. */
  message: string;
  /** BuildKit's own message, when it differs from `message`. */
  reason?: string;
  /** Which BuildKit stage rejects the file: its parser, or its instruction parser. */
  source?: 'parser' | 'instruction';
  span: Span;
}

export type { ShellCommand, Word };
