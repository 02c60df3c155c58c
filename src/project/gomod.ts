/**
 * go.mod and go.work parsers. Pure functions of the file text; errors are InputError with
 * the file and the 1-based line, like the go command's own "go.mod:12: ..." messages.
 */
import type { GoModFile, GoModReplace, GoModRequire, GoWorkFile } from './model.js';
import { type ModStatement, type ModToken, modError, parseStatements } from './modlex.js';

/** Go's rule (modfile.IsDirectoryPath): a replacement is local when it is a filesystem path. */
export function isLocalPath(p: string): boolean {
  return (
    p === '.' ||
    p === '..' ||
    p.startsWith('./') ||
    p.startsWith('../') ||
    p.startsWith('/') ||
    p.startsWith('.\\') ||
    p.startsWith('..\\') ||
    /^[A-Za-z]:[\\/]/.test(p)
  );
}

const GO_VERSION = /^[1-9][0-9]*(\.(0|[1-9][0-9]*)){1,2}((rc|beta)[1-9][0-9]*)?$/;
const TOOLCHAIN = /^go[1-9][0-9]*(\.(0|[1-9][0-9]*)){1,2}((rc|beta)[1-9][0-9]*)?(-[\w.+-]+)?$|^default$/;

function words(file: string, st: ModStatement): string[] {
  for (const t of st.args) {
    if (!t.quoted && ['[', ']', ',', '=>'].includes(t.text)) {
      throw modError(file, st.line, `unexpected ${JSON.stringify(t.text)} in ${st.verb}`);
    }
  }
  return st.args.map((t: ModToken) => t.text);
}

function expectCount(file: string, st: ModStatement, args: string[], count: number, usage: string): void {
  if (args.length !== count) throw modError(file, st.line, `usage: ${usage}`);
}

function checkVersion(file: string, st: ModStatement, path: string, version: string): void {
  // The go command accepts canonical semver and a few non-canonical forms it resolves
  // (branch names, "latest") only in replacements; require and exclude need a version token.
  if (version === '' || /\s/.test(version)) {
    throw modError(file, st.line, `invalid version for ${path}: ${JSON.stringify(version)}`);
  }
}

function parseGoDirective(file: string, st: ModStatement, args: string[]): string {
  expectCount(file, st, args, 1, 'go 1.23');
  const v = args[0]!;
  if (!GO_VERSION.test(v))
    throw modError(file, st.line, `invalid go version '${v}': must match format 1.23.0`);
  return v;
}

function parseToolchain(file: string, st: ModStatement, args: string[]): string {
  expectCount(file, st, args, 1, 'toolchain go1.23.1');
  const v = args[0]!;
  if (!TOOLCHAIN.test(v))
    throw modError(file, st.line, `invalid toolchain '${v}': must match format go1.23.0`);
  return v;
}

function parseReplace(file: string, st: ModStatement): GoModReplace {
  const arrow = st.args.findIndex((t) => !t.quoted && t.text === '=>');
  if (arrow === -1)
    throw modError(file, st.line, 'usage: replace module/path [v1.2.3] => other/module v1.4 | ../local/dir');
  const left = words(file, { ...st, args: st.args.slice(0, arrow) });
  const right = words(file, { ...st, args: st.args.slice(arrow + 1) });
  if (left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
    throw modError(file, st.line, 'usage: replace module/path [v1.2.3] => other/module v1.4 | ../local/dir');
  }
  const newPath = right[0]!;
  const local = isLocalPath(newPath);
  if (local && right.length === 2) {
    throw modError(file, st.line, `replacement directory ${newPath} must not have a version`);
  }
  if (!local && right.length === 1) {
    throw modError(
      file,
      st.line,
      `replacement module ${newPath} needs a version (or use a ./ or ../ directory)`,
    );
  }
  const r: GoModReplace = { oldPath: left[0]!, newPath, local, line: st.line };
  if (left[1] !== undefined) r.oldVersion = left[1];
  if (right[1] !== undefined) r.newVersion = right[1];
  return r;
}

function parseRetract(file: string, st: ModStatement): string {
  const a = st.args;
  if (a.length === 1 && !['[', ']', ',', '=>'].includes(a[0]!.text)) return a[0]!.text;
  const isInterval = a.length === 5 && a[0]!.text === '[' && a[2]!.text === ',' && a[4]!.text === ']';
  if (isInterval) return `[${a[1]!.text}, ${a[3]!.text}]`;
  throw modError(file, st.line, 'usage: retract v1.2.3 | retract [v1.0.0, v1.2.0]');
}

