/**
 * Go commands found in RUN instructions: `go build`/`go install` with the flags and
 * environment that decide what kind of binary comes out, and `go mod download`-style steps.
 */

import { scopeAt } from './instruction.js';
import type { Instruction, ShellCommand, Stage, Word } from './model.js';
import { unwrapCommand } from './shell.js';

export type CgoSource = 'command' | 'export' | 'env' | 'arg' | 'goflags' | 'default';

export interface GoBuild {
  instruction: Instruction;
  command: ShellCommand;
  subcommand: 'build' | 'install';
  /** The `build`/`install` word: flags are inserted after it. */
  verb: Word;
  /** The first word of the command (`go`, or `env`/assignment before it): prefixes go here. */
  commandStart: number;
  output?: string;
  ldflags?: string;
  /** Both -s and -w in -ldflags (or GOFLAGS). */
  stripped: boolean;
  trimpath: boolean;
  /** -a: every package is rebuilt, nothing is taken from the build cache. */
  rebuildAll: boolean;
  tags: string[];
  mod?: string;
  /** CGO_ENABLED value in effect ("0", "1"), or undefined when unset (Go's default applies). */
  cgo?: string;
  cgoSource: CgoSource;
  goos?: string;
  goarch?: string;
  /** Package arguments (non-flag words). */
  packages: string[];
}

export interface GoModStep {
  instruction: Instruction;
  command: ShellCommand;
  /** `download`, `vendor`, `tidy`, `verify`, `graph`... */
  action: string;
}

/** Flags of go build, install, run, test and vet that take a value (the next word). */
export const GO_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-o',
  '-ldflags',
  '-gcflags',
  '-asmflags',
  '-gccgoflags',
  '-tags',
  '-mod',
  '-p',
  '-modfile',
  '-buildmode',
  '-compiler',
  '-installsuffix',
  '-pkgdir',
  '-toolexec',
  '-overlay',
  '-pgo',
  '-C',
  '-coverpkg',
  '-covermode',
  '-buildvcs',
  '-coverprofile',
  '-run',
  '-bench',
  '-count',
  '-timeout',
  '-parallel',
  '-cpu',
  '-exec',
  '-vet',
  '-skip',
  '-benchtime',
  '-outputdir',
  '-cpuprofile',
  '-memprofile',
  '-blockprofile',
  '-mutexprofile',
  '-trace',
]);

/**
 * A command that runs the go tool: go itself, or tonistiigi/xx's xx-go, which runs go with
 * GOOS, GOARCH and the rest set for the target platform.
 */
export function isGoCommand(name: string): boolean {
  return name === 'go' || name.endsWith('/go') || name === 'go.exe' || name === 'xx-go';
}

/** Reads `-x=v` / `-x v` flags (one or two dashes) from Go command arguments. */
function readFlags(words: Word[]): { flags: Map<string, string>; packages: string[] } {
  const flags = new Map<string, string>();
  const packages: string[] = [];
  for (let k = 0; k < words.length; k++) {
    const v = words[k]!.value;
    if (!v.startsWith('-') || v === '-') {
      packages.push(v);
      continue;
    }
    const name = v.replace(/^--?/, '-');
    const eq = name.indexOf('=');
    if (eq >= 0) flags.set(name.slice(0, eq), name.slice(eq + 1));
    else if (GO_VALUE_FLAGS.has(name) && k + 1 < words.length) flags.set(name, words[++k]!.value);
    else flags.set(name, 'true');
  }
  return { flags, packages };
}

/** -s strips the symbol table and implies -w (no DWARF) unless -w=0 turns that back on. */
export function hasStrip(ldflags: string | undefined): boolean {
  if (!ldflags) return false;
  const parts = ldflags.split(/\s+/);
  return parts.includes('-s') && !parts.includes('-w=0') && !parts.includes('-w=false');
}

