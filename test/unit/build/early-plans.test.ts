/**
 * plans.sh (src/build/early-plans.ts) run by the real /bin/sh, as bin/goimg.js sources it: the
 * plan of exactly this command line starts, each of its `go build`s with exactly its arguments and
 * environment, whatever characters they hold; any other command line starts nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  canonicalPlan,
  MAX_PLANS,
  type Plan,
  plansScript,
  readPlans,
  withPlan,
  writePlans,
} from '../../../src/build/early-plans.js';

const work = mkdtempSync(join(tmpdir(), 'goimg-plans-'));
after(() => rmSync(work, { recursive: true, force: true }));

const hostile = `it's "a" $(touch pwned) \`x\` \\ $HOME\nline two`;
const project = join(work, `pro ject's $dir`);
mkdirSync(project);
// A stand-in go: prints its arguments and the environment it was given, one per line, exits 3.
const fakeGo = join(work, 'go');
writeFileSync(
  fakeGo,
  `#!/bin/sh\nfor a in "$@"; do printf 'arg=%s|\\n' "$a"; done\nprintf 'pwd=%s|\\nX=%s|\\nUNSET=%s|\\nGOTMPDIR=%s|\\n' "$PWD" "$X" "\${UNSET-unset}" "$GOTMPDIR"\nexit 3\n`,
);
chmodSync(fakeGo, 0o755);

const plan: Plan = {
  cwd: project,
  argv: ['build', '--oci', hostile, '.'],
  invocations: [
    {
      go: fakeGo,
      args: ['build', `-ldflags=-s -w -X main.v=${hostile}`, '-o', join(work, 'out', 'app'), '.'],
      cwd: project,
      env: { X: hostile, UNSET: null },
      output: join(work, 'out', 'app'),
    },
  ],
};
/** The same command for two platforms: a second `go build` with its own environment and output. */
const twoPlatforms: Plan = {
  ...plan,
  invocations: [
    ...plan.invocations,
    {
      ...plan.invocations[0]!,
      args: ['build', '-o', join(work, 'out-arm64', 'app'), '.'],
      env: { X: 'arm64', UNSET: null },
      output: join(work, 'out-arm64', 'app'),
    },
  ],
};

/** Sources the script the way the launcher does, in `cwd` with `argv`; returns what it exported. */
function source(script: string, cwd: string, argv: string[], tmp: string) {
  const file = join(work, 'plans.sh');
  writeFileSync(file, script);
  const r = spawnSync(
    '/bin/sh',
    ['-c', `. "$0"; printf '%s\\n%s' "$GOIMG_EARLY_RUN" "$GOIMG_EARLY_PLAN"`, file, ...argv],
    {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, UNSET: 'was set' },
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const [run, ...rest] = r.stdout.split('\n');
  return { run: run ?? '', plan: rest.join('\n') };
}

function waitForFile(path: string): string {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      if (text.endsWith('\n')) return text;
    }
    spawnSync('sleep', ['0.02']);
  }
  assert.fail(`${path} never appeared`);
}

test('plans.sh starts exactly the matching plan, with its arguments and environment intact', () => {
  const tmp = mkdtempSync(join(work, 'tmp-'));
  const other: Plan = { ...plan, argv: ['build', '.'] };
  const started = source(plansScript([other, plan]), project, plan.argv, tmp);
  assert.equal(started.plan, canonicalPlan(plan.invocations), 'the plan it started, for Node');
  assert.ok(started.run.startsWith(join(tmp, 'goimg-early-')), started.run);
  const run = join(started.run, '0');
  assert.equal(waitForFile(join(run, 'status')), '3\n', "go's exit status");
  assert.match(readFileSync(join(run, 'pid'), 'utf8'), /^\d+\n$/);
  const out = readFileSync(join(run, 'out'), 'utf8');
  const expectedArgs = plan.invocations[0]!.args.map((a) => `arg=${a}|`).join('\n');
  assert.ok(out.startsWith(`${expectedArgs}\n`), out);
  assert.ok(out.includes(`pwd=${project}|`), 'runs in the invocation directory');
  assert.ok(out.includes(`X=${hostile}|`), 'a set variable, verbatim');
  assert.ok(out.includes('UNSET=unset|'), 'a removed variable is gone');
  assert.ok(out.includes(`GOTMPDIR=${join(run, 'tmp')}|`), 'its own GOTMPDIR');
  assert.ok(existsSync(join(work, 'out')), 'the output directory is made');
  assert.ok(!existsSync(join(project, 'pwned')), 'nothing in a plan is evaluated');
});