/** The `go` and `toolchain` directives, which go.mod and go.work share: each may appear once. */
type GoVersionFields = Pick<GoModFile, 'go' | 'goLine' | 'toolchain' | 'toolchainLine'>;

function setGoVersion(file: string, st: ModStatement, target: GoVersionFields): void {
  if (st.verb === 'go') {
    if (target.goLine !== undefined)
      throw modError(file, st.line, `repeated go directive (first on line ${target.goLine})`);
    target.go = parseGoDirective(file, st, words(file, st));
    target.goLine = st.line;
  } else {
    if (target.toolchainLine !== undefined) throw modError(file, st.line, 'repeated toolchain directive');
    target.toolchain = parseToolchain(file, st, words(file, st));
    target.toolchainLine = st.line;
  }
}

/**
 * Parses a go.mod file. `file` is the path used in messages and kept in the model
 * (relative to the project root).
 */
export function parseGoMod(text: string, file = 'go.mod'): GoModFile {
  const mod: GoModFile = { file, module: '', requires: [], replaces: [], excludes: [] };
  const retracts: { version: string; line: number }[] = [];
  const tools: string[] = [];
  for (const st of parseStatements(file, text)) {
    switch (st.verb) {
      case 'module': {
        const args = words(file, st);
        if (st.inBlock) throw modError(file, st.line, 'module cannot be in a block');
        if (mod.moduleLine !== undefined)
          throw modError(file, st.line, `repeated module directive (first on line ${mod.moduleLine})`);
        expectCount(file, st, args, 1, 'module module/path');
        mod.module = args[0]!;
        mod.moduleLine = st.line;
        break;
      }
      case 'go':
      case 'toolchain':
        setGoVersion(file, st, mod);
        break;
      case 'require': {
        const args = words(file, st);
        expectCount(file, st, args, 2, 'require module/path v1.2.3');
        checkVersion(file, st, args[0]!, args[1]!);
        const req: GoModRequire = {
          path: args[0]!,
          version: args[1]!,
          indirect: /^indirect\b/.test(st.comment),
          line: st.line,
        };
        mod.requires.push(req);
        break;
      }
      case 'exclude': {
        const args = words(file, st);
        expectCount(file, st, args, 2, 'exclude module/path v1.2.3');
        checkVersion(file, st, args[0]!, args[1]!);
        mod.excludes.push({ path: args[0]!, version: args[1]! });
        break;
      }
      case 'replace':
        mod.replaces.push(parseReplace(file, st));
        break;
      case 'retract':
        retracts.push({ version: parseRetract(file, st), line: st.line });
        break;
      case 'tool': {
        const args = words(file, st);
        expectCount(file, st, args, 1, 'tool module/path/cmd');
        tools.push(args[0]!);
        break;
      }
      case 'godebug':
      case 'ignore':
        words(file, st);
        break;
      default:
        throw modError(file, st.line, `unknown directive: ${st.verb}`);
    }
  }
  if (mod.moduleLine === undefined) {
    throw modError(file, 1, 'no module directive: a go.mod starts with "module example.com/name"');
  }
  if (retracts.length > 0) mod.retracts = retracts;
  if (tools.length > 0) mod.tools = tools;
  return mod;
}

/** Parses a go.work file; `use` paths stay as written (relative to the go.work directory). */
export function parseGoWork(text: string, file = 'go.work'): GoWorkFile {
  const work: GoWorkFile = { file, uses: [], replaces: [] };
  for (const st of parseStatements(file, text)) {
    switch (st.verb) {
      case 'go':
      case 'toolchain':
        setGoVersion(file, st, work);
        break;
      case 'use': {
        const args = words(file, st);
        expectCount(file, st, args, 1, 'use ./dir');
        work.uses.push(args[0]!);
        break;
      }
      case 'replace':
        work.replaces.push(parseReplace(file, st));
        break;
      case 'godebug':
        words(file, st);
        break;
      default:
        throw modError(file, st.line, `unknown directive: ${st.verb}`);
    }
  }
  return work;
}

/** go.sum lines ("module version hash"); goimg only needs to know which modules are summed. */
export function parseGoSum(text: string): { path: string; version: string }[] {
  const out: { path: string; version: string }[] = [];
  for (const raw of text.split('\n')) {
    const f = raw.trim().split(/\s+/);
    if (f.length === 3) out.push({ path: f[0]!, version: f[1]! });
  }
  return out;
}
