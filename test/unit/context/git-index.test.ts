/** The tracked paths goimg reads from .git/index agree with `git ls-files`, for every index version. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { trackedPaths } from '../../../src/context/git-index.js';
import { hasTool } from '../../helpers/env.js';
import { ScratchRepo } from '../../helpers/git-repo.js';
import { need } from '../../helpers/requirements.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-git-index-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

for (const version of ['2', '3', '4']) {
  test(`index version ${version}: the same paths as git ls-files`, (t) => {
    if (!need(t, hasTool('git'), 'git')) return;
    const repo = new ScratchRepo(join(scratch, `v${version}`));
    repo.write('go.mod', 'module example.com/x\n');
    repo.write('.github/workflows/ci.yml', 'on: push\n');
    repo.write('cmd/app/main.go', 'package main\n');
    repo.write('cmd/app/a-name-long-enough-to-need-more-padding-than-one-block.go', 'package main\n');
    repo.write('docs/ünïcode.md', 'x\n');
    repo.write('untracked.log', 'not added\n');
    repo.git('add', 'go.mod', '.github', 'cmd', 'docs');
    // An intent-to-add entry sets the extended flag (version 3 and up).
    repo.write('cmd/app/new.go', 'package main\n');
    repo.git('add', '-N', 'cmd/app/new.go');
    repo.git('update-index', '--index-version', version);
    const expected = repo.git('-c', 'core.quotePath=false', 'ls-files').trim().split('\n');
    const got = trackedPaths(readFileSync(join(repo.dir, '.git/index')));
    assert.deepEqual(got, expected);
    assert.ok(!got!.includes('untracked.log'));
  });
}

test('bytes that are not an index, or end early, read as nothing', () => {
  assert.equal(trackedPaths(Buffer.from('not an index')), undefined);
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(5, 8);
  assert.equal(trackedPaths(header), undefined);
  header.writeUInt32BE(9, 4);
  assert.equal(trackedPaths(header), undefined);
});
