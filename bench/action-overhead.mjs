#!/usr/bin/env node
// Wall time of the GitHub Action's entry point (action/main.mjs: annotations, job summary,
// outputs and SARIF, as the runner starts it) next to `goimg audit --format github` alone on the
// same project, measured alternately in one run; prints medians and the ratio.
// Usage: node bench/action-overhead.mjs [runs]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'goimg-bench-action-'));
cpSync(join(root, 'examples', 'seed-article'), join(workspace, 'app'), { recursive: true });
const output = join(workspace, 'output');
const summary = join(workspace, 'summary.md');

function time(args, env) {
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const s = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: workspace,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  const ms = Number(process.hrtime.bigint() - s) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const direct = () => time([join(root, 'bin', 'goimg.js'), 'audit', 'app', '--format', 'github']);
const action = (sarif) =>
  time([join(root, 'action', 'main.mjs')], {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_PATH: 'app',
    INPUT_SARIF: sarif,
  });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = { direct: [], action: [], sarif: [] };
try {
  for (let i = 0; i < 2; i++) {
    direct();
    action('');
    action('goimg.sarif');
  }
  for (let i = 0; i < runs; i++) {
    samples.direct.push(direct());
    samples.action.push(action(''));
    samples.sarif.push(action('goimg.sarif'));
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
const d = median(samples.direct);
const a = median(samples.action);
const s = median(samples.sarif);
console.log(`goimg audit --format github (anchor):   median ${d.toFixed(1)} ms over ${runs} runs`);
console.log(
  `action: annotations + summary:          median ${a.toFixed(1)} ms  ratio ${(a / d).toFixed(2)}x`,
);
console.log(
  `action: annotations + summary + SARIF:  median ${s.toFixed(1)} ms  ratio ${(s / d).toFixed(2)}x`,
);
