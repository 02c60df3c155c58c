#!/usr/bin/env node
// Wall time of `goimg audit examples/seed-article` (Node start-up included) next to a bare
// `node -e 0`, measured alternately in one run; prints medians and the ratio (target < 2x).
// Usage: node bench/audit-startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 30);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/goimg.js`;
const target = `${root}examples/seed-article`;

function time(args) {
  const s = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - s) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = [];
const audit = [];
for (let i = 0; i < 3; i++) time([bin, 'audit', target, '--format', 'json']);
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  audit.push(time([bin, 'audit', target, '--format', 'json']));
}
const b = median(bare);
const a = median(audit);
console.log(`node -e 0 (anchor):                 median ${b.toFixed(1)} ms over ${runs} runs`);
console.log(`goimg audit examples/seed-article:  median ${a.toFixed(1)} ms over ${runs} runs`);
console.log(`ratio: ${(a / b).toFixed(2)}x  target: < 2x -> ${a / b < 2 ? 'met' : 'NOT met'}`);
