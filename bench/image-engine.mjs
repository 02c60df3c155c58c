#!/usr/bin/env node
// goimg image from a Docker engine: `goimg image docker-daemon:IMAGE --format json` (one export,
// analysed as it streams) against `docker save IMAGE | cat > /dev/null` (the export alone), side
// by side and interleaved in one run, on the debian and golang stand-ins and a ≈1.2 GB image
// built here; plus goimg's CPU time and peak RSS (targets: ratio <= 1.3, RSS < 300 MB). On a busy
// machine the wall times follow the load: the load average is printed with the figures.
// Needs the test engine with the stand-ins (scripts/setup-env.sh) and GNU time (/usr/bin/time).
// Usage: node bench/image-engine.mjs [runs=3]
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const runs = Number(process.argv[2] ?? 3);
const host = process.env.GOIMG_TEST_DOCKER_HOST ?? 'unix:///tmp/goimg-dockerd.sock';
const docker = '/usr/bin/docker';
const env = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '1' };
const goimg = new URL('../bin/goimg.js', import.meta.url).pathname;
const LARGE = 'goimg-bench/engine-large:1';

function ensureLarge() {
  if (spawnSync(docker, ['image', 'inspect', LARGE], { env, stdio: 'ignore' }).status === 0) return;
  console.error(`[bench] building ${LARGE} (once)...`);
  // A second toolchain copy and a copy of /usr/lib on top of the golang stand-in.
  execFileSync(docker, ['build', '-q', '--network=host', '-t', LARGE, '-'], {
    env,
    input: 'FROM golang:1.21\nRUN cp -a /usr/local/go /opt/go-copy && cp -a /usr/lib /opt/lib-copy\n',
    stdio: ['pipe', 'inherit', 'inherit'],
  });
}

/**
 * Runs a shell command under GNU time: wall seconds, CPU seconds of the command's own processes
 * (the engine's work on an export is not among them) and peak RSS (MB) of the largest one.
 */
function timed(script) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'sh', '-c', script], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${script} failed: ${r.stderr}`);
  const [secs, user, sys, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { secs, cpu: user + sys, rssMB: kb / 1024, stdout: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

ensureLarge();
const rows = [];
const loadBefore = loadavg()[0];
for (const image of ['debian:bookworm-slim', 'golang:1.21', LARGE]) {
  const ours = [];
  const save = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const a = timed(`node '${goimg}' image 'docker-daemon:${image}' --format json`);
    report = JSON.parse(a.stdout);
    ours.push(a);
    save.push(timed(`${docker} save '${image}' | cat > /dev/null`));
  }
  const g = median(ours.map((x) => x.secs));
  const s = median(save.map((x) => x.secs));
  rows.push({
    image,
    uncompressedGB: (report.layers.reduce((n, l) => n + l.uncompressedSize, 0) / 1e9).toFixed(2),
    layers: report.layers.length,
    goimgS: g.toFixed(2),
    dockerSaveS: s.toFixed(2),
    ratio: (g / s).toFixed(2),
    goimgCpuS: median(ours.map((x) => x.cpu)).toFixed(2),
    goimgPeakRssMB: Math.max(...ours.map((x) => x.rssMB)).toFixed(0),
    goBinaries: report.goBinaries.length,
  });
}
console.table(rows);
const load = { before: loadBefore.toFixed(2), after: loadavg()[0].toFixed(2) };
console.log(JSON.stringify({ date: new Date().toISOString(), runs, load, rows }));
