import { posix } from 'node:path';
import { isGoCommand } from '../../dockerfile/go-commands.js';
import { scopeAt } from '../../dockerfile/instruction.js';
import type { Instruction, ShellCommand } from '../../dockerfile/model.js';
import { unwrapCommand } from '../../dockerfile/shell.js';
import type { Fix } from '../../fix/edit.js';
import { BuildModel } from './build-reads.js';
import { type AuditContext, copiesFromContext, copySources, type RuleHit } from './context.js';
import { insert, insertLinesAfter } from './support.js';

export const id = 'go-sum-not-copied';

export const examples = {
  bad: 'COPY go.mod ./\nRUN go mod download\nCOPY *.go ./\nRUN go build -o /app .',
  good: 'COPY go.mod go.sum ./\nRUN go mod download\nCOPY *.go ./\nRUN go build -o /app .',
};

export const fixDescription = 'Adds go.sum next to go.mod in the COPY (or a COPY of go.sum after it).';

type GoSumUse = 'needs' | 'writes' | 'neither';

/** The -mod setting of a go command: its flag, else GOFLAGS (command, then ENV/ARG). */
function modSetting(
  ins: Instruction,
  args: readonly string[],
  env: ReadonlyMap<string, string>,
): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-mod' || args[i] === '--mod') return args[i + 1];
    const m = /^--?mod=(.*)$/.exec(args[i]!);
    if (m) return m[1];
  }
  const goflags = env.get('GOFLAGS') ?? scopeAt(ins).get('GOFLAGS') ?? '';
  return /(?:^|\s)--?mod=(\S+)/.exec(goflags)?.[1];
}

/**
 * What one shell command does with go.sum. Commands that load packages need its entries
 * ("missing go.sum entry" otherwise); `go mod tidy`, `go get` and -mod=mod write the missing
 * ones; `go mod download` adds what it needs itself and checks the rest against the checksum
 * database, so it succeeds without go.sum. null: not a go command.
 */
function goSumUse(ins: Instruction, cmd: ShellCommand): GoSumUse | null {
  const { name, args, env } = unwrapCommand(cmd);
  if (!isGoCommand(name)) return null;
  const words = args.map((a) => a.value);
  const sub = words[0];
  if (sub === 'get') return 'writes';
  if (sub === 'mod') {
    if (words[1] === 'tidy') return 'writes';
    return words[1] === 'vendor' ? 'needs' : 'neither';
  }
  if (sub === 'list' && words.includes('-m')) return 'neither';
  if (!['build', 'install', 'run', 'test', 'vet', 'list', 'generate'].includes(sub ?? '')) return 'neither';
  // `go install pkg@version` builds outside the main module: its go.sum plays no part.
  if (
    (sub === 'install' || sub === 'run') &&
    words.slice(1).some((w) => !w.startsWith('-') && w.includes('@'))
  )
    return 'neither';
  const mod = modSetting(ins, words.slice(1), env);
  if (mod === 'mod') return 'writes';
  if (mod === 'vendor') return 'neither';
  return 'needs';
}

/** The first go command after `from` that either needs go.sum or writes it, and its RUN. */
function firstGoSumUse(
  stage: { instructions: readonly Instruction[] },
  from: Instruction,
): { ins: Instruction; use: GoSumUse; verb: string } | undefined {
  for (const ins of stage.instructions) {
    if (ins.index <= from.index || ins.keyword !== 'RUN') continue;
    for (const cmd of ins.commands) {
      const use = goSumUse(ins, cmd);
      if (use === 'needs' || use === 'writes') {
        const words = unwrapCommand(cmd).args.map((a) => a.value);
        return { ins, use, verb: `go ${words[0]}` };
      }
    }
  }
  return undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  // A vendored module builds from vendor/ (Go's default then), which go.sum does not gate.
  if (!project?.hasGoSum || project.vendored) return [];
  const projectDir = ctx.context.projectDir ?? '';
  const modPath = projectDir === '' ? 'go.mod' : `${projectDir}/go.mod`;
  const sumPath = projectDir === '' ? 'go.sum' : `${projectDir}/go.sum`;
  const inv = ctx.context.inventory;
  // go.sum must be in the context for a COPY to bring it.
  if (inv ? !inv.isFile(sumPath) || inv.isExcluded(sumPath) : ctx.context.isExcluded(sumPath)) return [];
  const model = new BuildModel(ctx.facts, inv);
  const hits: RuleHit[] = [];
  for (const stage of ctx.facts.builtStages()) {
    for (const ins of stage.instructions) {
      if (!copiesFromContext(ins)) continue;
      const mapping = model
        .mappingsOf(stage, ins)
        .find((m) => m.origin.kind === 'context' && !m.origin.dir && m.origin.path === modPath);
      if (!mapping) continue;
      const sumImage = posix.join(posix.dirname(mapping.image), 'go.sum');
      // The first go command that needs go.sum must find it next to go.mod.
      const first = firstGoSumUse(stage, ins);
      if (first?.use !== 'needs') continue;
      const next = first.ins;
      const withMounts = [...model.mappingsBefore(stage, next)];
      for (const f of next.flags) {
        if (f.name !== 'mount' || (f.options.type ?? 'bind') !== 'bind') continue;
        const target = ctx.facts.resolve(
          ctx.facts.workdirAt(next),
          f.options.target ?? f.options.dst ?? '',
          next,
        );
        if (target !== null) withMounts.push({ image: target, origin: { kind: 'other' }, at: next.index });
      }
      if (model.origin(withMounts, sumImage) !== undefined) continue;
      const hit: RuleHit = {
        message: `go.mod is copied without go.sum, and go.sum is still missing when ${first.verb} runs (line ${next.startLine}): it fails with "missing go.sum entry"`,
        span: ins.span,
      };
      const fix = goSumFix(ctx, ins);
      if (fix) hit.fix = fix;
      hits.push(hit);
    }
  }
  return hits;
}

function goSumFix(ctx: AuditContext, ins: Instruction): Fix | undefined {
  if (ins.argsText.trim().startsWith('[') || ins.heredocs.length > 0) return undefined;
  const { dest } = copySources(ins);
  const args = ins.args;
  const modArg = args
    .slice(0, -1)
    .find((a) => posix.basename(a.value) === 'go.mod' && !a.value.includes('$'));
  if (!modArg) return undefined;
  const sumSource = `${modArg.value.slice(0, -'go.mod'.length)}go.sum`;
  if (dest.endsWith('/') || dest === '.' || (args.length > 2 && !dest.endsWith('go.mod'))) {
    return { description: 'copy go.sum too', edits: [insert(ctx, modArg.span.end, ` ${sumSource}`)] };
  }
  if (args.length === 2 && posix.basename(dest) === 'go.mod') {
    const head = ctx.df.text.slice(ins.span.start, ins.argsStart).trimEnd();
    const sumDest = `${dest.slice(0, -'go.mod'.length)}go.sum`;
    return {
      description: 'copy go.sum next to go.mod',
      edits: [insertLinesAfter(ctx, ins, [`${head} ${sumSource} ${sumDest}`])],
    };
  }
  return undefined;
}
