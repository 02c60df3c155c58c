/**
 * The lexer and statement splitter shared by go.mod and go.work, following the grammar of
 * golang.org/x/mod/modfile: tokens are words, quoted strings ("..." or `...`), `(`, `)`,
 * `[`, `]`, `,` and `=>`; `//` starts a comment; a line ending in `(` opens a block whose
 * lines each repeat the verb; `)` on its own line closes it.
 */
import { InputError } from '../core/errors.js';

export interface ModToken {
  /** The token's value, unquoted for strings. */
  text: string;
  /** True for "..." and `...` strings (never a punctuation token). */
  quoted: boolean;
}

export interface ModStatement {
  verb: string;
  args: ModToken[];
  /** 1-based line of the statement. */
  line: number;
  /** The trailing `//` comment, without the slashes and trimmed. */
  comment: string;
  /** True when the statement came from a `verb ( ... )` block. */
  inBlock: boolean;
}

interface RawLine {
  tokens: ModToken[];
  line: number;
  comment: string;
}

const PUNCT = new Set(['(', ')', '[', ']', ',']);

export function modError(file: string, line: number, message: string): InputError {
  return new InputError(`${file}:${line}: ${message}`, `fix ${file} (run 'go mod edit -fmt' to check it)`);
}

function unquoteInterpreted(file: string, line: number, body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      '"': '"',
      "'": "'",
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    if (e !== undefined && e in simple) {
      out += simple[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n)
        throw modError(file, line, 'invalid escape in quoted string');
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += n;
    } else {
      throw modError(file, line, `invalid escape \\${e ?? ''} in quoted string`);
    }
  }
  return out;
}

function lexLines(file: string, text: string): RawLine[] {
  const lines: RawLine[] = [];
  let tokens: ModToken[] = [];
  let comment = '';
  let line = 1;
  let startLine = 1;
  const flush = (): void => {
    if (tokens.length > 0) lines.push({ tokens, line: startLine, comment });
    tokens = [];
    comment = '';
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      flush();
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (tokens.length === 0) startLine = line;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      comment = text.slice(i + 2, stop).trim();
      i = stop;
      continue;
    }
    if (PUNCT.has(c)) {
      tokens.push({ text: c, quoted: false });
      i++;
      continue;
    }
    if (c === '=' && text[i + 1] === '>') {
      tokens.push({ text: '=>', quoted: false });
      i += 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (j >= n || text[j] !== '"') throw modError(file, line, 'unterminated quoted string');
      tokens.push({ text: unquoteInterpreted(file, line, text.slice(i + 1, j)), quoted: true });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = text.indexOf('`', i + 1);
      if (j === -1) throw modError(file, line, 'unterminated raw string');
      const body = text.slice(i + 1, j);
      tokens.push({ text: body, quoted: true });
      line += body.split('\n').length - 1;
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n) {
      const d = text[j]!;
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || PUNCT.has(d) || d === '"' || d === '`')
        break;
      if (d === '/' && text[j + 1] === '/') break;
      if (d === '=' && text[j + 1] === '>') break;
      j++;
    }
    tokens.push({ text: text.slice(i, j), quoted: false });
    i = j;
  }
  flush();
  return lines;
}

function isPunct(t: ModToken | undefined, p: string): boolean {
  return t !== undefined && !t.quoted && t.text === p;
}

/** Splits a go.mod / go.work text into statements, expanding `verb ( ... )` blocks. */
export function parseStatements(file: string, text: string): ModStatement[] {
  const out: ModStatement[] = [];
  const lines = lexLines(file, text);
  for (let k = 0; k < lines.length; k++) {
    const { tokens, line, comment } = lines[k]!;
    const head = tokens[0]!;
    if (head.quoted || PUNCT.has(head.text) || head.text === '=>') {
      throw modError(file, line, `unexpected ${JSON.stringify(head.text)} at the start of a line`);
    }
    const last = tokens[tokens.length - 1];
    if (tokens.length === 2 && isPunct(last, '(')) {
      // A block: statements until a line that is exactly `)`.
      let closed = false;
      for (k++; k < lines.length; k++) {
        const inner = lines[k]!;
        if (inner.tokens.length === 1 && isPunct(inner.tokens[0], ')')) {
          closed = true;
          break;
        }
        if (inner.tokens.some((t) => isPunct(t, '(') || isPunct(t, ')'))) {
          throw modError(file, inner.line, `unexpected parenthesis inside the ${head.text} block`);
        }
        out.push({
          verb: head.text,
          args: inner.tokens,
          line: inner.line,
          comment: inner.comment,
          inBlock: true,
        });
      }
      if (!closed) throw modError(file, line, `${head.text} block opened here is never closed with ")"`);
      continue;
    }
    if (tokens.length === 3 && isPunct(tokens[1], '(') && isPunct(last, ')')) {
      continue; // `require ()`: an empty block
    }
    if (tokens.some((t) => isPunct(t, '(') || isPunct(t, ')'))) {
      throw modError(
        file,
        line,
        `unexpected parenthesis: a block must be "${head.text} (" alone on its line`,
      );
    }
    out.push({ verb: head.text, args: tokens.slice(1), line, comment, inBlock: false });
  }
  return out;
}
