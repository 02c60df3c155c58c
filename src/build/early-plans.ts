/**
 * The plans of the early start (early-build.ts): for each command line (the directory it ran in
 * and its arguments), the `go build`s it ran last time, one per platform. Kept in
 * `<cache>/early/plans.json`, and rendered as `<cache>/early/plans.sh`, which bin/goimg.js sources
 * before Node starts: the plan whose command line is exactly the current one starts its `go build`s
 * in the background, the Nth writing into `${TMPDIR:-/tmp}/goimg-early-<pid>/N/` (`out`, `pid`,
 * `status`, and `tmp/` as GOTMPDIR unless the user set one), and tells Node through
 * GOIMG_EARLY_RUN (the `goimg-early-<pid>` directory) and GOIMG_EARLY_PLAN (the invocations
 * started, a JSON array of canonical invocations).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { replaceFile } from './blobs.js';
import { canonicalInvocation, type GoInvocation, isInvocation } from './go-run.js';

/** Command lines remembered; the least recently written beyond this are dropped. */
export const MAX_PLANS = 16;

/** plans.json's format: 2 holds a list of invocations per plan (one per platform). */
const PLANS_VERSION = 2;

export interface Plan {
  /** The directory the command ran in, as the launcher's shell sees it ($PWD). */
  cwd: string;
  /** goimg's arguments, "build" first. */
  argv: string[];
  /** One per platform, in the order of `--platform`. */
  invocations: GoInvocation[];
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
    Array.isArray(p.invocations) &&
    p.invocations.length > 0 &&
    p.invocations.every(isInvocation)
  );
}

/** The remembered plans, most recent first; none when the file is missing or unreadable. */
export function readPlans(cacheDir: string): Plan[] {
  try {
    const data = JSON.parse(readFileSync(join(plansDir(cacheDir), 'plans.json'), 'utf8')) as {
      version?: unknown;
      plans?: unknown;
    };
    // Version 1 plans held one invocation: forgotten (the next build writes its plan again).
    return data.version === PLANS_VERSION && Array.isArray(data.plans) ? data.plans.filter(isPlan) : [];
  } catch {
    return [];
  }
}

/** The invocations of a plan, as GOIMG_EARLY_PLAN carries them: what the launcher started. */
export const canonicalPlan = (invocations: readonly GoInvocation[]): string =>
  `[${invocations.map(canonicalInvocation).join(',')}]`;

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

/** A shell function that becomes one of this plan's `go build`s (in a background subshell). */
function goFunction(inv: GoInvocation, n: number): string {
  const out = shellQuote(dirname(inv.output));
  const steps = [`cd ${shellQuote(inv.cwd)} || exit 127`, `{ [ -d ${out} ] || mkdir -p ${out}; }`];
  const names = Object.keys(inv.env);
  const unset = names.filter((k) => inv.env[k] === null);
  const set = names.filter((k) => inv.env[k] !== null);
  if (unset.length > 0) steps.push(`unset ${unset.join(' ')}`);
  for (const k of set) steps.push(`${k}=${shellQuote(inv.env[k] as string)}`);
  if (set.length > 0) steps.push(`export ${set.join(' ')}`);
  steps.push(`exec ${[inv.go, ...inv.args].map(shellQuote).join(' ')}`);
  return `goimg_go${n}() { ${steps.join('; ')}; }`;
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
  const startable = plans.filter((p) =>
    p.invocations.every((inv) => Object.keys(inv.env).every((k) => SHELL_NAME.test(k))),
  );
  startable.forEach((plan, i) => {
    lines.push(`${i === 0 ? 'if' : 'elif'} ${commandTest(plan)}; then`);
    lines.push(`  goimg_plan=${shellQuote(canonicalPlan(plan.invocations))}`);
    lines.push(`  goimg_runs=${shellQuote(plan.invocations.map((_, n) => n).join(' '))}`);
    lines.push(...plan.invocations.map((inv, n) => `  ${goFunction(inv, n)}`));
  });
  if (startable.length > 0) lines.push('fi');
  lines.push(
    'if [ -n "$goimg_plan" ]; then',
    '  goimg_run=${TMPDIR:-/tmp}/goimg-early-$$',
    '  goimg_made=1',
    // Made here, before Node starts: Node takes a directory's existence as its run's.
    '  for goimg_n in $goimg_runs; do mkdir -p "$goimg_run/$goimg_n/tmp" 2> /dev/null || goimg_made=; done',
    '  if [ -n "$goimg_made" ]; then',
    '    for goimg_n in $goimg_runs; do',
    // Each subshell waits for its go and records the status: Node is not go's parent, so it cannot.
    '      (',
    '        goimg_dir=$goimg_run/$goimg_n',
    '        [ -n "$GOTMPDIR" ] || { GOTMPDIR=$goimg_dir/tmp; export GOTMPDIR; }',
    '        goimg_go$goimg_n > "$goimg_dir/out" 2>&1 &',
    '        echo $! > "$goimg_dir/pid"',
    '        wait $!',
    '        goimg_status=$?',
    '        if [ -d "$goimg_dir" ]; then echo $goimg_status > "$goimg_dir/status"; fi',
    '      ) > /dev/null 2>&1 &',
    '    done',
    '    GOIMG_EARLY_RUN=$goimg_run',
    '    GOIMG_EARLY_PLAN=$goimg_plan',
    '    export GOIMG_EARLY_RUN GOIMG_EARLY_PLAN',
    '  else',
    '    rm -rf "$goimg_run"',
    '  fi',
    'fi',
    'unset goimg_plan goimg_run goimg_runs goimg_made goimg_n',
    '',
  );
  return lines.join('\n');
}

/** Writes plans.json, then plans.sh, each atomically. Throws on failure (callers ignore it). */
export function writePlans(cacheDir: string, plans: readonly Plan[]): void {
  const dir = plansDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  replaceFile(join(dir, 'plans.json'), `${JSON.stringify({ version: PLANS_VERSION, plans }, null, 1)}\n`);
  replaceFile(join(dir, 'plans.sh'), plansScript(plans));
}
