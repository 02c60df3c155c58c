/**
 * Adoption of an early `go build` (src/build/early-build.ts), with runs really started by plans.sh
 * under /bin/sh and a stand-in `go`: the result of the exact invocation is taken over; any other
 * is killed and its directory removed; a run that never started is replaced by a fresh one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openEarlyBuild } from '../../../src/build/early-build.js';
import { type Plan, plansScript, readPlans } from '../../../src/build/early-plans.js';
import type { GoInvocation } from '../../../src/build/go-run.js';

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
  const env = launch({ cwd: work, argv, invocation: invocation('adopted') });
  const dir = env.GOIMG_EARLY_RUN as string;
  const early = openEarlyBuild(join(work, 'cache'), argv, env);
  assert.equal(env.GOIMG_EARLY_RUN, undefined, "taken out of the environment goimg's children get");
  const run = await early.adopt(invocation('adopted'));
  assert.ok(run);
  assert.deepEqual([run.code, run.output, run.early], [3, 'go adopted\n', true]);
  assert.ok(!existsSync(dir), 'its directory is gone');
  early.remember(invocation('adopted'));
  assert.deepEqual(
    readPlans(join(work, 'cache')),
    [],
    'the plan it ran is already the plan: nothing written',
  );
});

test("an adopted run's time is go's own: from the launcher's start to go's exit", async () => {
  const argv = ['build', 'timed'];
  const t0 = performance.now();
  const env = launch({ cwd: work, argv, invocation: invocation('timed') }, '0.3');
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
  const env = launch({ cwd: work, argv, invocation: invocation('stale') }, '2');
  const dir = env.GOIMG_EARLY_RUN as string;
  // The plan remembers the directory the command ran in ($PWD, when it names the current one).
  const cwd = process.cwd();
  process.chdir(work);
  t.after(() => process.chdir(cwd));
  const early = openEarlyBuild(join(work, 'cache'), argv, { ...env });
  const started = Date.now();
  assert.equal(early.adopt(invocation('fresh', { EXTRA: '1' })), undefined);
  assert.ok(Date.now() - started < 1500, 'not waited for');
  assert.ok(!existsSync(dir), 'its directory is gone');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.ok(!existsSync(join(work, 'go-finished-stale')), 'the stale go was stopped');
  early.remember(invocation('fresh', { EXTRA: '1' }));
  const plans = readPlans(join(work, 'cache'));
  assert.deepEqual(
    plans.map((p) => [p.cwd, p.argv, p.invocation.args]),
    [[work, argv, ['fresh']]],
  );
  assert.match(readFileSync(join(work, 'cache', 'early', 'plans.sh'), 'utf8'), /'fresh'/);
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
