/**
 * End to end: `goimg audit --fix` on builds that read more than Go sources (git through make,
 * git in -ldflags) writes a .dockerignore that keeps what they read: the fixed project still
 * builds with BuildKit and the image starts with the version git gave it. And the one real
 * .dockerignore error goimg names (a Makefile excluded under `RUN make`) really fails BuildKit.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildkitBuild, removeImage } from '../../helpers/buildkit.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { docker } from '../../helpers/docker.js';
import { hasEngine, hasImage } from '../../helpers/env.js';
import { ScratchRepo } from '../../helpers/git-repo.js';
import { need } from '../../helpers/requirements.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/audit-reads');
const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-reads-'));
const tags: string[] = [];
after(() => {
  for (const t of tags) removeImage(t);
  rmSync(scratch, { recursive: true, force: true });
});

/** A committed git repository holding a copy of the fixture; returns it and its short sha. */
function repoOf(name: string): { dir: string; describe: string } {
  const dir = join(scratch, name);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  const repo = new ScratchRepo(dir);
  repo.commit('fixture');
  return { dir, describe: repo.git('describe', '--always').trim() };
}

function findings(dir: string): { rule: string; file: string; line: number; message: string }[] {
  const r = runGoimg(['audit', dir, '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.status, 0, r.stderr);
  return (
    JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; message: string }[] }
  ).findings;
}

function buildAndRun(dir: string, name: string): string {
  // This engine cannot pull Dockerfile frontends: drop a `# syntax=` line a fix may add.
  const dockerfile = join(dir, 'Dockerfile');
  writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace(/^# syntax=.*\n/m, ''));
  const tag = `goimg-e2e/reads-${name}:${process.pid}`;
  tags.push(tag);
  const build = buildkitBuild(dir, tag);
  assert.ok(build.ok, build.output.slice(-3000));
  const run = docker(['run', '--rm', tag]);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

for (const name of ['make-git', 'ldflags-git']) {
  test(`${name}: --fix writes a .dockerignore that keeps .git; the build still stamps the version`, (t) => {
    if (!need(t, hasEngine() && hasImage('golang:1.23'), 'a Docker engine with golang:1.23')) return;
    const { dir, describe } = repoOf(name);
    const fix = runGoimg(['audit', dir, '--fix', '--fail-on', 'never']);
    assert.equal(fix.status, 0, fix.stderr);
    const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
    assert.doesNotMatch(ignore, /^\.git$/m);
    // make may stamp with `git describe --dirty`: the files git tracks stay (.idea is committed
    // here). git in -ldflags without --dirty needs only .git.
    if (name === 'make-git') assert.doesNotMatch(ignore, /^\.idea$/m);
    else assert.match(ignore, /^\.idea$/m);
    assert.ok(!findings(dir).some((f) => f.rule === 'dockerignore-excludes-needed'));
    assert.equal(buildAndRun(dir, name), `version ${describe}`);
  });
}

test('a Makefile excluded under `RUN make` is reported, and BuildKit indeed fails', (t) => {
  if (!need(t, hasEngine() && hasImage('golang:1.23'), 'a Docker engine with golang:1.23')) return;
  const { dir } = repoOf('make-git');
  const broken = join(scratch, 'make-excluded');
  cpSync(dir, broken, { recursive: true });
  writeFileSync(join(broken, '.dockerignore'), '.idea\nMakefile\n');
  const found = findings(broken).filter((f) => f.rule === 'dockerignore-excludes-needed');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.file, '.dockerignore');
  assert.equal(found[0]!.line, 2);
  const tag = `goimg-e2e/reads-broken:${process.pid}`;
  tags.push(tag);
  const build = buildkitBuild(broken, tag);
  assert.ok(!build.ok, 'the build should fail without its Makefile');
  assert.match(build.output, /No rule to make target|No targets specified and no makefile found/);
});

test('git in -ldflags with .git excluded is reported, and BuildKit indeed stamps an empty version', (t) => {
  if (!need(t, hasEngine() && hasImage('golang:1.23'), 'a Docker engine with golang:1.23')) return;
  const { dir } = repoOf('ldflags-git');
  const excluded = join(scratch, 'ldflags-git-excluded');
  cpSync(dir, excluded, { recursive: true });
  writeFileSync(join(excluded, '.dockerignore'), '.idea\n.git\n');
  const found = findings(excluded).filter((f) => f.rule === 'dockerignore-excludes-needed');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.file, 'Dockerfile');
  assert.equal(found[0]!.line, 4);
  assert.match(found[0]!.message, /excludes \.git, which git in this RUN reads.*comes out empty/);
  // The build succeeds; the program reports the empty stamp git left.
  assert.equal(buildAndRun(excluded, 'ldflags-git-excluded'), 'version');
});

test('vcs-modified: --fix keeps .git and the files git tracks; the program still reads an unmodified tree', (t) => {
  if (!need(t, hasEngine() && hasImage('golang:1.23'), 'a Docker engine with golang:1.23')) return;
  const { dir } = repoOf('vcs-modified');
  const fix = runGoimg(['audit', dir, '--fix', '--fail-on', 'never']);
  assert.equal(fix.status, 0, fix.stderr);
  const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
  assert.doesNotMatch(ignore, /^\.git$/m);
  assert.doesNotMatch(ignore, /^\.github$/m);
  // Commit what the fix wrote (and the Dockerfile without the `# syntax=` line this engine
  // cannot pull), so the tree git sees in the builder is the committed one.
  const dockerfile = join(dir, 'Dockerfile');
  writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace(/^# syntax=.*\n/m, ''));
  new ScratchRepo(dir).commit('fixed');
  assert.equal(buildAndRun(dir, 'vcs-modified'), 'modified false');
});
