#!/usr/bin/env node
// goimg image: full analysis of two gzip OCI layouts (≈0.74 GB and ≈1.26 GB uncompressed)
// against `gzip -dc` of the same layer blobs to /dev/null, side by side in one run, plus peak RSS
// of goimg on both sizes (target: ratio < 1.5, RSS < 300 MB and flat).
// Needs the test engine with the golang:1.23 stand-in (scripts/setup-env.sh) and skopeo.
// Usage: node bench/image-analysis.mjs [runs=2]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 2);
const host = process.env.GOIMG_TEST_DOCKER_HOST ?? 'unix:///tmp/goimg-dockerd.sock';
const env = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '1' };
const cache = join(tmpdir(), 'goimg-bench-image');
mkdirSync(cache, { recursive: true });
const goimg = new URL('../bin/goimg.js', import.meta.url).pathname;

function ensureLarge() {
  const r = spawnSync('/usr/bin/docker', ['image', 'inspect', 'goimg-bench/large:1'], {
    env,
    stdio: 'ignore',
  });
  if (r.status === 0) return;
  const ctx = mkdtempSync(join(tmpdir(), 'goimg-bench-ctx-'));
  // A second toolchain copy and a copy of /usr/lib, part of it deleted again: ≈1.26 GB, ≈220 MB waste.
  writeFileSync(
    join(ctx, 'Dockerfile'),
    'FROM golang:1.23\nRUN cp -a /usr/local/go /opt/go-copy && cp -a /usr/lib /opt/lib-copy\nRUN rm -rf /opt/go-copy/pkg /opt/lib-copy/gcc\n',
  );
  execFileSync('/usr/bin/docker', ['build', '-q', '--network=host', '-t', 'goimg-bench/large:1', ctx], {
    env,
    stdio: 'inherit',
  });
}

function layout(name, image) {
  const dir = join(cache, name);
  if (!existsSync(join(dir, 'index.json'))) {
    console.error(`[bench] exporting ${image} to a gzip OCI layout (once)...`);
    execFileSync(
      'skopeo',
      [
        'copy',
        '-q',
        '--src-daemon-host',
        host,
        '--dest-compress',
        '--dest-compress-format',
        'gzip',
        `docker-daemon:${image}`,
        `oci:${dir}:1`,
      ],
      { stdio: 'inherit' },
    );
  }
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const manifest = JSON.parse(
    readFileSync(join(dir, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'),
  );
  return { dir, blobs: manifest.layers.map((l) => join(dir, 'blobs', 'sha256', l.digest.slice(7))) };
}

const HAS_TIME = existsSync('/usr/bin/time');
// Without GNU time (Debian package `time`), a preload reports the Node process's own peak RSS.
const RSS_PRELOAD =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>writeSync(2,"\\nMAXRSS "+process.resourceUsage().maxRSS+"\\n"))';

/** Runs a command; returns wall seconds and peak RSS in MB (RSS only for Node without GNU time). */
function timed(cmd, args) {
  if (HAS_TIME) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const [secs, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
    return { secs, rssMB: kb / 1024, stdout: r.stdout };
  }
  const node = cmd === process.execPath;
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, node ? ['--import', RSS_PRELOAD, ...args] : args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
  const kb = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  return { secs, rssMB: kb / 1024, stdout: r.stdout };
}

ensureLarge();
const images = [
  { name: 'golang-1.23', image: 'golang:1.23' },
  { name: 'large', image: 'goimg-bench/large:1' },
];
const rows = [];
for (const img of images) {
  const { dir, blobs } = layout(img.name, img.image);
  const script = `for f in ${blobs.map((b) => `'${b}'`).join(' ')}; do gzip -dc "$f"; done > /dev/null`;
  const g = [];
  const z = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const a = timed(process.execPath, [goimg, 'image', `oci:${dir}:1`, '--format', 'json']);
    report = JSON.parse(a.stdout);
    g.push(a);
    z.push(timed('sh', ['-c', script]));
  }
  const best = (xs, k) => Math.min(...xs.map((x) => x[k]));
  const uncompressed = report.layers.reduce((n, l) => n + l.uncompressedSize, 0);
  rows.push({
    image: img.image,
    uncompressedGB: (uncompressed / 1e9).toFixed(2),
    compressedMB: (report.layers.reduce((n, l) => n + l.size, 0) / 1e6).toFixed(0),
    goimgS: best(g, 'secs').toFixed(2),
    gzipS: best(z, 'secs').toFixed(2),
    ratio: (best(g, 'secs') / best(z, 'secs')).toFixed(2),
    goimgPeakRssMB: Math.max(...g.map((x) => x.rssMB)).toFixed(0),
    wasteMB: (report.waste.bytes / 1e6).toFixed(0),
    goBinaries: report.goBinaries.length,
  });
}
console.table(rows);
console.log(JSON.stringify({ date: new Date().toISOString(), runs, rows }));
