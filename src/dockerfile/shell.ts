/**
 * A small, fast splitter for the shell text of RUN instructions: commands and words with
 * offsets into the original Dockerfile text, so rules can read `CGO_ENABLED=0 go build ...`
 * and fixes can edit exactly one word. It is not a shell: it understands what the rules need
 * (operators, quotes, escapes, $(...), env-prefix assignments, Dockerfile line continuations
 * and comment lines inside them, shell comments) and never throws. A full shell parser
 * (sh-syntax) costs more to import and per parse than the whole audit may take.
 */

/** Shells that run a script file or a `-c` string, by name or by path. */
const SHELL_NAMES = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

/** A command that is a shell, by name (`sh`) or by path (`/bin/bash`). */
export function isShell(command: string): boolean {
  return SHELL_NAMES.has(command.slice(command.lastIndexOf('/') + 1));
}

export interface Word {
  /** The word with quotes and escapes removed; `$VAR` and `$(...)` are kept as written. */
  value: string;
  /** Offsets into the original Dockerfile text: [start, end). */
  start: number;
  end: number;
}

export type Separator = '&&' | '||' | ';' | '|' | '&' | '\n';

export interface ShellCommand {
  /** Environment assignments before the command name (`CGO_ENABLED=0 go build`). */
  assignments: { name: string; value: string; word: Word }[];
  /** The command name and its arguments (redirections and reserved words removed). */
  words: Word[];
  /** The operator that joined this command to the previous one (null for the first). */
  after: Separator | null;
  start: number;
  end: number;
}

export interface SplitOptions {
  /** Offset of `text` in the original document (added to every offset). */
  base?: number;
  /** The Dockerfile escape character: `\` (default) or a backtick. */
  escape?: string;
  /**
   * True for Dockerfile instruction text, where escape+newline joins lines and comment lines
   * inside the continuation are dropped; false for heredoc bodies (a real script).
   */
  dockerfileLines?: boolean;
}

const RESERVED = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'time']);
const ENDERS = new Set(['fi', 'done', '}', 'esac']);
const ASSIGN_RE = /^[A-Za-z_][A-Za-z0-9_]*=/;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

/** Splits shell text into commands. Never throws; unbalanced quotes end at the text's end. */
export function splitShell(text: string, options: SplitOptions = {}): ShellCommand[] {
  const base = options.base ?? 0;
  const esc = options.escape ?? '\\';
  const dfLines = options.dockerfileLines ?? true;
  const n = text.length;
  const commands: ShellCommand[] = [];
  let words: Word[] = [];
  let after: Separator | null = null;
  let i = 0;
  let redirect = false;

  /**
   * At a continuation? Returns the index after it, or -1. In a Dockerfile line: the escape,
   * blanks, a newline; in a script (a heredoc body): a backslash right before the newline.
   */
  const continuationEnd = (at: number): number => {
    if (!dfLines) {
      if (text[at] !== '\\') return -1;
      if (text[at + 1] === '\n') return at + 2;
      return text[at + 1] === '\r' && text[at + 2] === '\n' ? at + 3 : -1;
    }
    if (text[at] !== esc) return -1;
    let j = at + 1;
    while (j < n && isSpace(text[j]!) && text[j] !== '\r') j++;
    if (text[j] === '\r') j++;
    if (text[j] !== '\n') return j >= n && j > at + 1 ? n : -1;
    j++;
    // Docker drops empty lines and comment lines inside a continued instruction.
    for (;;) {
      let k = j;
      while (k < n && isSpace(text[k]!)) k++;
      if (k < n && text[k] !== '#' && text[k] !== '\n') break;
      while (k < n && text[k] !== '\n') k++;
      if (k >= n) break;
      j = k + 1;
    }
    return j;
  };

  const flush = (sep: Separator | null): void => {
    if (words.length > 0) {
      const cmd = makeCommand(words, after);
      if (cmd) commands.push(cmd);
    }
    words = [];
    after = sep;
    redirect = false;
  };

  while (i < n) {
    const c = text[i]!;
    const cont = continuationEnd(i);
    if (cont >= 0) {
      i = cont;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '\n') {
      flush('\n');
      i++;
      continue;
    }
    if (c === '#') {
      // A comment runs to the end of the physical line; after a continuation join, Docker
      // has already glued the next lines on, so it runs to the end of the instruction.
      while (i < n && text[i] !== '\n') {
        // In a script, a comment ends at its newline, backslash or not.
        const ce = dfLines ? continuationEnd(i) : -1;
        i = ce >= 0 ? ce : i + 1;
      }
      continue;
    }
    if (c === '&' || c === '|' || c === ';') {
      const two = text.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        flush(two);
        i += 2;
      } else if (c === ';' && text[i + 1] === ';') {
        flush(';');
        i += 2;
      } else {
        flush(c as Separator);
        i++;
      }
      continue;
    }
    if (c === '(' || c === ')') {
      flush(';');
      i++;
      continue;
    }
    if (c === '>' || c === '<') {
      // Redirection: skip the operator; the next word is its target, not an argument.
      let j = i + 1;
      while (j < n && (text[j] === '>' || text[j] === '<' || text[j] === '&' || text[j] === '|')) j++;
      i = j;
      redirect = true;
      continue;
    }
    // A word.
    const start = i;
    // The value is built from slices between quotes, escapes and continuations.
    let value = '';
    let seg = i;
    let depth = 0;
    while (i < n) {
      const ch = text[i]!;
      if (ch === esc) {
        const ce = continuationEnd(i);
        if (ce >= 0) {
          value += text.slice(seg, i);
          i = ce;
          seg = i;
          continue;
        }
      }
      if (
        depth === 0 &&
        (isSpace(ch) ||
          ch === '\n' ||
          ch === ';' ||
          ch === '&' ||
          ch === '|' ||
          ch === '>' ||
          ch === '<' ||
          ch === ')' ||
          ch === '(')
      ) {
        if (ch === '(' && i > seg && text[i - 1] === '$') {
          depth++;
          i++;
          continue;
        }
        break;
      }
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        const stop = close < 0 ? n : close;
        value += text.slice(seg, i) + text.slice(i + 1, stop);
        i = stop + 1;
        seg = i;
        continue;
      }
      if (ch === '"') {
        value += text.slice(seg, i);
        i++;
        seg = i;
        while (i < n && text[i] !== '"') {
          const c2 = text[i]!;
          if (c2 === esc) {
            const ce2 = continuationEnd(i);
            if (ce2 >= 0) {
              value += text.slice(seg, i);
              i = ce2;
              seg = i;
              continue;
            }
          }
          if (c2 === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1]!)) {
            value += text.slice(seg, i) + (text[i + 1] !== '\n' ? text[i + 1] : '');
            i += 2;
            seg = i;
            continue;
          }
          i++;
        }
        value += text.slice(seg, Math.min(i, n));
        i++;
        seg = i;
        continue;
      }
      if (ch === '\\' && i + 1 < n) {
        value += text.slice(seg, i) + (text[i + 1] !== '\n' ? text[i + 1] : '');
        i += 2;
        seg = i;
        continue;
      }
      // `cmd`: a command substitution, kept as written like $(...); its spaces do not split the word.
      if (ch === '`' && esc !== '`') {
        let close = i + 1;
        while (close < n && text[close] !== '`') close += text[close] === '\\' ? 2 : 1;
        i = Math.min(close + 1, n);
        continue;
      }
      if (depth > 0 && ch === '(') depth++;
      if (depth > 0 && ch === ')') depth--;
      i++;
    }
    if (seg < i) value += text.slice(seg, Math.min(i, n));
    if (value === '' && i === start) {
      i++;
      continue;
    }
    if (redirect) {
      redirect = false;
      continue;
    }
    // `2>&1`: a file descriptor number directly before > belongs to the redirection.
    if (/^\d+$/.test(value) && (text[i] === '>' || text[i] === '<')) continue;
    words.push({ value, start: base + start, end: base + Math.min(i, n) });
  }
  flush(null);
  return commands.slice();
}

