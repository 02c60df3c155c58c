/**
 * Reads a project's history with one `git log --raw` call: for each commit, its first parent
 * and the files it changed against that parent (status, modes, blob ids). Blob ids are content
 * hashes, so "did this file's content or mode change" needs no file reads at all.
 */
import { spawnSync } from 'node:child_process';
import { EnvironmentError, InputError } from '../core/errors.js';

export interface FileChange {
  /** Path relative to the repository root. */
  path: string;
  /** A added, D deleted, M modified, T type change (e.g. file to symlink). */
  status: 'A' | 'D' | 'M' | 'T';
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
}

export interface CommitChanges {
  sha: string;
  /** First parent, or null for a root commit or the boundary of a shallow clone. */
  parent: string | null;
  subject: string;
  changes: FileChange[];
}

const MAX_BUFFER = 1024 * 1024 * 1024;

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: MAX_BUFFER });
  if (r.error) throw new EnvironmentError(`cannot run git: ${r.error.message}`, 'install git');
  if (r.status !== 0) {
    const msg = r.stderr.trim().split('\n')[0] ?? `git ${args[0]} failed`;
    throw new InputError(`git ${args[0]}: ${msg}`);
  }
  return r.stdout;
}

/** The repository's top directory, or undefined when `dir` is not inside a git work tree. */
export function gitTopLevel(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function isShallow(dir: string): boolean {
  return git(dir, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
}

/** Parses `git log --raw -z` output written with the record format used by readHistory. */
export function parseRawLog(text: string): CommitChanges[] {
  const commits: CommitChanges[] = [];
  for (const record of text.split('\u001e')) {
    if (record === '') continue;
    const headerEnd = record.indexOf('\u001f');
    const subjectEnd = record.indexOf('\0', headerEnd);
    if (headerEnd < 0 || subjectEnd < 0) continue;
    const [sha, ...parents] = record.slice(0, headerEnd).trim().split(' ');
    const subject = record.slice(headerEnd + 1, subjectEnd);
    const fields = record.slice(subjectEnd + 1).split('\0');
    const changes: FileChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const meta = fields[i]!.replace(/^\n/, '');
      if (!meta.startsWith(':')) break;
      const [oldMode, newMode, oldBlob, newBlob, status] = meta.slice(1).split(' ');
      if (status === 'A' || status === 'D' || status === 'M' || status === 'T') {
        changes.push({
          path: fields[i + 1]!,
          status,
          oldMode: oldMode!,
          newMode: newMode!,
          oldBlob: oldBlob!,
          newBlob: newBlob!,
        });
      }
    }
    commits.push({ sha: sha!, parent: parents[0] || null, subject, changes });
  }
  return commits;
}

export interface HistoryRange {
  /** The last N commits reachable from HEAD (first-parent). */
  commits?: number;
  /** A git revision range, e.g. "v1.0..main". */
  range?: string;
}

/**
 * Commits oldest first, each with its changes against its first parent. Merge commits are
 * compared with their first parent (what a CI build of the merge would see); renames appear as
 * a deletion plus an addition, which is how BuildKit's content keys see them too.
 */
export function readHistory(repoDir: string, range: HistoryRange): CommitChanges[] {
  const args = [
    'log',
    '--first-parent',
    '--no-renames',
    '--raw',
    '--root',
    '-z',
    '--no-abbrev',
    '--no-color',
    '--format=%x1e%H %P%x1f%s',
  ];
  if (range.range) args.push(range.range);
  else args.push('-n', String(range.commits ?? 50), 'HEAD');
  args.push('--');
  return parseRawLog(git(repoDir, args)).reverse();
}

/** A file's content at a commit, or undefined when it does not exist there. */
export function fileAtCommit(repoDir: string, sha: string, path: string): string | undefined {
  const r = spawnSync('git', ['show', `${sha}:${path}`], {
    cwd: repoDir,
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
  });
  return r.status === 0 ? r.stdout : undefined;
}

/** Every file path in a commit's tree (used to evaluate .dockerignore changes). */
export function treeFiles(repoDir: string, sha: string): string[] {
  return git(repoDir, ['ls-tree', '-r', '-z', '--name-only', sha])
    .split('\0')
    .filter((p) => p !== '');
}
