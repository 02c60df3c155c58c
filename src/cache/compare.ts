/**
 * Compares two builds of a Dockerfile: the one the cache holds (previous Dockerfile, previous
 * .dockerignore) and the next one (current Dockerfile, current .dockerignore, and the context
 * files that changed in between). Says, per step, hit, miss or unknown, and why.
 */
import { type ContextFilter, makeFilter, parseDockerignore } from '../context/dockerignore.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { copySourceMatcher } from './copy-sources.js';
import { computeSteps, type StepReason } from './keys.js';

export type StepStatus = 'hit' | 'miss' | 'unknown';

export interface StepOutcome {
  stage: string;
  line: number;
  /** The instruction's first line, whitespace collapsed. */
  instruction: string;
  status: StepStatus;
  /** For misses and unknowns: what fed the change (files, the instruction's text, its parent). */
  reasons: StepReason[];
}

export interface BuildState {
  model: DockerfileModel;
  filter: ContextFilter;
}

export interface ContextChange {
  /** Context-relative paths that were added, deleted or modified (content or mode). */
  changed: readonly string[];
  /** All files of the new context, needed only when the .dockerignore changed. */
  allFiles?: () => readonly string[];
}

export function filterFromText(text: string | undefined): ContextFilter {
  return makeFilter(
    text === undefined ? [] : parseDockerignore(text),
    text === undefined ? '' : '.dockerignore',
  );
}

export function instructionLabel(text: string, start: number, end: number): string {
  const first = text.slice(start, end).split(/\r?\n/)[0]!.replace(/\s+/g, ' ').trim();
  return first.length > 100 ? `${first.slice(0, 97)}...` : first;
}

function sameFilter(a: ContextFilter, b: ContextFilter): boolean {
  const text = (f: ContextFilter) =>
    f.patterns.map((p) => `${p.exception ? '!' : ''}${p.pattern}`).join('\n');
  return text(a) === text(b);
}

// The keys of a build with no context change depend on the Dockerfile alone: compute them once.
const baselineKeys = new WeakMap<DockerfileModel, Set<string>>();

function keysOf(model: DockerfileModel): Set<string> {
  let keys = baselineKeys.get(model);
  if (!keys) {
    keys = new Set(computeSteps(model, () => []).flatMap((s) => (s.key === null ? [] : [s.key])));
    baselineKeys.set(model, keys);
  }
  return keys;
}

export function compareBuilds(previous: BuildState, next: BuildState, change: ContextChange): StepOutcome[] {
  const filterChanged = !sameFilter(previous.filter, next.filter);
  const flipped =
    filterChanged && change.allFiles
      ? change.allFiles().filter((p) => previous.filter.ignores(p) !== next.filter.ignores(p))
      : [];
  const candidates = [...new Set([...change.changed, ...flipped])];
  const selected = (source: string): string[] => {
    const matches = copySourceMatcher(source);
    return candidates.filter((p) => matches(p) && !(previous.filter.ignores(p) && next.filter.ignores(p)));
  };
  const previousKeys = keysOf(previous.model);
  const after = computeSteps(next.model, selected, previousKeys);
  const parentMissed = new Map<number, boolean>();
  return after.map((step) => {
    const ins = step.instruction;
    const base = {
      stage: step.stageName,
      line: ins.span.line,
      instruction: instructionLabel(next.model.text, ins.span.start, ins.span.end),
    };
    if (step.key === null) {
      const reasons: StepReason[] = step.inputs.filter((r) => r.kind === 'build-output');
      return {
        ...base,
        status: 'unknown' as const,
        reasons: reasons.length ? reasons : [{ kind: 'parent' as const }],
      };
    }
    if (previousKeys.has(step.key)) {
      parentMissed.set(step.stage, false);
      return { ...base, status: 'hit' as const, reasons: [] };
    }
    const files = step.inputs.filter((r) => r.kind === 'files');
    const reasons: StepReason[] = parentMissed.get(step.stage)
      ? [{ kind: 'parent' }]
      : files.length > 0
        ? files
        : [{ kind: 'definition' }];
    parentMissed.set(step.stage, true);
    return { ...base, status: 'miss' as const, reasons };
  });
}
