/**
 * A static model of BuildKit's cache keys for one Dockerfile. Each build step (RUN, COPY, ADD,
 * WORKDIR: the instructions BuildKit reports as CACHED or not) gets a key derived from its
 * parent step's key, its own definition after ARG/ENV substitution, and, for steps that read the
 * build context (COPY/ADD sources, RUN --mount=type=bind), whether the files they select
 * changed. Metadata instructions (ENV, ARG, USER, LABEL, CMD...) are not steps; they change the
 * keys of later RUN steps through the environment, user and shell they set. Cache mounts do not
 * enter keys. A step that copies from another stage whose steps rebuilt depends on that build's
 * output, which no static model can know: its key is null ("unknown"), and so are its followers.
 */
import { createHash } from 'node:crypto';
import { scopeAt } from '../dockerfile/instruction.js';
import type { DockerfileModel, Flag, Instruction, Stage } from '../dockerfile/model.js';

/** Which changed context files a COPY source selects (empty when nothing it copies changed). */
export type ChangedSelection = (source: string) => string[];

export type StepReason =
  | { kind: 'files'; source: string; files: string[] }
  | { kind: 'definition' }
  | { kind: 'parent' }
  | { kind: 'build-output'; stage: string };

export interface Step {
  stage: number;
  /** `AS` name or the stage index as text. */
  stageName: string;
  instruction: Instruction;
  /** null when the key depends on another stage's build output. */
  key: string | null;
  /** Why the key may differ from a previous build: set when context files or stage output feed it. */
  inputs: StepReason[];
}

const STEP_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

function hash(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}

function stageLabel(stage: Stage): string {
  return stage.name ?? `stage-${stage.index}`;
}

function stageByRef(model: DockerfileModel, ref: string): Stage | undefined {
  const lower = ref.toLowerCase();
  const named = model.stages.find((s) => s.name === lower);
  if (named) return named;
  return /^\d+$/.test(ref) ? model.stages[Number(ref)] : undefined;
}

function flagValue(ins: Instruction, name: string): string | undefined {
  return ins.flags.find((f) => f.name === name)?.value ?? undefined;
}

function bindMounts(ins: Instruction): Flag[] {
  return ins.flags.filter((f) => f.name === 'mount' && (f.options.type ?? 'bind') === 'bind');
}

/** COPY/ADD sources: every argument but the last (exec-form JSON arrays included). */
export function copySources(ins: Instruction): { sources: string[]; dest: string } {
  const text = ins.argsText.trim();
  let values: string[];
  if (text.startsWith('[')) {
    try {
      values = JSON.parse(text) as string[];
    } catch {
      values = ins.args.map((a) => a.value);
    }
  } else values = ins.args.map((a) => a.value);
  return { sources: values.slice(0, -1), dest: values[values.length - 1] ?? '' };
}

/** Stages the final stage needs (BuildKit builds nothing else for the default target). */
export function reachableStages(model: DockerfileModel): Set<number> {
  const seen = new Set<number>();
  const visit = (index: number): void => {
    if (seen.has(index)) return;
    seen.add(index);
    const stage = model.stages[index]!;
    if (stage.parent !== undefined) visit(stage.parent);
    for (const ins of stage.instructions) {
      const refs = [flagValue(ins, 'from'), ...bindMounts(ins).map((m) => m.options.from)];
      for (const ref of refs) {
        const dep = ref ? stageByRef(model, ref) : undefined;
        if (dep && dep.index < index) visit(dep.index);
      }
    }
  };
  if (model.stages.length > 0) visit(model.stages.length - 1);
  return seen;
}

/**
 * Computes the steps and keys of every reachable stage. `changed` tells which context files a
 * source selects that differ from the build being compared with; `rebuiltStages` (filled as
 * stages are processed) lets a later stage see that an earlier one rebuilt.
 */
export function computeSteps(
  model: DockerfileModel,
  changed: ChangedSelection,
  previousKeys?: ReadonlySet<string>,
): Step[] {
  const reachable = reachableStages(model);
  const steps: Step[] = [];
  const finalKey = new Map<number, string | null>();
  const stageRebuilt = new Map<number, boolean>();

  for (const stage of model.stages) {
    if (!reachable.has(stage.index)) continue;
    let parent: string | null;
    if (stage.parent !== undefined) parent = finalKey.get(stage.parent) ?? null;
    else parent = hash(['FROM', stage.base, stage.platform ?? '']);
    let rebuilt = stage.parent !== undefined ? (stageRebuilt.get(stage.parent) ?? false) : false;
    let workdir = '/';
    // USER and SHELL are not steps, but later RUN steps run as that user, in that shell.
    let runAs = '';
    for (const ins of stage.instructions) {
      if (ins.keyword === 'WORKDIR') {
        const dir = ins.argsText.trim();
        workdir = dir.startsWith('/') ? dir : `${workdir.replace(/\/$/, '')}/${dir}`;
      }
      if (ins.keyword === 'USER' || ins.keyword === 'SHELL')
        runAs += `${ins.keyword} ${ins.argsText.trim()};`;
      if (!STEP_KEYWORDS.has(ins.keyword)) continue;
      const inputs: StepReason[] = [];
      const contentParts: string[] = [];
      let unknown = parent === null;
      const fromRef = flagValue(ins, 'from');
      const readsContext = (source: string): void => {
        const files = changed(source);
        if (files.length > 0) inputs.push({ kind: 'files', source, files });
        contentParts.push(`${source}:${files.length > 0 ? files.join(',') : ''}`);
      };
      const readsStage = (ref: string): boolean => {
        const dep = stageByRef(model, ref);
        if (!dep) return false; // an external image: its content is fixed by its reference
        if (stageRebuilt.get(dep.index)) {
          inputs.push({ kind: 'build-output', stage: stageLabel(dep) });
          unknown = true;
        } else contentParts.push(`stage:${finalKey.get(dep.index) ?? ''}`);
        return true;
      };
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const { sources } = copySources(ins);
        if (fromRef) readsStage(fromRef);
        else for (const s of sources) readsContext(s);
      }
      if (ins.keyword === 'RUN') {
        for (const m of bindMounts(ins)) {
          if (m.options.from) readsStage(m.options.from);
          else readsContext(m.options.source ?? m.options.src ?? '.');
        }
      }
      const env = ins.keyword === 'RUN' ? [...scopeAt(ins)].map(([k, v]) => `${k}=${v ?? ''}`).sort() : [];
      const key = unknown
        ? null
        : hash([
            parent!,
            ins.keyword,
            ins.flags.map((f) => `${f.name}=${f.value}`).join(' '),
            ins.argsText.trim(),
            workdir,
            ins.keyword === 'RUN' ? runAs : '',
            ...env,
            ...contentParts,
          ]);
      if (key !== null && previousKeys && !previousKeys.has(key)) rebuilt = true;
      if (key === null) rebuilt = true;
      steps.push({ stage: stage.index, stageName: stageLabel(stage), instruction: ins, key, inputs });
      parent = key;
    }
    finalKey.set(stage.index, parent);
    stageRebuilt.set(stage.index, rebuilt);
  }
  return steps;
}