test('plans.sh starts every platform of the plan at once, each in its own directory', () => {
  const tmp = mkdtempSync(join(work, 'tmp-'));
  const started = source(plansScript([twoPlatforms]), project, plan.argv, tmp);
  assert.equal(started.plan, canonicalPlan(twoPlatforms.invocations));
  for (const [n, x, output] of [
    ['0', hostile, join(work, 'out')],
    ['1', 'arm64', join(work, 'out-arm64')],
  ] as const) {
    const run = join(started.run, n);
    assert.equal(waitForFile(join(run, 'status')), '3\n');
    const out = readFileSync(join(run, 'out'), 'utf8');
    assert.ok(out.includes(`X=${x}|`), `run ${n}: its own environment`);
    assert.ok(out.includes(`GOTMPDIR=${join(run, 'tmp')}|`), `run ${n}: its own GOTMPDIR`);
    assert.ok(existsSync(output), `run ${n}: its output directory`);
  }
});

test('plans.sh starts nothing for any other command line', () => {
  const tmp = mkdtempSync(join(work, 'tmp-'));
  const script = plansScript([plan]);
  for (const [cwd, argv] of [
    [project, [...plan.argv, '--verbose']],
    [project, plan.argv.slice(0, -1)],
    [project, ['build', '--oci', hostile.replace('two', 'three'), '.']],
    [work, plan.argv],
  ] as const) {
    const started = source(script, cwd, [...argv], tmp);
    assert.deepEqual(started, { run: '', plan: '' }, JSON.stringify(argv));
  }
  assert.deepEqual(source(plansScript([]), project, plan.argv, tmp), { run: '', plan: '' });
});

test('plans: newest first, one per command line, at most MAX_PLANS; stored and read back', () => {
  let plans: Plan[] = [];
  for (let i = 0; i < MAX_PLANS + 3; i++) plans = withPlan(plans, { ...plan, argv: ['build', `v${i}`] });
  assert.equal(plans.length, MAX_PLANS);
  assert.deepEqual(plans[0]?.argv, ['build', `v${MAX_PLANS + 2}`]);
  plans = withPlan(plans, {
    ...plan,
    argv: ['build', 'v5'],
    invocations: [{ ...plan.invocations[0]!, args: ['build'] }],
  });
  assert.deepEqual(plans[0]?.invocations[0]?.args, ['build']);
  assert.equal(plans.filter((p) => p.argv[1] === 'v5').length, 1, 'replaced, not added');

  const cache = join(work, 'cache');
  assert.deepEqual(readPlans(cache), [], 'none yet');
  writePlans(cache, plans);
  assert.deepEqual(readPlans(cache), plans);
  assert.equal(readFileSync(join(cache, 'early', 'plans.sh'), 'utf8'), plansScript(plans));
  writeFileSync(join(cache, 'early', 'plans.json'), '{"plans": [{"cwd": 1}]');
  assert.deepEqual(readPlans(cache), [], 'a damaged file is no plans, not an error');
  writeFileSync(
    join(cache, 'early', 'plans.json'),
    JSON.stringify({
      version: 1,
      plans: [{ cwd: project, argv: ['build'], invocation: plan.invocations[0] }],
    }),
  );
  assert.deepEqual(readPlans(cache), [], "an older goimg's plans are forgotten, not misread");
});
