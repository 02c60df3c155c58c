/**
 * Adoption of an early `go build` (src/build/early-build.ts), with runs really started by plans.sh
 * under /bin/sh and a stand-in `go`: the result of the exact invocation is taken over; any other
 * is killed and its directory removed; a run that never started is replaced by a fresh one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openEarlyBuild, sweepOrphanRuns } from '../../../src/build/early-build.js';
import { type Plan, plansScript, readPlans } from '../../../src/build/early-plans.js';
import { canonicalInvocation, type GoInvocation } from '../../../src/build/go-run.js';

const work = mkdtempSync(join(tmpdir(), 'goimg-early-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in go: says what it was asked, sleeps if told to (GO_SLEEP), writes a marker, exits 3. */
const fakeGo = join(work, 'go');
writeFileSync(
  fakeGo,
  `#!/bin/sh\necho "go $*"\n[ -n "$GO_SLEEP" ] && sleep "$GO_SLEEP"\ntouch "${work}/go-finished-$1"\nexit 3\n`,
);
chmodSync(fakeGo, 0o755);

const invocation = (word: string, env: Record<string, string | null> = {}): GoInvocation => ({
  go: fakeGo,
  args: [word],
  cwd: work,
  env,
  output: join(work, 'out', 'app'),
});

/** Starts `plan` the way bin/goimg.js does; returns the environment it hands to Node. */
function launch(plan: Plan, goSleep = ''): NodeJS.ProcessEnv {
  const script = join(work, 'plans.sh');
  writeFileSync(script, plansScript([plan]));
  const r = spawnSync(
    '/bin/sh',
    ['-c', '. "$0"; printf "%s\\n%s" "$GOIMG_EARLY_RUN" "$GOIMG_EARLY_PLAN"', script, ...plan.argv],
    {
      cwd: plan.cwd,
      env: { PATH: process.env.PATH, TMPDIR: work, GO_SLEEP: goSleep },
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const [run, plan_] = r.stdout.split('\n');
  assert.ok(run && plan_, 'a plan was started');
  return { GOIMG_EARLY_RUN: run, GOIMG_EARLY_PLAN: plan_, PWD: work };
}

test('the exact invocation is adopted: its status and output, and its directory is removed', async () => {
  const argv = ['build', 'adopted'];
  const env = launch({ cwd: work, argv, invocations: [invocation('adopted')] });
  const dir = env.GOIMG_EARLY_RUN as string;
  const early = openEarlyBuild(join(work, 'cache'), argv, env);
  assert.equal(env.GOIMG_EARLY_RUN, undefined, "taken out of the environment goimg's children get");
  const run = await early.adopt(invocation('adopted'));
  assert.ok(run);
  assert.deepEqual([run.code, run.output, run.early], [3, 'go adopted\n', true]);
  assert.ok(!existsSync(join(dir, '0')), 'its directory is gone');
  early.abandon();
  assert.ok(!existsSync(dir), "and the launcher's, once the build is over");
  early.remember([invocation('adopted')]);
  assert.deepEqual(
    readPlans(join(work, 'cache')),
    [],
    'the plan it ran is already the plan: nothing written',
  );
});

test("an adopted run's time is go's own: from the launcher's start to go's exit", async () => {
  const argv = ['build', 'timed'];
  const t0 = performance.now();
  const env = launch({ cwd: work, argv, invocations: [invocation('timed')] }, '0.3');
  const run = await openEarlyBuild(join(work, 'cache'), argv, env).adopt(invocation('timed'));
  const outer = performance.now() - t0;
  assert.ok(run);
  // Measured on the file system's clock (birth of the run's tmp, then the status file): it
  // covers the 0.3 s the stand-in sleeps, and nothing from before the launch.
  assert.ok(run.millis >= 250 && run.millis <= outer + 20, `${run.millis} ms (around it: ${outer} ms)`);
});

test('another invocation: the early run is killed at once, its directory removed, and a new plan remembered', async (t) => {
  const argv = ['build', 'stale'];
  // It would finish after 2 s (its sleep outlives it by at most that).
  const env = launch({ cwd: work, argv, invocations: [invocation('stale')] }, '2');
  const dir = env.GOIMG_EARLY_RUN as string;
  // The plan remembers the directory the command ran in ($PWD, when it names the current one).
  const cwd = process.cwd();
  process.chdir(work);
  t.after(() => process.chdir(cwd));
  const early = openEarlyBuild(join(work, 'cache'), argv, { ...env });
  const started = Date.now();
  assert.equal(early.adopt(invocation('fresh', { EXTRA: '1' })), undefined);
  assert.ok(Date.now() - started < 1500, 'not waited for');
  assert.ok(!existsSync(join(dir, '0')), 'its directory is gone');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.ok(!existsSync(join(work, 'go-finished-stale')), 'the stale go was stopped');
  early.remember([invocation('fresh', { EXTRA: '1' })]);
  early.abandon();
  assert.ok(!existsSync(dir));
  const plans = readPlans(join(work, 'cache'));
  assert.deepEqual(
    plans.map((p) => [p.cwd, p.argv, p.invocations.map((i) => i.args)]),
    [[work, argv, [['fresh']]]],
  );
  assert.match(readFileSync(join(work, 'cache', 'early', 'plans.sh'), 'utf8'), /'fresh'/);
});

test('two platforms: each run is adopted by its own build; a stale one is stopped, the rest abandoned', async () => {
  const amd64 = invocation('amd64', { GOOS: 'linux', GOARCH: 'amd64' });
  const arm64 = invocation('arm64', { GOOS: 'linux', GOARCH: 'arm64' });
  const argv = ['build', 'two'];
  const both = launch({ cwd: work, argv, invocations: [amd64, arm64] });
  const early = openEarlyBuild(join(work, 'cache'), argv, both);
  // In any order, as the platforms' builds get there.
  const [b, a] = await Promise.all([early.adopt(arm64), early.adopt(amd64)]);
  assert.deepEqual([a?.output, a?.early, b?.output, b?.early], ['go amd64\n', true, 'go arm64\n', true]);
  early.remember([amd64, arm64]);
  assert.deepEqual(
    readPlans(join(work, 'cache')).filter((p) => p.argv[1] === 'two'),
    [],
    'unchanged: not written',
  );
  early.abandon();
  assert.ok(!existsSync(both.GOIMG_EARLY_RUN as string));

  // arm64's build changed (another tag): its stale run is stopped; amd64's is still adopted.
  const again = launch(
    { cwd: work, argv: ['build', 'two-b'], invocations: [amd64, { ...arm64, args: ['arm64-stale'] }] },
    '2',
  );
  const dir = again.GOIMG_EARLY_RUN as string;
  const next = openEarlyBuild(join(work, 'cache'), ['build', 'two-b'], again);
  assert.equal(next.adopt(arm64), undefined);
  assert.ok(!existsSync(join(dir, '1')), "the stale arm64 run's directory is gone");
  assert.ok(existsSync(join(dir, '0')), "amd64's run is left alone");
  const adopted = await next.adopt(amd64);
  assert.equal(adopted?.early, true);
  next.abandon();
  assert.ok(!existsSync(dir));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.ok(!existsSync(join(work, 'go-finished-arm64-stale')), 'the stale go was stopped');
});

test('a run whose directory is missing is replaced by a fresh run of the invocation', async () => {
  const inv = invocation('replaced');
  const env = {
    GOIMG_EARLY_RUN: join(work, 'never-made'),
    GOIMG_EARLY_PLAN: JSON.stringify(inv),
    PWD: work,
  };
  const early = openEarlyBuild(join(work, 'cache'), ['build'], env);
  const started = Date.now();
  const run = await early.adopt(inv);
  assert.ok(Date.now() - started < 1500, 'found out without waiting out the grace period');
  assert.deepEqual([run?.code, run?.output, run?.early], [3, 'go replaced\n', false]);
});

test('run directories of goimg processes that are gone are swept; live ones and others stay', async () => {
  const tmp = mkdtempSync(join(work, 'sweep-'));
  // A pid that no longer runs: a process that has exited.
  const gone = spawnSync('/bin/sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
  const names = [`goimg-early-${gone}`, `goimg-early-${process.pid}`, 'goimg-early-unit-x', 'other'];
  for (const n of names) {
    mkdirSync(join(tmp, n, '0', 'tmp'), { recursive: true });
    writeFileSync(join(tmp, n, '0', 'status'), '0\n');
  }
  await sweepOrphanRuns(tmp);
  assert.deepEqual(readdirSync(tmp).sort(), names.slice(1).sort());
});

test("an older goimg's plans.sh (one run in the directory itself) is still adopted, and its plan rewritten", async () => {
  const inv = invocation('older');
  const dir = mkdtempSync(join(work, 'older-'));
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(join(dir, 'out'), 'go older\n');
  writeFileSync(join(dir, 'pid'), '1\n');
  writeFileSync(join(dir, 'status'), '0\n');
  const cache = join(work, 'cache-older');
  const argv = ['build', 'older'];
  const early = openEarlyBuild(cache, argv, {
    GOIMG_EARLY_RUN: dir,
    GOIMG_EARLY_PLAN: canonicalInvocation(inv),
    PWD: work,
  });
  const run = await early.adopt(inv);
  assert.deepEqual([run?.code, run?.output, run?.early], [0, 'go older\n', true]);
  early.remember([inv]);
  early.abandon();
  assert.ok(!existsSync(dir));
  assert.deepEqual(
    readPlans(cache).map((p) => p.invocations.length),
    [1],
    'written in the current format',
  );
});
