/**
 * Estimated rebuild cost of a replayed history from `goimg bench` timings: each commit costs what
 * bench measured for its kind of rebuild (nothing rebuilt, a source change, a dependency change,
 * or a cold build), so the replay can say what the Dockerfile's ordering costs over real work.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { type CommitReplay, isModuleDownload, type ReplayResult } from './replay.js';

export interface BenchTimings {
  cold: number | null;
  noChange: number | null;
  sourceChange: number | null;
  depChange: number | null;
}

export type RebuildKind = keyof BenchTimings;

export interface CostEstimate {
  /** The bench variant whose timings were used. */
  variant: string;
  totalSeconds: number;
  /** Commits with a known cost (those whose kind bench measured). */
  commits: number;
  /** Per commit, in replay order: its kind and estimated seconds (null when unknown). */
  perCommit: { kind: RebuildKind | null; seconds: number | null }[];
}

/** What kind of rebuild a commit causes: judged by its first rebuilt step. */
export function rebuildKind(commit: CommitReplay): RebuildKind | null {
  if (commit.steps.length === 0) return commit.note?.includes('cold build') ? 'cold' : null;
  const first = commit.firstRebuilt;
  if (!first) return 'noChange';
  const firstIndex = commit.steps.findIndex((s) => s.stage === first.stage && s.line === first.line);
  const downloadIndex = commit.steps.findIndex((s) => isModuleDownload(s.instruction));
  return downloadIndex >= 0 && firstIndex <= downloadIndex ? 'depChange' : 'sourceChange';
}

export function estimateCost(result: ReplayResult, variant: string, timings: BenchTimings): CostEstimate {
  let totalSeconds = 0;
  let commits = 0;
  const perCommit = result.commits.map((c) => {
    const kind = rebuildKind(c);
    const seconds = kind ? timings[kind] : null;
    if (seconds !== null) {
      totalSeconds += seconds;
      commits++;
    }
    return { kind, seconds };
  });
  return { variant, totalSeconds, commits, perCommit };
}

interface BenchJson {
  version?: number;
  variants?: { name?: string; timings?: Partial<BenchTimings> }[];
}

/** Reads a `goimg bench --format json` file and returns the named variant's timings. */
export function loadBenchTimings(file: string, variant: string): BenchTimings {
  let json: BenchJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as BenchJson;
  } catch (err) {
    throw new InputError(
      `cannot read bench results ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (json.version !== 1 || !Array.isArray(json.variants)) {
    throw new InputError(`${file} is not the output of goimg bench --format json`);
  }
  const found = json.variants.find((v) => v.name === variant);
  if (!found?.timings) {
    const names = json.variants.map((v) => v.name).join(', ');
    throw new InputError(`${file} has no bench variant "${variant}" (it has: ${names})`);
  }
  const t = found.timings;
  const num = (v: number | null | undefined) => (typeof v === 'number' ? v : null);
  return {
    cold: num(t.cold),
    noChange: num(t.noChange),
    sourceChange: num(t.sourceChange),
    depChange: num(t.depChange),
  };
}
