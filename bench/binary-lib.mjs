// Shared helpers for the binary benchmarks: timed runs of a command via /usr/bin/time, medians.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GOIMG = fileURLToPath(new URL('../bin/goimg.js', import.meta.url));
export const TIME = '/usr/bin/time';

/**
 * The start-up baselines. goimg runs through bin/goimg.js's launcher, which keeps
 * NODE_EXTRA_CA_CERTS from Node's start-up (Node 20 parses that bundle eagerly): when it is set,
 * `node -e 0` is timed both ways, and goimg also without the launcher (`node bin/goimg.js`).
 */
export const EXTRA_CA_SET = Boolean(process.env.NODE_EXTRA_CA_CERTS);
export function baselines(goimgArgs) {
  return {
    node: [process.execPath, '-e', '0'],
    ...(EXTRA_CA_SET
      ? {
          nodeBare: ['env', '-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', '0'],
          goimgViaNode: [process.execPath, GOIMG, ...goimgArgs],
        }
      : {}),
  };
}

/**
 * Runs argv once: wall seconds (hrtime around the spawn), CPU seconds (user + system) and peak
 * RSS in KB from /usr/bin/time. CPU time is the steadier figure on a loaded machine.
 */
export function measure(argv) {
  const useTime = existsSync(TIME);
  const full = useTime ? [TIME, '-f', '%U %S %M', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr.slice(-500)}`);
  if (!useTime) return { wall, cpu: null, rssKB: null };
  const [user, sys, rss] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + sys, rssKB: rss };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Interleaves the commands `runs` times so load changes hit all of them alike. */
export function race(commands, runs) {
  const results = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [k, argv] of Object.entries(commands)) results[k].push(measure(argv));
  }
  return Object.fromEntries(
    Object.entries(results).map(([k, rs]) => [
      k,
      {
        wall: median(rs.map((r) => r.wall)),
        cpu: rs[0].cpu === null ? null : median(rs.map((r) => r.cpu)),
        rssKB: rs[0].rssKB === null ? null : Math.max(...rs.map((r) => r.rssKB)),
      },
    ]),
  );
}

export function loadNote() {
  const r = spawnSync('sh', ['-c', 'cat /proc/loadavg; nproc'], { encoding: 'utf8' });
  const [load, nproc] = r.stdout.trim().split('\n');
  return `load average ${load.split(' ').slice(0, 3).join(' ')} on ${nproc} CPUs`;
}
