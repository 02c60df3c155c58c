/** Revision and origin read from .git agree with git itself: loose refs, packed refs, detached HEAD, worktrees. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gitRevision, originUrl } from '../../../src/build/git-info.js';
import { ScratchRepo } from '../../helpers/git-repo.js';

const work = await mkdtemp(join(tmpdir(), 'goimg-git-info-test-'));
after(() => rm(work, { recursive: true, force: true }));

function truth(repo: ScratchRepo, dir = repo.dir) {
  const revision = repo.git('-C', dir, 'rev-parse', 'HEAD').trim();
  let source: string | undefined;
  try {
    source = repo.git('-C', dir, 'remote', 'get-url', 'origin').trim();
  } catch {
    source = undefined;
  }
  return { revision, ...(source ? { source } : {}) };
}

test('loose ref, then packed refs, then a detached HEAD, from a subdirectory', async () => {
  const repo = new ScratchRepo(join(work, 'a'));
  repo.write('cmd/x/main.go', 'package main\n');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'one');
  assert.deepEqual(await gitRevision(join(repo.dir, 'cmd/x')), truth(repo));
  repo.git('remote', 'add', 'origin', 'https://example.com/acme/x.git');
  repo.git('pack-refs', '--all');
  assert.deepEqual(await gitRevision(repo.dir), truth(repo));
  repo.write('b.txt', 'b');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'two');
  repo.git('checkout', '-q', '--detach', 'HEAD~1');
  assert.deepEqual(await gitRevision(repo.dir), truth(repo));
});

test('a linked worktree and a directory outside any repository', async () => {
  const repo = new ScratchRepo(join(work, 'b'));
  repo.write('a.txt', 'a');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'one');
  repo.git('branch', 'side');
  const wt = join(work, 'b-wt');
  repo.git('worktree', 'add', '-q', wt, 'side');
  assert.deepEqual(await gitRevision(wt), truth(repo, wt));
  assert.deepEqual(await gitRevision('/'), {});
});

test('origin URL from a config; rewriting rules leave it to git', () => {
  assert.equal(originUrl('[remote "origin"]\n\turl = git@host:a/b.git\n\tfetch = x\n'), 'git@host:a/b.git');
  assert.equal(originUrl('[remote "upstream"]\n\turl = u\n'), undefined);
  assert.equal(originUrl('[url "https://x/"]\n\tinsteadOf = gh:\n[remote "origin"]\n\turl = gh:a\n'), null);
});
