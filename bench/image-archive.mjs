#!/usr/bin/env node
// goimg image on an archive on disk: `goimg image docker-archive:FILE --format json` of the golang
// stand-in saved by `docker save` (0.72 GB, one uncompressed layer) against `sha256sum FILE` (the
// least any reader that checks the layer's digest must do), side by side and interleaved in one
// run; plus goimg's CPU time, peak RSS and page faults (memory touched for the first time, which
// the in-place reading of such archives avoids). The load average is printed with the figures.
// Needs the test engine with the stand-ins (scripts/setup-env.sh) and GNU time (/usr/bin/time).
// Usage: node bench/image-archive.mjs [runs=3] [IMAGE=golang:1.21]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const image = process.argv[3] ?? 'golang:1.21';
const host = process.env.GOIMG_TEST_DOCKER_HOST ?? 'unix:///tmp/goimg-dockerd.sock';
const env = { ...process.env, DOCKER_HOST: host };
const goimg = new URL('../bin/goimg.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'goimg-bench-archive-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const archive = join(dir, 'saved.tar');

/** Wall and CPU seconds, peak RSS (MB) and minor page faults of one command, from GNU time. */
function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M %R', ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const [secs, user, sys, kb, faults] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { secs, cpu: user + sys, rssMB: kb / 1024, faults, stdout: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

execFileSync('/usr/bin/docker', ['save', '-o', archive, image], { env });
const loadBefore = loadavg()[0];
const ours = [];
const anchor = [];
let files;
for (let i = 0; i < runs; i++) {
  const a = timed(['node', goimg, 'image', `docker-archive:${archive}`, '--format', 'json']);
  files = JSON.parse(a.stdout).layers.reduce((n, l) => n + l.files, 0);
  ours.push(a);
  anchor.push(timed(['sha256sum', archive]));
}
const m = (xs, key) => median(xs.map((x) => x[key]));
console.table([
  {
    image,
    files,
    goimgS: m(ours, 'secs').toFixed(2),
    goimgCpuS: m(ours, 'cpu').toFixed(2),
    goimgPeakRssMB: m(ours, 'rssMB').toFixed(0),
    goimgFaults: m(ours, 'faults'),
    sha256sumS: m(anchor, 'secs').toFixed(2),
    ratio: (m(ours, 'secs') / m(anchor, 'secs')).toFixed(2),
  },
]);
console.log(`runs ${runs}, load ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