const NO_ASSIGNMENTS: ShellCommand['assignments'] = Object.freeze(
  [],
) as unknown as ShellCommand['assignments'];

function makeCommand(all: Word[], after: Separator | null): ShellCommand | null {
  let k = 0;
  while (k < all.length && RESERVED.has(all[k]!.value)) k++;
  // Most commands have no assignments: they share one empty list, never written to.
  let assignments: ShellCommand['assignments'] = NO_ASSIGNMENTS;
  while (k < all.length && ASSIGN_RE.test(all[k]!.value)) {
    const w = all[k]!;
    const eq = w.value.indexOf('=');
    if (assignments === NO_ASSIGNMENTS) assignments = [];
    assignments.push({ name: w.value.slice(0, eq), value: w.value.slice(eq + 1), word: w });
    k++;
  }
  let end = all.length;
  if (end > k && ENDERS.has(all[end - 1]!.value)) end--;
  // A copy even when nothing is cut: arrays grown by push keep spare room, a slice does not,
  // and a Dockerfile of thousands of RUN lines keeps every word.
  const words = all.slice(k, end);
  if (words.length === 0 && assignments.length === 0) return null;
  const first = all[0]!;
  const last = all[all.length - 1]!;
  return { assignments, words, after, start: first.start, end: last.end };
}

/**
 * Unwraps `env A=1 B=2 cmd ...` and `sudo cmd` so the analysed command is the real one;
 * the env assignments are returned alongside.
 */
export function unwrapCommand(cmd: ShellCommand): { name: string; args: Word[]; env: Map<string, string> } {
  const env = new Map<string, string>();
  for (const a of cmd.assignments) env.set(a.name, a.value);
  let words = cmd.words;
  for (;;) {
    const head = words[0]?.value;
    if (head === 'env' || head === '/usr/bin/env') {
      let k = 1;
      while (k < words.length && (words[k]!.value.startsWith('-') || ASSIGN_RE.test(words[k]!.value))) {
        const v = words[k]!.value;
        if (ASSIGN_RE.test(v)) env.set(v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1));
        k++;
      }
      words = words.slice(k);
    } else if (head === 'sudo' || head === 'exec' || head === 'command' || head === 'nohup') {
      words = words.slice(1);
    } else break;
  }
  return { name: words[0]?.value ?? '', args: words.slice(1), env };
}
