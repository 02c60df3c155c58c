/**
 * A light Go lexer: enough to read the package clause, build constraints and import
 * declarations of a file, and to tokenise its body for the few call patterns goimg looks for.
 * It never builds a syntax tree; comments and string literals are understood so that code
 * inside them is never mistaken for code.
 */

export enum Tok {
  EOF = 0,
  Ident = 1,
  String = 2,
  Punct = 3,
  Number = 4,
  Char = 5,
}

export interface GoImport {
  path: string;
  /** Explicit name: an alias, "_" or "."; undefined when the default name is used. */
  alias?: string;
  line: number;
}

export interface GoFileHeader {
  /** Package name; undefined when the file has no package clause (not Go, or empty). */
  packageName?: string;
  packageLine: number;
  /** The `//go:build` expression, when present before the package clause. */
  goBuild?: string;
  /** Old-style `// +build` lines (used only when there is no //go:build). */
  plusBuild: string[];
  imports: GoImport[];
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** A cursor over Go source. `next()` moves to the next token; comments are skipped. */
export class GoLexer {
  kind: Tok = Tok.EOF;
  /** Identifier or punctuation text; string contents without quotes (escapes left as written). */
  value = '';
  line = 1;
  private pos = 0;
  private curLine = 1;
  /** Called with each `//` comment's text (after the slashes) and its line. */
  onLineComment: ((text: string, line: number) => void) | undefined;

  constructor(private readonly src: string) {}

  /** True when the current token has this kind (and this text, when given). */
  is(kind: Tok, value?: string): boolean {
    return this.kind === kind && (value === undefined || this.value === value);
  }

  next(): Tok {
    const s = this.src;
    const n = s.length;
    for (;;) {
      if (this.pos >= n) {
        this.kind = Tok.EOF;
        this.value = '';
        this.line = this.curLine;
        return this.kind;
      }
      const c = s.charCodeAt(this.pos);
      if (c === 10) {
        this.curLine++;
        this.pos++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        this.pos++;
        continue;
      }
      if (c === 47 /* / */) {
        const d = s.charCodeAt(this.pos + 1);
        if (d === 47) {
          let end = s.indexOf('\n', this.pos);
          if (end === -1) end = n;
          if (this.onLineComment) this.onLineComment(s.slice(this.pos + 2, end), this.curLine);
          this.pos = end;
          continue;
        }
        if (d === 42) {
          let end = s.indexOf('*/', this.pos + 2);
          if (end === -1) end = n - 2;
          for (let i = this.pos; i < end; i++) if (s.charCodeAt(i) === 10) this.curLine++;
          this.pos = end + 2;
          continue;
        }
      }
      this.line = this.curLine;
      if (isIdentStart(c)) {
        let j = this.pos + 1;
        while (j < n && isIdentPart(s.charCodeAt(j))) j++;
        this.value = s.slice(this.pos, j);
        this.pos = j;
        this.kind = Tok.Ident;
        return this.kind;
      }
      if (c === 34 /* " */) {
        let j = this.pos + 1;
        while (j < n) {
          const e = s.charCodeAt(j);
          if (e === 92) j += 2;
          else if (e === 34 || e === 10) break;
          else j++;
        }
        this.value = s.slice(this.pos + 1, j);
        this.pos = j + 1;
        this.kind = Tok.String;
        return this.kind;
      }
      if (c === 96 /* ` */) {
        let j = s.indexOf('`', this.pos + 1);
        if (j === -1) j = n;
        this.value = s.slice(this.pos + 1, j);
        for (let i = this.pos; i < j; i++) if (s.charCodeAt(i) === 10) this.curLine++;
        this.pos = j + 1;
        this.kind = Tok.String;
        return this.kind;
      }
      if (c === 39 /* ' */) {
        let j = this.pos + 1;
        while (j < n) {
          const e = s.charCodeAt(j);
          if (e === 92) j += 2;
          else if (e === 39 || e === 10) break;
          else j++;
        }
        this.value = s.slice(this.pos + 1, j);
        this.pos = j + 1;
        this.kind = Tok.Char;
        return this.kind;
      }
      if (c >= 48 && c <= 57) {
        let j = this.pos + 1;
        while (j < n && (isIdentPart(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j++;
        this.value = s.slice(this.pos, j);
        this.pos = j;
        this.kind = Tok.Number;
        return this.kind;
      }
      this.value = s[this.pos]!;
      this.pos++;
      this.kind = Tok.Punct;
      return this.kind;
    }
  }
}

/**
 * Reads the package clause, build constraints and imports. Stops at the first declaration
 * that is not an import, so the cost does not grow with the file's body.
 */
export function readHeader(src: string): GoFileHeader {
  const header: GoFileHeader = { packageLine: 0, plusBuild: [], imports: [] };
  const lx = new GoLexer(src);
  lx.onLineComment = (text) => {
    const t = text.trim();
    if (text.startsWith('go:build ') || text.startsWith('go:build\t')) {
      header.goBuild ??= text.slice('go:build'.length).trim();
    } else if (t.startsWith('+build ')) {
      header.plusBuild.push(t.slice('+build '.length).trim());
    }
  };
  lx.next();
  if (!lx.is(Tok.Ident, 'package')) return header;
  lx.onLineComment = undefined;
  header.packageLine = lx.line;
  lx.next();
  if (!lx.is(Tok.Ident)) return header;
  header.packageName = lx.value;
  lx.next();
  for (;;) {
    while (lx.is(Tok.Punct, ';')) lx.next();
    if (!lx.is(Tok.Ident, 'import')) break;
    lx.next();
    if (lx.is(Tok.Punct, '(')) {
      lx.next();
      while (!lx.is(Tok.EOF) && !lx.is(Tok.Punct, ')')) {
        if (!readImportSpec(lx, header.imports)) lx.next();
      }
      lx.next();
    } else {
      readImportSpec(lx, header.imports);
    }
  }
  return header;
}

/** Reads `[name] "path"` at the cursor; leaves the cursor after it. */
function readImportSpec(lx: GoLexer, out: GoImport[]): boolean {
  let alias: string | undefined;
  if (lx.is(Tok.Ident) || lx.is(Tok.Punct, '.')) {
    alias = lx.value;
    lx.next();
  }
  if (!lx.is(Tok.String)) return false;
  const spec: GoImport = { path: lx.value, line: lx.line };
  if (alias !== undefined) spec.alias = alias;
  out.push(spec);
  lx.next();
  return true;
}

export interface GoToken {
  kind: Tok;
  value: string;
  line: number;
}

/** All tokens of a file (used only for files that import something goimg looks for). */
export function tokenize(src: string): GoToken[] {
  const lx = new GoLexer(src);
  const out: GoToken[] = [];
  while (lx.next() !== Tok.EOF) out.push({ kind: lx.kind, value: lx.value, line: lx.line });
  return out;
}

/** `//go:embed` directives: patterns (quotes removed) with the directive's line. */
export function readEmbeds(src: string): { patterns: string[]; line: number }[] {
  if (!src.includes('//go:embed')) return [];
  const out: { patterns: string[]; line: number }[] = [];
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*\/\/go:embed\s+(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const patterns: string[] = [];
    const args = m[1]!.trim();
    const re = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
    for (let p = re.exec(args); p !== null; p = re.exec(args)) {
      patterns.push(p[1] ?? p[2] ?? p[3]!);
    }
    out.push({ patterns, line: i + 1 });
  }
  return out;
}
