/**
 * The plans of the early start (early-build.ts): for each command line (the directory it ran in
 * and its arguments), the `go build` it ran last time. Kept in `<cache>/early/plans.json`, and
 * rendered as `<cache>/early/plans.sh`, which bin/goimg.js sources before Node starts: the plan
 * whose command line is exactly the current one starts its `go build` in the background, writing
 * into `${TMPDIR:-/tmp}/goimg-early-<pid>/` (`out`, `pid`, `status`, and `tmp/` as GOTMPDIR
 * unless the user set one), and tells Node through GOIMG_EARLY_RUN (that directory) and
 * GOIMG_EARLY_PLAN (the invocation started, as canonical JSON).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { replaceFile } from './blobs.js';
import { canonicalInvocation, type GoInvocation, isInvocation } from './go-run.js';

/** Command lines remembered; the least recently written beyond this are dropped. */
export const MAX_PLANS = 16;

export interface Plan {
  /** The directory the command ran in, as the launcher's shell sees it ($PWD). */
  cwd: string;
  /** goimg's arguments, "build" first. */
  argv: string[];
  invocation: GoInvocation;
}

export const plansDir = (cacheDir: string) => join(cacheDir, 'early');

function isPlan(v: unknown): v is Plan {
  const p = v as Plan;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.cwd === 'string' &&
    Array.isArray(p.argv) &&
    p.argv.every((a) => typeof a === 'string') &&
    isInvocation(p.invocation)
  );
}

/** The remembered plans, most recent first; none when the file is missing or unreadable. */
export function readPlans(cacheDir: string): Plan[] {
  try {
    const data = JSON.parse(readFileSync(join(plansDir(cacheDir), 'plans.json'), 'utf8')) as {
      plans?: unknown;
    };
    return Array.isArray(data.plans) ? data.plans.filter(isPlan) : [];
  } catch {
    return [];
  }
}

const sameCommand = (a: Plan, b: Plan) =>
  a.cwd === b.cwd && JSON.stringify(a.argv) === JSON.stringify(b.argv);

/** `plans` with `plan` first, replacing the one of the same command line. */
export function withPlan(plans: readonly Plan[], plan: Plan): Plan[] {
  return [plan, ...plans.filter((p) => !sameCommand(p, plan))].slice(0, MAX_PLANS);
}

/** A single-quoted shell word: exactly `s`, whatever it holds. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The shell test that is true only for this exact command line. */
function commandTest(plan: Plan): string {
  const args = plan.argv.map((a, i) => `[ "\${${i + 1}}" = ${shellQuote(a)} ]`);
  return [`[ "$PWD" = ${shellQuote(plan.cwd)} ]`, `[ $# -eq ${plan.argv.length} ]`, ...args].join(' && ');
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A shell function that becomes this plan's `go build` (in a background subshell). */
function goFunction(inv: GoInvocation): string {
  const out = shellQuote(dirname(inv.output));
  const steps = [`cd ${shellQuote(inv.cwd)} || exit 127`, `{ [ -d ${out} ] || mkdir -p ${out}; }`];
  const names = Object.keys(inv.env);
  const unset = names.filter((k) => inv.env[k] === null);
  const set = names.filter((k) => inv.env[k] !== null);
  if (unset.length > 0) steps.push(`unset ${unset.join(' ')}`);
  for (const k of set) steps.push(`${k}=${shellQuote(inv.env[k] as string)}`);
  if (set.length > 0) steps.push(`export ${set.join(' ')}`);
  steps.push(`exec ${[inv.go, ...inv.args].map(shellQuote).join(' ')}`);
  return `goimg_go() { ${steps.join('; ')}; }`;
}

/** plans.sh: POSIX sh, sourced by bin/goimg.js with goimg's arguments as "$@". */
export function plansScript(plans: readonly Plan[]): string {
  const lines = [
    '# goimg: the `go build` each command line ran last time. bin/goimg.js sources this file for',
    '# `goimg build` and starts the plan that matches before Node starts (src/build/early-plans.ts).',
    '# Written by goimg from plans.json; edits are lost.',
    'goimg_plan=',
  ];
  // Variable names that are not shell words cannot be set here: such a plan just never starts early.
  const startable = plans.filter((p) => Object.keys(p.invocation.env).every((k) => SHELL_NAME.test(k)));
  startable.forEach((plan, i) => {
    lines.push(`${i === 0 ? 'if' : 'elif'} ${commandTest(plan)}; then`);
    lines.push(`  goimg_plan=${shellQuote(canonicalInvocation(plan.invocation))}`);
    lines.push(`  ${goFunction(plan.invocation)}`);
  });
  if (startable.length > 0) lines.push('fi');
  lines.push(
    'if [ -n "$goimg_plan" ]; then',
    '  goimg_run=${TMPDIR:-/tmp}/goimg-early-$$',
    // Made here, before Node starts: Node takes the directory's existence as the run's.
    '  if mkdir -p "$goimg_run/tmp" 2> /dev/null; then',
    // The subshell waits for go and records its status: Node is not go's parent, so it cannot.
    '    (',
    '      [ -n "$GOTMPDIR" ] || { GOTMPDIR=$goimg_run/tmp; export GOTMPDIR; }',
    '      goimg_go > "$goimg_run/out" 2>&1 &',
    '      echo $! > "$goimg_run/pid"',
    '      wait $!',
    '      goimg_status=$?',
    '      if [ -d "$goimg_run" ]; then echo $goimg_status > "$goimg_run/status"; fi',
    '    ) > /dev/null 2>&1 &',
    '    GOIMG_EARLY_RUN=$goimg_run',
    '    GOIMG_EARLY_PLAN=$goimg_plan',
    '    export GOIMG_EARLY_RUN GOIMG_EARLY_PLAN',
    '  fi',
    'fi',
    'unset goimg_plan goimg_run',
    '',
  );
  return lines.join('\n');
}

/** Writes plans.json, then plans.sh, each atomically. Throws on failure (callers ignore it). */
export function writePlans(cacheDir: string, plans: readonly Plan[]): void {
  const dir = plansDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  replaceFile(join(dir, 'plans.json'), `${JSON.stringify({ version: 1, plans }, null, 1)}\n`);
  replaceFile(join(dir, 'plans.sh'), plansScript(plans));
}