/** Every go build/install and go mod step in a stage's RUN instructions, in order. */
export function goCommands(stage: Stage): { builds: GoBuild[]; modSteps: GoModStep[] } {
  const builds: GoBuild[] = [];
  const modSteps: GoModStep[] = [];
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'RUN' || ins.commands.length === 0) continue;
    const scope = scopeAt(ins);
    const exported = new Map<string, string>();
    for (const cmd of ins.commands) {
      const { name, args, env } = unwrapCommand(cmd);
      if (name === 'export') {
        for (const w of args) {
          const eq = w.value.indexOf('=');
          if (eq > 0) exported.set(w.value.slice(0, eq), w.value.slice(eq + 1));
        }
        continue;
      }
      if (!isGoCommand(name) || args.length === 0) continue;
      const sub = args[0]!.value;
      if (sub === 'mod' && args[1]) {
        modSteps.push({ instruction: ins, command: cmd, action: args[1].value });
        continue;
      }
      if (sub !== 'build' && sub !== 'install') continue;
      const lookup = (key: string): { value?: string; source: CgoSource } => {
        if (env.has(key)) return { value: env.get(key), source: 'command' };
        if (exported.has(key)) return { value: exported.get(key), source: 'export' };
        if (stage.env.has(key) && scope.get(key) !== undefined)
          return { value: scope.get(key), source: 'env' };
        const v = scope.get(key);
        if (v !== undefined) return { value: v, source: 'arg' };
        return { source: 'default' };
      };
      const { flags, packages } = readFlags(args.slice(1));
      const goflags = lookup('GOFLAGS').value ?? '';
      const goflagWords = readFlags(splitGoflags(goflags).map((value) => ({ value, start: 0, end: 0 })));
      const cgo = lookup('CGO_ENABLED');
      const ldflags = flags.get('-ldflags') ?? goflagWords.flags.get('-ldflags');
      const build: GoBuild = {
        instruction: ins,
        command: cmd,
        subcommand: sub,
        verb: args[0]!,
        commandStart: cmd.start,
        stripped: hasStrip(ldflags),
        trimpath: flags.has('-trimpath') || goflagWords.flags.has('-trimpath'),
        rebuildAll: flags.has('-a') || goflagWords.flags.has('-a'),
        tags: (flags.get('-tags') ?? goflagWords.flags.get('-tags') ?? '').split(/[,\s]+/).filter(Boolean),
        cgoSource: cgo.source,
        packages,
      };
      const output = flags.get('-o');
      if (output !== undefined) build.output = output;
      if (ldflags !== undefined) build.ldflags = ldflags;
      const mod = flags.get('-mod') ?? goflagWords.flags.get('-mod');
      if (mod !== undefined) build.mod = mod;
      if (cgo.value !== undefined) build.cgo = cgo.value;
      // xx-go builds for the target platform (TARGETPLATFORM) unless told otherwise.
      const target = (key: string) => (name === 'xx-go' ? `$TARGET${key.slice(2)}` : undefined);
      const goos = lookup('GOOS').value ?? target('GOOS');
      const goarch = lookup('GOARCH').value ?? target('GOARCH');
      if (goos !== undefined) build.goos = goos;
      if (goarch !== undefined) build.goarch = goarch;
      builds.push(build);
    }
  }
  return { builds, modSteps };
}

/**
 * GOFLAGS as the go command splits it (cmd/internal/quoted): fields separated by spaces, a field
 * may be wrapped whole in single or double quotes (`'-ldflags=-s -w'`), nothing is unescaped.
 */
export function splitGoflags(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /\s/.test(value[i]!)) i++;
    if (i >= value.length) break;
    const q = value[i];
    if (q === "'" || q === '"') {
      const close = value.indexOf(q, i + 1);
      const end = close < 0 ? value.length : close;
      out.push(value.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const start = i;
    while (i < value.length && !/\s/.test(value[i]!)) i++;
    out.push(value.slice(start, i));
  }
  return out;
}
