import { posix } from 'node:path';
import type { Instruction } from '../../dockerfile/model.js';
import { unwrapCommand } from '../../dockerfile/shell.js';
import type { Fix } from '../../fix/edit.js';
import { BuildModel } from './build-reads.js';
import { type AuditContext, copySources, type RuleHit } from './context.js';
import { insert, insertLinesAfter } from './support.js';

export const id = 'go-sum-not-copied';

export const examples = {
  bad: 'COPY go.mod ./\nRUN go mod download',
  good: 'COPY go.mod go.sum ./\nRUN go mod download',
};

export const fixDescription = 'Adds go.sum next to go.mod in the COPY (or a COPY of go.sum after it).';

/** True when a RUN runs the go command (what reads go.sum next to go.mod). */
function runsGo(ins: Instruction): boolean {
  return ins.commands.some((c) => {
    const name = unwrapCommand(c).name;
    return name === 'go' || name.endsWith('/go');
  });
}

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  if (!project?.hasGoSum) return [];
  const projectDir = ctx.context.projectDir ?? '';
  const modPath = projectDir === '' ? 'go.mod' : `${projectDir}/go.mod`;
  const sumPath = projectDir === '' ? 'go.sum' : `${projectDir}/go.sum`;
  const inv = ctx.context.inventory;
  // go.sum must be in the context for a COPY to bring it.
  if (inv ? !inv.isFile(sumPath) || inv.isExcluded(sumPath) : ctx.context.isExcluded(sumPath)) return [];
  const model = new BuildModel(ctx.df, inv);
  const hits: RuleHit[] = [];
  for (const stage of model.reachableStages()) {
    for (const ins of stage.instructions) {
      if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || ins.flags.some((f) => f.name === 'from'))
        continue;
      const workdir = model.workdirAt(stage, ins);
      const mapping = model
        .copyMappings(ins, workdir)
        .find((m) => m.origin.kind === 'context' && !m.origin.dir && m.origin.path === modPath);
      if (!mapping) continue;
      const sumImage = posix.join(posix.dirname(mapping.image), 'go.sum');
      // The first go command after the copy must find go.sum next to go.mod.
      const next = stage.instructions.find((i) => i.index > ins.index && i.keyword === 'RUN' && runsGo(i));
      if (!next) continue;
      const before = model.mappingsBefore(stage, next);
      const withMounts = [...before];
      for (const f of next.flags) {
        if (f.name !== 'mount' || (f.options.type ?? 'bind') !== 'bind') continue;
        const target = model.resolve(
          model.workdirAt(stage, next),
          f.options.target ?? f.options.dst ?? '',
          next,
        );
        if (target !== null) withMounts.push({ image: target, origin: { kind: 'other' }, at: next.index });
      }
      if (model.origin(withMounts, sumImage) !== undefined) continue;
      const hit: RuleHit = {
        message:
          'go.mod is copied without go.sum before the go command runs: the download cannot check the modules against go.sum, and go build fails with "missing go.sum entry" unless go.sum arrives first',
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
