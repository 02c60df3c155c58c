/**
 * `goimg cache`: which change busts which layer, for a working-tree change or replayed over the
 * project's git history, with BuildKit's cache-key rules.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { estimateCost, loadBenchTimings } from '../cache/cost.js';
import { gitTopLevel, isShallow } from '../cache/git-history.js';
import { renderChangedText, renderReplayText, replayJson } from '../cache/render.js';
import { relativeSlash, replayHistory } from '../cache/replay.js';
import { analyseChanged } from '../cache/working-tree.js';
import { ExitCode, InputError, UsageError } from '../core/errors.js';
import type { Command } from './command.js';
import { listOption, stringOption } from './options.js';

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new UsageError(`--commits must be a whole number from 1 to 100000, got "${value}"`);
  return n;
}

export const cacheCommand: Command = {
  name: 'cache',
  summary: 'which change busts which build step, for a change or replayed over the git history',
  usage:
    'goimg cache [DIR] [--dockerfile PATH] [--commits N | --range A..B] [--changed FILE...] [--compare DOCKERFILE]',
  help: [
    'Models BuildKit cache keys for the Dockerfile: a step is keyed on its parent step, its own text',
    '(with ARG/ENV), and for COPY/ADD and RUN --mount=type=bind the content and mode of the files it',
    'copies after .dockerignore (never their mtime). Cache mounts do not affect keys. A step copying',
    "from a stage that rebuilt depends on that build's output and is reported as unknown.",
    '',
    'Modes:',
    '  (default in a git repository) replay the last --commits N (default 50) commits, or --range A..B,',
    '      each against its first parent: the first step to rebuild, and the hit rate of every step',
    '  --changed FILE...   which step these files (relative to DIR) would rebuild first, per stage,',
    '                      against HEAD (outside git: against the same Dockerfile); outside git',
    '                      this is the only mode',
    '  --working-tree      the same for the uncommitted changes of the working tree against HEAD',
    '',
    'Options:',
    '  --dockerfile PATH   the Dockerfile (default DIR/Dockerfile)',
    '  --commits N         how many commits to replay (default 50)',
    '  --range A..B        a git revision range instead of --commits',
    '  --compare PATH      replay the same history with another Dockerfile (e.g. from goimg init)',
    '  --bench FILE        goimg bench --format json output: estimate the rebuild time of the',
    '                      history from its timings (variant "current"; "goimg" for --compare)',
    '  --bench-variant N   use this bench variant for the main replay instead of "current"',
  ].join('\n'),
  formats: ['text', 'json'],
  options: {
    dockerfile: { type: 'string' },
    commits: { type: 'string' },
    range: { type: 'string' },
    changed: { type: 'string', multiple: true },
    'working-tree': { type: 'boolean' },
    compare: { type: 'string' },
    bench: { type: 'string' },
    'bench-variant': { type: 'string' },
  },
  async run({ args, options, format, out, cwd }) {
    const changedFiles = [...listOption(options, 'changed'), ...args.slice(1)];
    if (args.length > 1 && listOption(options, 'changed').length === 0) {
      throw new UsageError(
        `expected at most one DIR, got ${args.length}`,
        'name changed files with --changed FILE...',
      );
    }
    const dir = resolve(cwd, args[0] ?? '.');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`${dir} is not a directory`);
    const dockerfile = resolve(cwd, stringOption(options, 'dockerfile') ?? resolve(dir, 'Dockerfile'));
    if (!existsSync(dockerfile))
      throw new InputError(`no Dockerfile at ${dockerfile}`, 'pass --dockerfile PATH');
    const top = gitTopLevel(dir);

    if (changedFiles.length > 0 || options['working-tree'] === true || !top) {
      const result = analyseChanged(dir, dockerfile, changedFiles.length > 0 ? changedFiles : undefined);
      if (format === 'json') out.result(JSON.stringify({ version: 1, mode: 'changed', ...result }, null, 2));
      else out.result(renderChangedText(result, out.paint));
      return ExitCode.Clean;
    }

    const range = stringOption(options, 'range');
    const commits = parseCount(stringOption(options, 'commits'));
    if (range && commits) throw new UsageError('use --commits or --range, not both');
    if (isShallow(top))
      out.note('note: shallow clone: commits at the boundary have no parent and count as cold builds');
    const base = {
      repoDir: top,
      context: relativeSlash(top, dir),
      dockerfile: relativeSlash(top, dockerfile),
      ...(range ? { range } : { commits: commits ?? 50 }),
    };
    const result = replayHistory(base);
    const comparePath = stringOption(options, 'compare');
    const compare = comparePath
      ? {
          ...replayHistory({ ...base, fixedDockerfile: readFileSync(resolve(cwd, comparePath), 'utf8') }),
          dockerfile: comparePath,
        }
      : undefined;
    const benchFile = stringOption(options, 'bench');
    const variant = stringOption(options, 'bench-variant') ?? 'current';
    const cost = benchFile ? estimateCost(result, variant, loadBenchTimings(benchFile, variant)) : undefined;
    const compareCost =
      benchFile && compare ? estimateCost(compare, 'goimg', loadBenchTimings(benchFile, 'goimg')) : undefined;
    if (format === 'json') {
      out.result(
        JSON.stringify(
          {
            version: 1,
            mode: 'history',
            ...replayJson(result, cost),
            ...(compare ? { compare: replayJson(compare, compareCost) } : {}),
          },
          null,
          2,
        ),
      );
    } else out.result(renderReplayText(result, out.paint, compare, cost, compareCost));
    return ExitCode.Clean;
  },
};
