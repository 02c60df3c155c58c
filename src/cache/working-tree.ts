/**
 * `goimg cache --changed`: which step a change in the working tree (or a given list of files)
 * would rebuild first, against the build of HEAD (or, outside git, of the same Dockerfile).
 */
import { spawnSync } from 'node:child_process';
import { InputError } from '../core/errors.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { type BuildState, compareBuilds, filterFromText, type StepOutcome } from './compare.js';
import { fileAtCommit, gitTopLevel, treeFiles } from './git-history.js';
import { readWorkingFile, relativeSlash } from './replay.js';

export interface ChangedResult {
  dockerfile: string;
  changed: string[];
  /** The first step to rebuild, per stage (stages with no rebuild are absent). */
  firstRebuilt: StepOutcome[];
  steps: StepOutcome[];
  /** How the previous build was taken: HEAD, or the same files when not in git. */
  baseline: 'HEAD' | 'working-tree';
}

function parseOrThrow(text: string, label: string) {
  const { model, problem } = parseDockerfile(text);
  if (problem) throw new InputError(`${label}:${problem.span.line}: ${problem.message}`);
  return model;
}

/** Working-tree changes under the context, relative to it (tracked and untracked files). */
function workingTreeChanges(top: string, context: string): string[] {
  const r = spawnSync(
    'git',
    ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', context || '.'],
    {
      cwd: top,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new InputError(`git status failed: ${r.stderr.trim()}`);
  const prefix = context === '' ? '' : `${context}/`;
  return r.stdout
    .split('\0')
    .filter((e) => e.length > 3)
    .map((e) => e.slice(3))
    .filter((p) => p.startsWith(prefix))
    .map((p) => p.slice(prefix.length));
}

export function analyseChanged(
  contextDir: string,
  dockerfilePath: string,
  files: string[] | undefined,
): ChangedResult {
  const dockerfileText = readDockerfile(dockerfilePath);
  const next: BuildState = {
    model: parseOrThrow(dockerfileText, dockerfilePath),
    filter: filterFromText(readWorkingFile(contextDir, '.dockerignore')),
  };
  const top = gitTopLevel(contextDir);
  if (!top) {
    if (!files) {
      throw new InputError(
        `${contextDir} is not in a git repository, so there is no history or working-tree diff to read`,
        'name the changed files with --changed FILE...',
      );
    }
    return finish(dockerfilePath, files, next, next, 'working-tree');
  }
  const context = relativeSlash(top, contextDir);
  const dfRepo = relativeSlash(top, dockerfilePath);
  const headDockerfile = fileAtCommit(top, 'HEAD', dfRepo);
  const previous: BuildState = {
    model: headDockerfile === undefined ? next.model : parseOrThrow(headDockerfile, `${dfRepo}@HEAD`),
    filter: filterFromText(
      fileAtCommit(top, 'HEAD', context === '' ? '.dockerignore' : `${context}/.dockerignore`),
    ),
  };
  const changed = files ?? workingTreeChanges(top, context);
  const allFiles = () =>
    treeFiles(top, 'HEAD')
      .filter((p) => context === '' || p.startsWith(`${context}/`))
      .map((p) => (context === '' ? p : p.slice(context.length + 1)));
  return finish(dockerfilePath, changed, previous, next, 'HEAD', allFiles);
}

function readDockerfile(path: string): string {
  const text = readWorkingFile('', path);
  if (text === undefined) throw new InputError(`cannot read ${path}`);
  return text;
}

function finish(
  dockerfile: string,
  changed: string[],
  previous: BuildState,
  next: BuildState,
  baseline: ChangedResult['baseline'],
  allFiles?: () => string[],
): ChangedResult {
  const steps = compareBuilds(previous, next, { changed, allFiles });
  const firstRebuilt: StepOutcome[] = [];
  const seen = new Set<string>();
  for (const s of steps) {
    if (s.status === 'miss' && !seen.has(s.stage)) {
      seen.add(s.stage);
      firstRebuilt.push(s);
    }
  }
  return { dockerfile, changed, firstRebuilt, steps, baseline };
}
