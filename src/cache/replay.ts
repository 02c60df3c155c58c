/**
 * Replays a project's git history through the cache model: for each commit, compared with its
 * first parent, which step is the first to rebuild; then, per step, how often the cache held.
 * Reads the history with one `git log --raw` and reads a Dockerfile or .dockerignore only at
 * commits that change it.
 */
import { readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { InputError } from '../core/errors.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { type BuildState, compareBuilds, filterFromText, type StepOutcome } from './compare.js';
import {
  type CommitChanges,
  fileAtCommit,
  type HistoryRange,
  readHistory,
  treeFiles,
} from './git-history.js';
import type { StepReason } from './keys.js';

export interface FirstRebuilt {
  stage: string;
  line: number;
  instruction: string;
  reasons: StepReason[];
}

export interface CommitReplay {
  sha: string;
  subject: string;
  /** The first step, in file order, whose key changed; null when everything is reused. */
  firstRebuilt: FirstRebuilt | null;
  /** Context files this commit changed (relative to the context). */
  changed: string[];
  steps: StepOutcome[];
  /** Set when the commit could not be compared (root commit, shallow boundary, no Dockerfile). */
  note?: string;
}

export interface StepStats {
  stage: string;
  line: number;
  instruction: string;
  hits: number;
  misses: number;
  unknown: number;
  /** hits / (hits + misses); null when no commit could be judged. */
  hitRate: number | null;
}

export interface ReplayResult {
  dockerfile: string;
  commits: CommitReplay[];
  steps: StepStats[];
  /** Commits whose module download step (`go mod download`) was reused, of those judged. */
  moduleDownload: { reused: number; total: number } | null;
}

export interface ReplayOptions extends HistoryRange {
  repoDir: string;
  /** Build context, relative to the repository root ("" for the root). */
  context: string;
  /** Dockerfile path relative to the repository root. */
  dockerfile: string;
  /** A Dockerfile text to use at every commit instead of the one in history (--compare). */
  fixedDockerfile?: string;
}

// A history holds few distinct Dockerfile texts: parse each once.
const parsed = new Map<string, DockerfileModel>();

function parse(text: string, label: string): DockerfileModel {
  const known = parsed.get(text);
  if (known) return known;
  const { model, problem } = parseDockerfile(text);
  if (problem) throw new InputError(`${label}:${problem.span.line}: ${problem.message}`);
  if (parsed.size > 256) parsed.clear();
  parsed.set(text, model);
  return model;
}

function toContextPath(context: string, repoPath: string): string | undefined {
  if (context === '') return repoPath;
  return repoPath.startsWith(`${context}/`) ? repoPath.slice(context.length + 1) : undefined;
}

export const GIT_DIR = '.git';

function stepId(s: { stage: string; instruction: string }): string {
  return `${s.stage}\u0000${s.instruction}`;
}

export function isModuleDownload(instruction: string): boolean {
  return /\bgo\s+mod\s+download\b/.test(instruction);
}

/** Replays history; commits oldest first. */
export function replayHistory(options: ReplayOptions): ReplayResult {
  const { repoDir, context } = options;
  const history = readHistory(repoDir, options);
  if (history.length === 0) throw new InputError('no commits in the requested range');
  const ignorePath = posix.join(context, '.dockerignore');

  // State the cache holds before the first replayed commit: that commit's parent.
  const first = history[0]!;
  const at = (sha: string | null, path: string) => (sha ? fileAtCommit(repoDir, sha, path) : undefined);
  let dockerfileText = options.fixedDockerfile ?? at(first.parent, options.dockerfile);
  let ignoreText = at(first.parent, ignorePath);

  const commits: CommitReplay[] = [];
  for (const commit of history) {
    const prevDockerfile = dockerfileText;
    const prevIgnore = ignoreText;
    const touched = new Set(commit.changes.map((c) => c.path));
    if (options.fixedDockerfile === undefined && touched.has(options.dockerfile)) {
      dockerfileText = at(commit.sha, options.dockerfile);
    }
    if (touched.has(ignorePath)) ignoreText = at(commit.sha, ignorePath);
    commits.push(replayCommit(options, commit, prevDockerfile, prevIgnore, dockerfileText, ignoreText));
  }
  return summarise(options.dockerfile, commits);
}

function replayCommit(
  options: ReplayOptions,
  commit: CommitChanges,
  prevDockerfile: string | undefined,
  prevIgnore: string | undefined,
  dockerfileText: string | undefined,
  ignoreText: string | undefined,
): CommitReplay {
  const changed = commit.changes
    .map((c) => toContextPath(options.context, c.path))
    .filter((p): p is string => p !== undefined);
  // When the context is the repository root, the .git directory is part of it and changes with
  // every commit: unless .dockerignore excludes it, `COPY . .` can never be reused.
  const contextChanges = options.context === '' ? [...changed, GIT_DIR] : changed;
  const base = { sha: commit.sha, subject: commit.subject, changed };
  if (dockerfileText === undefined) {
    return {
      ...base,
      firstRebuilt: null,
      steps: [],
      note: `${options.dockerfile} does not exist at this commit`,
    };
  }
  if (commit.parent === null || prevDockerfile === undefined) {
    const note =
      commit.parent === null
        ? 'no parent commit (root, or the boundary of a shallow clone): a cold build'
        : `${options.dockerfile} did not exist at the parent: a cold build`;
    return { ...base, firstRebuilt: null, steps: [], note };
  }
  const previous: BuildState = {
    model: parse(prevDockerfile, `${options.dockerfile}@${commit.parent.slice(0, 7)}`),
    filter: filterFromText(prevIgnore),
  };
  const next: BuildState = {
    model: parse(dockerfileText, `${options.dockerfile}@${commit.sha.slice(0, 7)}`),
    filter: filterFromText(ignoreText),
  };
  const steps = compareBuilds(previous, next, {
    changed: contextChanges,
    allFiles: () =>
      treeFiles(options.repoDir, commit.sha)
        .map((p) => toContextPath(options.context, p))
        .filter((p): p is string => p !== undefined),
  });
  const miss = steps.find((s) => s.status === 'miss');
  return {
    ...base,
    steps,
    firstRebuilt: miss
      ? { stage: miss.stage, line: miss.line, instruction: miss.instruction, reasons: miss.reasons }
      : null,
  };
}

function summarise(dockerfile: string, commits: CommitReplay[]): ReplayResult {
  const last = [...commits].reverse().find((c) => c.steps.length > 0);
  const stats = new Map<string, StepStats>();
  for (const s of last?.steps ?? []) {
    stats.set(stepId(s), {
      stage: s.stage,
      line: s.line,
      instruction: s.instruction,
      hits: 0,
      misses: 0,
      unknown: 0,
      hitRate: null,
    });
  }
  for (const c of commits) {
    for (const s of c.steps) {
      const st = stats.get(stepId(s));
      if (!st) continue;
      if (s.status === 'hit') st.hits++;
      else if (s.status === 'miss') st.misses++;
      else st.unknown++;
    }
  }
  for (const st of stats.values()) {
    const judged = st.hits + st.misses;
    st.hitRate = judged === 0 ? null : st.hits / judged;
  }
  const steps = [...stats.values()];
  const download = steps.find((s) => isModuleDownload(s.instruction));
  return {
    dockerfile,
    commits,
    steps,
    moduleDownload: download ? { reused: download.hits, total: download.hits + download.misses } : null,
  };
}

/** Reads a working-tree file, or undefined. */
export function readWorkingFile(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

export function relativeSlash(from: string, to: string): string {
  return relative(from, to).split('\\').join('/');
}
