import { posix } from 'node:path';
import { isGoCommand } from '../../dockerfile/go-commands.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { unwrapCommand } from '../../dockerfile/shell.js';
import { BuildModel } from './build-reads.js';
import type { AuditContext, RuleHit } from './context.js';
import { copySources, flagValue } from './context.js';
import { debugBuild, normPath } from './support.js';

export const id = 'whole-tree-in-final';

export const examples = {
  bad: 'FROM alpine:3.22\nCOPY --from=build /src /src\nCMD ["/src/app"]',
  good: 'FROM alpine:3.22\nCOPY --from=build /src/app /app\nCMD ["/app"]',
};

/** `git clone` options that take a value in the next word. */
const CLONE_VALUE_OPTIONS = new Set([
  '-b',
  '--branch',
  '--depth',
  '-o',
  '--origin',
  '-c',
  '--config',
  '--reference',
  '-j',
  '--jobs',
  '--filter',
  '-u',
  '--upload-pack',
  '--template',
  '--separate-git-dir',
]);

/** The directory `git clone URL [DIR]` writes (DIR, or the repository's name), as written. */
function cloneDir(words: readonly string[]): string | undefined {
  const positional: string[] = [];
  for (let k = 2; k < words.length; k++) {
    const w = words[k]!;
    if (CLONE_VALUE_OPTIONS.has(w)) k++;
    else if (!w.startsWith('-')) positional.push(w);
  }
  const [url, dir] = positional;
  if (dir) return dir;
  const name = url
    ?.replace(/\/+$/, '')
    .split(/[/:]/)
    .pop()
    ?.replace(/\.git$/, '');
  return name || undefined;
}

/**
 * Directories in `stage` that hold the source tree: WORKDIRs where `COPY . .` landed, dests of
 * such copies, and a repository the stage clones and compiles Go in (its source, fetched).
 */
function sourceDirs(ctx: AuditContext, stage: Stage): Set<string> {
  const dirs = new Set<string>();
  const builds = ctx.facts.go(stage).builds;
  const clones: string[] = [];
  const buildDirs: string[] = [];
  let workdir = '/';
  for (const ins of stage.instructions) {
    if (ins.keyword === 'WORKDIR') {
      const v = ins.args[0]?.value ?? '/';
      workdir = v.startsWith('/') ? v : `${workdir.replace(/\/$/, '')}/${v}`;
    }
    if (builds.some((b) => b.instruction === ins)) buildDirs.push(normPath(workdir));
    for (const c of ins.keyword === 'RUN' ? ins.commands : []) {
      const w = c.words.map((x) => x.value);
      if (w[0] !== 'git' || w[1] !== 'clone') continue;
      const dir = cloneDir(w);
      if (dir && !dir.includes('$')) clones.push(normPath(dir.startsWith('/') ? dir : `${workdir}/${dir}`));
    }
    if (ins.keyword === 'COPY' && !ins.flags.some((f) => f.name === 'from')) {
      const { sources, dest } = copySources(ins);
      if (sources.some((s) => s === '.' || s === './')) {
        dirs.add(
          normPath(
            dest === '.' || dest === './' ? workdir : dest.startsWith('/') ? dest : `${workdir}/${dest}`,
          ),
        );
      }
    }
  }
  // A clone is the source only where a go build runs in it.
  for (const dir of clones) if (buildDirs.some((b) => b === dir || b.startsWith(`${dir}/`))) dirs.add(dir);
  return dirs;
}

const HEAVY = [
  '/',
  '/go',
  '/go/pkg',
  '/go/pkg/mod',
  '/root/.cache',
  '/root/.cache/go-build',
  '/usr/local/go',
  '/root/go',
];

/** Go installations (GOROOT, GOPATH) an image may ship on purpose, to run go. */
const TOOLCHAINS = new Set(['/usr/local/go', '/go', '/root/go']);

/** The final stage puts the copied toolchain to use: its bin on PATH or linked, or go run in a later RUN. */
function usesToolchain(final: Stage, copy: Instruction, tree: string): boolean {
  return final.instructions.some(
    (i) =>
      i.argsText.includes(`${tree}/bin`) ||
      (i.index > copy.index &&
        i.keyword === 'RUN' &&
        i.commands.some((c) => isGoCommand(unwrapCommand(c).name))),
  );
}

/**
 * True when the directory `src` of `stage` holds Go sources the stage took from the context:
 * a copy of the context (or of a folder with .go files) landed at or below it, in the stage or
 * the stages it starts from.
 */
function carriesSources(ctx: AuditContext, model: BuildModel, stage: Stage, src: string): boolean {
  const inv = ctx.context.inventory;
  const dir = posix.normalize(src.startsWith('/') ? src : `/${src}`).replace(/(.)\/+$/, '$1');
  for (const m of model.model(stage).mappings) {
    if (m.origin.kind !== 'context' || !m.origin.dir) continue;
    if (!(dir === '/' || m.image === dir || m.image.startsWith(`${dir}/`))) continue;
    const from = m.origin.path;
    if (from === '') return true;
    if (inv?.files.some((f) => f.startsWith(`${from}/`) && f.endsWith('.go'))) return true;
  }
  return false;
}

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final || ctx.df.stages.length < 2) return [];
  // A debugger image (a build with optimisation off) ships its sources for delve to show.
  if (ctx.facts.shippedBuilds().some(debugBuild)) return [];
  const hits: RuleHit[] = [];
  const model = new BuildModel(ctx.facts, ctx.context.inventory);
  for (const ins of final.instructions) {
    const from = flagValue(ins, 'from');
    if (ins.keyword !== 'COPY' || !from) continue;
    const stage = ctx.facts.stageRef(from);
    const trees = stage ? sourceDirs(ctx, stage) : new Set<string>();
    for (const src of copySources(ins).sources) {
      const p = normPath(src);
      if (stage && !trees.has(p) && !HEAVY.includes(p) && carriesSources(ctx, model, stage, p)) trees.add(p);
      if (TOOLCHAINS.has(p) && usesToolchain(final, ins, p)) continue;
      if (HEAVY.includes(p) || trees.has(p)) {
        hits.push({
          message: `the final stage copies the whole ${trees.has(p) ? 'source tree' : 'Go tree or cache'} ${src} from ${from}; copy only the binary (and its data files)`,
          span: ins.span,
        });
        break;
      }
    }
  }
  return hits;
}
