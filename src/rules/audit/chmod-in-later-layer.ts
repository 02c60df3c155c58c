import { posix } from 'node:path';
import { scopeAt } from '../../dockerfile/instruction.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { substitute } from '../../dockerfile/parse.js';
import { binaryName, mainPackagesInBuild } from '../../project/closure.js';
import { programName } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { abs, copySources, flagValue, isRemoteSource } from './context.js';
import { runsGo } from './support.js';

export const id = 'chmod-in-later-layer';

export const examples = {
  bad: 'COPY --from=build /out/app /usr/local/bin/app\nRUN chmod +x /usr/local/bin/app',
  good: 'COPY --chmod=755 --from=build /out/app /usr/local/bin/app',
};

/** A file a COPY or ADD put in the image, and why it is worth a warning (a program, not a script). */
interface Copied {
  path: string;
  ins: Instruction;
  what: string;
  /** Mode the file arrives with, when known: ADD writes a URL's file 0600, go build writes 0755. */
  mode?: number;
}

/** Names that are scripts or settings: a few bytes stored twice are not worth a finding. */
const SMALL_FILE = /\.(sh|bash|py|pl|rb|js|json|ya?ml|toml|ini|conf|cfg|txt|md|env|pem|crt|key|html|css)$/i;

/** Resolves `p` against `wd`; undefined when a variable or a glob is left, or `wd` is unknown. */
function absolute(p: string, wd: string | null): string | undefined {
  if (p.includes('$') || /[*?[]/.test(p)) return undefined;
  if (!p.startsWith('/') && wd === null) return undefined;
  return abs(wd ?? '/', p);
}

/** Where the go builds of a stage's lineage write their programs (absolute paths). */
function buildOutputs(ctx: AuditContext, stage: Stage): string[] {
  const out: string[] = [];
  for (const s of ctx.facts.lineage(stage))
    for (const b of ctx.facts.go(s).builds) {
      if (b.subcommand === 'install') out.push('/go/bin');
      else if (b.output) {
        const p = absolute(b.output, ctx.facts.workdirAt(b.instruction));
        if (p) out.push(p);
      }
    }
  return out;
}

/** The names go build gives the project's programs. */
function programNames(ctx: AuditContext): Set<string> {
  const project = ctx.project;
  if (!project) return new Set();
  return new Set(mainPackagesInBuild(project).map((p) => binaryName(project, p).toLowerCase()));
}

/** Why a copied source is a program worth a warning, or undefined. */
function programSource(ctx: AuditContext, ins: Instruction, src: string): Copied['what'] | undefined {
  if (SMALL_FILE.test(src)) return undefined;
  const from = flagValue(ins, 'from');
  if (from !== undefined) {
    const stage = ctx.facts.stageRef(from);
    if (!stage) return undefined;
    const path = absolute(src, '/');
    const built = path && buildOutputs(ctx, stage).some((o) => o === path || o.startsWith(`${path}/`));
    return built ? `the program built in stage ${stage.name ?? stage.index}` : undefined;
  }
  if (ins.keyword === 'ADD' && isRemoteSource(src))
    return /^git@|\.git(#|$)/.test(src) ? undefined : 'a download';
  // A prebuilt binary of one of the project's programs, copied from the context.
  const name = programName(src);
  return name && programNames(ctx).has(name) ? 'a prebuilt program' : undefined;
}

/** The files a COPY or ADD writes that are programs, with their paths in the image. */
function copiedPrograms(ctx: AuditContext, ins: Instruction): Copied[] {
  const scope = scopeAt(ins);
  const { sources, dest } = copySources(ins);
  const to = absolute(substitute(dest, scope), ctx.facts.workdirAt(ins));
  if (!to) return [];
  const out: Copied[] = [];
  for (const raw of sources) {
    const src = substitute(raw, scope);
    const what = programSource(ctx, ins, src);
    if (!what) continue;
    const mode = flagValue(ins, 'from') !== undefined ? 0o755 : isRemoteSource(src) ? 0o600 : undefined;
    const base = posix.basename(src.replace(/[?#].*$/, '').replace(/\/+$/, ''));
    // `COPY app /usr/bin/` (or several sources) lands inside; `COPY app /usr/bin` may too, when it is a directory.
    if (dest.endsWith('/') || sources.length > 1) out.push({ path: posix.join(to, base), ins, what, mode });
    else out.push({ path: to, ins, what, mode }, { path: posix.join(to, base), ins, what, mode });
  }
  return out;
}

const CHMOD_OPTIONS = new Set([
  '-R',
  '-v',
  '-c',
  '-f',
  '-h',
  '--recursive',
  '--verbose',
  '--changes',
  '--silent',
  '--quiet',
]);

/** A chmod/chown/chgrp command: what it sets, whether recursive, and the paths it changes. */
function permissionChange(
  words: string[],
): { tool: string; value: string; recursive: boolean; paths: string[] } | undefined {
  const tool = words[0];
  if (tool !== 'chmod' && tool !== 'chown' && tool !== 'chgrp') return undefined;
  let recursive = false;
  const rest: string[] = [];
  for (const w of words.slice(1)) {
    if (CHMOD_OPTIONS.has(w) || (w.startsWith('--') && rest.length === 0))
      recursive ||= w === '-R' || w === '--recursive';
    else if (/^-[Rvcfh]+$/.test(w) && rest.length === 0) recursive ||= w.includes('R');
    else rest.push(w);
  }
  const [value, ...paths] = rest;
  return value && paths.length > 0 ? { tool, value, recursive, paths } : undefined;
}

/** The mode a chmod value gives a file that had `mode`, in octal, when simple enough to tell. */
function resultingMode(value: string, mode: number | undefined): string | undefined {
  if (/^0?[0-7]{3}$/.test(value)) return value.replace(/^0(?=[0-7]{3}$)/, '');
  // `+x`, `a+x`, `ugo+x`, `+rx`: adds execute (and read) for all; the umask leaves 022 alone.
  if (/^(a|ugo)?\+r?x$/.test(value) || /^(a|ugo)?\+xr$/.test(value)) return '755';
  if (mode !== undefined && /^u\+x$/.test(value)) return (mode | 0o100).toString(8);
  return undefined;
}

/** Commands that must rewrite a file in a RUN: COPY cannot set capabilities or strip it. */
const REWRITERS = new Set(['setcap', 'strip', 'upx', 'patchelf', 'setfattr']);

/** A RUN that creates a user or group, which a --chown by name needs before the COPY. */
function createsUser(ins: Instruction): boolean {
  return ins.commands.some((c) => /^(adduser|useradd|addgroup|groupadd)$/.test(c.words[0]?.value ?? ''));
}

function advice(tool: string, value: string, c: Copied, userMadeAfterCopy: boolean): string {
  const kw = c.ins.keyword;
  if (tool === 'chmod') {
    const octal = resultingMode(value, c.mode);
    const already =
      c.mode === 0o755 && octal === '755' ? ' (it is executable already: go build writes mode 755)' : '';
    return `set the mode as it is copied: ${kw} --chmod=${octal ?? '<octal mode>'}${already}`;
  }
  const owner = tool === 'chgrp' ? `:${value}` : value;
  const move =
    userMadeAfterCopy && !/^\d+(:\d+)?$/.test(owner)
      ? `, the ${kw} placed after the RUN that creates the user`
      : '';
  return `set the owner as it is copied: ${kw} --chown=${owner}${move}`;
}

/** Whether a RUN from `copy` up to and including `change` creates a user. */
function userMadeAfter(stages: readonly Stage[], copy: Instruction, change: Instruction): boolean {
  const all = stages.flatMap((s) => s.instructions);
  const from = all.indexOf(copy);
  const to = all.indexOf(change);
  return all.slice(from + 1, to + 1).some((i) => i.keyword === 'RUN' && createsUser(i));
}

function checkLineage(ctx: AuditContext, stages: readonly Stage[]): RuleHit[] {
  const hits: RuleHit[] = [];
  const copied: Copied[] = [];
  for (const stage of stages) {
    for (const ins of stage.instructions) {
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        copied.push(...copiedPrograms(ctx, ins));
        continue;
      }
      if (ins.keyword !== 'RUN' || copied.length === 0) continue;
      const wd = ctx.facts.workdirAt(ins);
      const scope = scopeAt(ins);
      for (const cmd of ins.commands) {
        const change = permissionChange(cmd.words.map((w) => w.value));
        if (!change) continue;
        const hit = change.paths
          .map((p) => absolute(substitute(p, scope), wd))
          .flatMap((t) =>
            t === undefined
              ? []
              : copied
                  .filter(
                    (c) => c.path === t || (change.recursive && t !== '/' && c.path.startsWith(`${t}/`)),
                  )
                  .map((c) => ({ t, c })),
          )[0];
        if (!hit) continue;
        const { t, c } = hit;
        // setcap, strip or upx must change the file in a RUN anyway: the second copy stays.
        if (ins.commands.some((d) => REWRITERS.has(d.words[0]?.value ?? ''))) break;
        const stored =
          t === c.path
            ? `${change.tool} of ${t} (${c.what}, added by line ${c.ins.span.line}) stores it a second time`
            : `${change.tool} -R of ${t} stores ${c.path} (${c.what}, added by line ${c.ins.span.line}) a second time`;
        hits.push({
          message: `${stored}: a layer records every file it changes whole, so the image carries both copies; ${advice(change.tool, change.value, c, userMadeAfter(stages, c.ins, ins))} and drop the ${change.tool}`,
          span: ins.span,
        });
        break;
      }
    }
  }
  return hits;
}

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  // Only layers that ship count; a test runner's size does not matter.
  if (!final || runsGo(ctx, final)) return [];
  return checkLineage(ctx, ctx.facts.lineage(final));
}
