/**
 * The command a shell script ends with, when the script's last top-level line starts a
 * long-running program without `exec`: the shell then stays the container's PID 1, and a shell
 * that is PID 1 with no trap ignores the SIGTERM of `docker stop`.
 */

export interface ScriptTail {
  /** 1-based line of the command in the script. */
  line: number;
  /** Offset in the script where `exec ` belongs (the command's first word). */
  offset: number;
  /** The command as written, trimmed. */
  text: string;
  /** The program it starts: `"$@"` or a program name. */
  program: string;
}

const SHELL_SHEBANG = /^#!\s*(\/usr)?\/bin\/(env\s+)?(sh|bash|ash|dash)\b/;
const OPENS = /^(if|case|for|while|until|select)\b|^\{$|\{\s*$|^\w+\s*\(\)/;
const CLOSES = /^(fi|esac|done|\})\b/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+/;
/** Privilege-dropping tools that exec their command: `su-exec app "$@"`. */
const DROP = /^(su-exec|gosu|s6-setuidgid|setuidgid)\s+("[^"]*"|'[^']*'|\S+)\s+/;
const ALL_ARGUMENTS = /^("\$@"|\$@|"\$\{@\}"|\$\{@\})$/;

interface Line {
  text: string;
  line: number;
  offset: number;
}

/** Logical lines (continuations joined), outside comments and heredoc bodies. */
function logicalLines(script: string): Line[] {
  const out: Line[] = [];
  let offset = 0;
  let heredocEnd: string | undefined;
  let pending: Line | undefined;
  script.split('\n').forEach((raw, i) => {
    const start = offset;
    offset += raw.length + 1;
    if (heredocEnd !== undefined) {
      if (raw.replace(/^\t+/, '') === heredocEnd) heredocEnd = undefined;
      return;
    }
    const text = raw.replace(/\r$/, '');
    if (pending) pending.text += ` ${text.trim()}`;
    else {
      const trimmed = text.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      pending = { text: trimmed, line: i + 1, offset: start + (text.length - trimmed.length) };
    }
    if (pending.text.endsWith('\\')) {
      pending.text = pending.text.slice(0, -1).trimEnd();
      return;
    }
    const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(pending.text);
    if (heredoc) heredocEnd = heredoc[1];
    out.push({ ...pending, text: pending.text.trim() });
    pending = undefined;
  });
  return out;
}

/**
 * The script's last top-level command, when it starts `"$@"` or one of `programs` without
 * exec; undefined when it does not, or when the script is not a plain shell script whose end
 * goimg can read (a trap, a background job, a branch or a loop last, a pipeline or a list).
 */
export function tailWithoutExec(script: string, programs: ReadonlySet<string>): ScriptTail | undefined {
  const first = script.split('\n', 1)[0]!;
  if (first.startsWith('#!') && !SHELL_SHEBANG.test(first)) return undefined;
  const lines = logicalLines(script);
  // A trap handles the signals itself; wait means the script manages its children.
  if (lines.some((l) => /(^|[\s;&|])(trap|wait)(\s|$)/.test(l.text))) return undefined;
  let depth = 0;
  let last: Line | undefined;
  for (const l of lines) {
    const closes = CLOSES.test(l.text) ? 1 : 0;
    const opens = OPENS.test(l.text) && !/\b(fi|done|esac|\})\s*;?\s*$/.test(l.text) ? 1 : 0;
    depth = Math.max(0, depth - closes);
    last = depth === 0 && closes === 0 ? l : undefined;
    depth += opens;
  }
  if (!last || depth !== 0 || /(&&|\|\||[|&;])\s*\S|&\s*$|[|;]\s*$/.test(last.text)) return undefined;
  if (/^exec\b/.test(last.text)) return undefined;
  let rest = last.text;
  for (let m = ASSIGNMENT.exec(rest) ?? DROP.exec(rest); m; m = ASSIGNMENT.exec(rest) ?? DROP.exec(rest))
    rest = rest.slice(m[0].length);
  const word = rest.split(/\s+/, 1)[0]!;
  const program = ALL_ARGUMENTS.test(word)
    ? '"$@"'
    : word
        .replace(/^["']|["']$/g, '')
        .split('/')
        .pop()!;
  if (program !== '"$@"' && (word.includes('$') || !programs.has(program))) return undefined;
  return { line: last.line, offset: last.offset, text: last.text, program };
}
