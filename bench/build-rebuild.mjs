#!/usr/bin/env node
/**
 * goimg build benchmarks, side by side in one run:
 *  1. rebuild after a one-line source change (a log string in main.go is rewritten before every
 *     timed build, so every build recompiles, relinks and yields a new binary): goimg build --oci
 *     vs the host's incremental `go build` alone (same flags), vs a BuildKit build of a good
 *     multi-stage Dockerfile (cache mounts on GOCACHE and GOMODCACHE, distroless runtime);
 *  2. rebuild with no source change (goimg's layer cache reuses the binary layer);
 *  3. rebuild after a change for linux/amd64 + linux/arm64: goimg vs the host's two `go build`s,
 *     one after the other;
 *  4. push of an unchanged image to the loopback registry: requests counted, time vs
 *     `skopeo copy` of the same OCI layout.
 * The variants of one round run back to back, in a rotating order; medians over the rounds, and the
 * median of the per-round ratios (robust to the load drifting during the run). Load is printed.
 * Usage: node bench/build-rebuild.mjs [ROUNDS]   (needs the engine and registry for parts 1 and 4)
 * GOIMG_BENCH_PROJECT=orders-service benchmarks that example instead of seed-article (its main
 * package is cmd/orders; goimg finds it, the anchor and the Dockerfile name it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.argv[2] ?? 7);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const GOIMG = join(ROOT, 'bin', 'goimg.js');
const GO = ['/usr/lib/go-1.23/bin/go', '/usr/local/go/bin/go'].find((p) => existsSync(p)) ?? 'go';
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///tmp/goimg-dockerd.sock';
const REG = process.env.GOIMG_TEST_REGISTRY ?? '127.0.0.1:5055';
const W = mkdtempSync(join(tmpdir(), 'goimg-bench-build-'));
process.on('exit', () => {
  rmSync(W, { recursive: true, force: true });
  if (existsSync('/usr/bin/docker'))
    spawnSync('/usr/bin/docker', ['image', 'prune', '-f', '--filter', 'label=goimg-bench=build-rebuild'], {
      env: { ...process.env, DOCKER_HOST },
    });
});
const SRC = join(W, 'src');
const PROJECT = process.env.GOIMG_BENCH_PROJECT ?? 'seed-article';
cpSync(join(ROOT, 'examples', PROJECT), SRC, { recursive: true });
const MAIN = existsSync(join(SRC, 'main.go')) ? '.' : './cmd/orders';
const env = {
  ...process.env,
  DOCKER_HOST,
  DOCKER_BUILDKIT: '1',
  CGO_ENABLED: '0',
  GOIMG_CACHE_DIR: join(W, 'cache'),
};

writeFileSync(
  join(W, 'Dockerfile'),
  `FROM golang:1.23 AS build
WORKDIR /src
${
  // A vendored project builds offline from vendor/: nothing to download.
  existsSync(join(SRC, 'vendor'))
    ? ''
    : 'COPY go.mod go.sum* ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n'
}COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ${MAIN}
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
);

let edits = 0;
// Unique per run: Go's build cache and BuildKit's are content-addressed, so an edit that some earlier
// run already made would time a cache hit (compile skipped, or the whole BuildKit build skipped).
const RUN = `${process.pid}-${Date.now().toString(36)}`;
/**
 * A real one-line code change: the log line's string, so the binary's bytes change. The file's
 * size changes every time too: BuildKit's context sync can miss a same-size edit made within the
 * same second as the one before, which would time a cached no-op instead of a rebuild.
 */
function edit() {
  const file = join(SRC, MAIN, 'main.go');
  edits++;
  const text = readFileSync(file, 'utf8').replace(
    /listening[^"]*on (:?%s)/,
    `listening (edit ${RUN}-${edits}${'.'.repeat(edits)}) on $1`,
  );
  writeFileSync(file, text);
}

/** CPU seconds the whole machine has spent so far (all processes; /proc/stat, 10 ms ticks). */
function machineCpu() {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq) / 100;
}

/**
 * CPU seconds of the children this process has waited for, theirs and their own waited-for
 * children's (/proc/self/stat cutime + cstime, 10 ms ticks): a command's own CPU, whatever else
 * the machine runs. It misses work done outside the process tree (BuildKit's, in the engine).
 */
