/**
 * The pre-commit hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a scratch git
 * repository holding the seed article: goimg-audit blocks the commit of its Dockerfile, and
 * after goimg-audit-fix has run the same commit passes. The hooks run the goimg on PATH.
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { GOIMG_BIN, goimgEnv, REPO_ROOT } from '../../helpers/cli.js';
import { hasTool } from '../../helpers/env.js';
import { isolatedGitEnv } from '../../helpers/git-repo.js';
import { need } from '../../helpers/requirements.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-precommit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
}

function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): SpawnSyncReturns<string> {
  const r = run('git', args, cwd, env);
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r;
}

test('pre-commit: goimg-audit blocks the seed article, goimg-audit-fix makes the commit pass', (t) => {
  if (!need(t, hasTool('pre-commit'), 'pre-commit')) return;
  if (!need(t, hasTool('git'), 'git')) return;
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  symlinkSync(GOIMG_BIN, join(bin, 'goimg'));
  const base = goimgEnv({
    PRE_COMMIT_HOME: join(scratch, 'pre-commit-home'),
    ...isolatedGitEnv(scratch),
  });
  const env = { ...base, PATH: `${bin}${delimiter}${base.PATH}` };

  // The hook repository: this checkout's .pre-commit-hooks.yaml, committed.
  const hooks = join(scratch, 'hooks');
  mkdirSync(hooks);
  copyFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), join(hooks, '.pre-commit-hooks.yaml'));
  git(hooks, env, 'init', '-q');
  git(hooks, env, 'add', '.');
  git(hooks, env, 'commit', '-q', '-m', 'hooks');
  const rev = git(hooks, env, 'rev-parse', 'HEAD').stdout.trim();

  const project = join(scratch, 'project');
  cpSync(join(REPO_ROOT, 'examples', 'seed-article'), project, { recursive: true });
  writeFileSync(
    join(project, '.pre-commit-config.yaml'),
    [
      'repos:',
      `  - repo: ${hooks}`,
      `    rev: ${rev}`,
      '    hooks:',
      '      - id: goimg-audit',
      '      - id: goimg-audit-fix',
      '        stages: [manual]',
      '',
    ].join('\n'),
  );
  git(project, env, 'init', '-q');
  const install = run('pre-commit', ['install'], project, env);
  assert.equal(install.status, 0, install.stderr + install.stdout);
  git(project, env, 'add', '.');

  const blocked = run('git', ['commit', '-q', '-m', 'seed'], project, env);
  assert.notEqual(blocked.status, 0, 'the commit should be blocked');
  const said = blocked.stdout + blocked.stderr;
  assert.match(said, /goimg audit\.+Failed/);
  assert.match(said, /libc-mismatch/);
  assert.equal(run('git', ['rev-parse', '--verify', '-q', 'HEAD'], project, env).status, 1);

  const before = readFileSync(join(project, 'Dockerfile'), 'utf8');
  const fix = run(
    'pre-commit',
    ['run', '--hook-stage', 'manual', 'goimg-audit-fix', '--files', 'Dockerfile'],
    project,
    env,
  );
  assert.match(fix.stdout + fix.stderr, /goimg audit --fix/);
  assert.notEqual(readFileSync(join(project, 'Dockerfile'), 'utf8'), before);

  git(project, env, 'add', '.');
  const passed = run('git', ['commit', '-q', '-m', 'seed'], project, env);
  assert.equal(passed.status, 0, passed.stdout + passed.stderr);
  assert.match(passed.stdout + passed.stderr, /goimg audit\.+Passed/);
  assert.equal(git(project, env, 'ls-files', 'Dockerfile').stdout.trim(), 'Dockerfile');
});