function childrenCpu() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * Wall seconds of one command (measured around its spawn: millisecond resolution, where
 * /usr/bin/time gives ten), and the CPU seconds the machine spent meanwhile: a child's own CPU
 * figure would miss work done elsewhere (BuildKit's is done by the engine).
 */
function timed(cmd, args, extraEnv = {}) {
  const cpu0 = machineCpu();
  const own0 = childrenCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: SRC, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = machineCpu() - cpu0;
  const own = childrenCpu() - own0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  if (process.env.GOIMG_TRACE) process.stderr.write(r.stderr);
  return { wall, cpu, own, stdout: r.stdout };
}

const variants = {
  go: () => timed(GO, ['build', '-trimpath', '-ldflags=-s -w', '-o', join(W, 'app'), MAIN]),
  goimg: () => timed(GOIMG, ['build', '.', '--oci', join(W, 'oci'), '-q']),
  buildkit: () =>
    timed('/usr/bin/docker', [
      'build',
      '--network=host',
      // Each rebuild leaves the previous image untagged: labelled, so the exit prunes them.
      '--label',
      'goimg-bench=build-rebuild',
      '-q',
      '-f',
      join(W, 'Dockerfile'),
      '-t',
      'goimg-bench/seed:bk',
      '.',
    ]),
};
// GOIMG_BENCH_BEFORE=/path/to/old/bin/goimg.js adds an older goimg build, side by side.
const BEFORE = process.env.GOIMG_BENCH_BEFORE;
// Its own cache: two goimg versions sharing one would take turns overwriting each other's last
// layer and formats (a newer gzip format lends no blocks to the other, and vice versa).
if (BEFORE)
  variants.before = () =>
    timed(BEFORE, ['build', '.', '--oci', join(W, 'oci-before'), '-q'], {
      GOIMG_CACHE_DIR: join(W, 'cache-before'),
    });
const haveEngine = existsSync(DOCKER_HOST.replace(/^unix:\/\//, '')) && existsSync('/usr/bin/docker');
if (!haveEngine) delete variants.buildkit;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

console.log(`goimg build benchmark (examples/${PROJECT}): ${ROUNDS} rounds, ${new Date().toISOString()}`);
console.log(
  `node ${process.version}, ${execFileSync(GO, ['version'], { encoding: 'utf8' }).trim()}, load ${load()}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}`,
);
// Warm every path once (Go build cache, BuildKit cache, goimg layer cache).
for (const run of Object.values(variants)) {
  edit();
  run();
}

function series(names, change, table = variants) {
  const t = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [], own: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      if (change) edit();
      const r = table[name]();
      t[name].wall.push(r.wall);
      t[name].cpu.push(r.cpu);
      t[name].own.push(r.own);
    }
  }
  return t;
}

function report(title, t) {
  console.log(`\n${title} (median of ${ROUNDS}; load after: ${load()})`);
  const go = t.go;
  for (const [name, s] of Object.entries(t)) {
    const ratios = s.wall.map((w, i) => w / go.wall[i]);
    const line = `  ${name.padEnd(9)} wall ${median(s.wall).toFixed(3)} s  machine cpu ${median(s.cpu).toFixed(2)} s  own cpu ${median(s.own).toFixed(2)} s`;
    console.log(
      name === 'go'
        ? line
        : `${line}  ratio to go build: ${(median(s.wall) / median(go.wall)).toFixed(2)}x of medians, ` +
            `${median(ratios).toFixed(2)}x median per round; machine cpu ${(median(s.cpu) / median(go.cpu)).toFixed(2)}x, ` +
            `own cpu ${(median(s.own) / median(go.own)).toFixed(2)}x`,
    );
    console.log(`            walls: ${s.wall.map((w) => w.toFixed(3)).join(' ')}`);
  }
}

const changed = series(Object.keys(variants), true);
report('rebuild after a one-line source change', changed);
if (changed.buildkit)
  console.log(
    `  BuildKit / goimg: ${(median(changed.buildkit.wall) / median(changed.goimg.wall)).toFixed(2)}x (goimg faster when > 1)`,
  );
report('rebuild with no source change', series(['go', 'goimg', ...(BEFORE ? ['before'] : [])], false));

// Two platforms after a one-line change: goimg (platforms at once) vs the host's `go build` for
// each, one after the other (what a script or a sequential builder does).
const twoPlatforms = 'linux/amd64,linux/arm64';
const goFor = (arch) => () =>
  timed(GO, ['build', '-trimpath', '-ldflags=-s -w', '-o', join(W, `app-${arch}`), MAIN], { GOARCH: arch });
const platformVariants = {
  go: () => {
    const a = goFor('amd64')();
    const b = goFor('arm64')();
    return { wall: a.wall + b.wall, cpu: a.cpu + b.cpu, own: a.own + b.own };
  },
  goimg: () => timed(GOIMG, ['build', '.', '--platform', twoPlatforms, '--oci', join(W, 'oci-2'), '-q']),
  ...(BEFORE
    ? {
        before: () =>
          timed(BEFORE, ['build', '.', '--platform', twoPlatforms, '--oci', join(W, 'oci-2-before'), '-q'], {
            GOIMG_CACHE_DIR: join(W, 'cache-before'),
          }),
      }
    : {}),
};
for (const run of Object.values(platformVariants)) {
  edit();
  run();
}
report(
  `rebuild after a one-line source change, ${twoPlatforms} ("go": both go builds, one after the other)`,
  series(Object.keys(platformVariants), true, platformVariants),
);

// Push of an unchanged image.
if (haveEngine && spawnSync('curl', ['-sf', `http://${REG}/v2/`]).status === 0) {
  const repo = `${REG}/goimg-bench/seed-${process.pid}`;
  const push = ['build', '.', '--oci', join(W, 'oci'), '--tag', 'seed:bench', '--insecure'];
  timed(GOIMG, [...push, '--push', `docker://${repo}:a`, '-q']);
  const withPush = [];
  const without = [];
  let requests = '';
  for (let i = 0; i < ROUNDS; i++) {
    const r = timed(GOIMG, [...push, '--push', `docker://${repo}:a`, '--format', 'json']);
    const pushed = JSON.parse(r.stdout).pushed;
    requests = `uploaded ${pushed.uploaded}, skipped ${pushed.skipped}, requests ${JSON.stringify(pushed.requests)}`;
    withPush.push(r.wall);
    without.push(timed(GOIMG, [...push, '-q']).wall);
  }
  const skopeo = [
    'copy',
    '-q',
    '--dest-tls-verify=false',
    `oci:${join(W, 'oci')}:bench`,
    `docker://${repo}:b`,
  ];
  timed('skopeo', skopeo);
  const sk = [];
  for (let i = 0; i < ROUNDS; i++) sk.push(timed('skopeo', skopeo).wall);
  console.log(`\npush of an unchanged image (median of ${ROUNDS}; load ${load()}): ${requests}`);
  console.log(
    `  goimg build+push ${median(withPush).toFixed(3)} s, build alone ${median(without).toFixed(3)} s`,
  );
  console.log(`  skopeo copy of the same layout (unchanged) ${median(sk).toFixed(3)} s`);
}
