#!/usr/bin/env node
// goimg init + bench figures, goimg vs its anchors in one run: the article's Dockerfile and the
// `docker init` Go Dockerfile on examples/seed-article, the naive Dockerfile on
// examples/orders-service (dependency change), and the CA-bundle overhead on a TLS-only program.
// Usage: node bench/init-bench.mjs [--runs N]   (DOCKER_HOST must point at an engine; the
// stand-in engine here cannot fetch the # syntax frontend, so it is stripped)
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

const runs = process.argv.includes('--runs') ? process.argv[process.argv.indexOf('--runs') + 1] : '3';

function bench(dir, extra) {
  const args = [
    'bin/goimg.js',
    'bench',
    dir,
    '--no-syntax-directive',
    '--runs',
    runs,
    '--format',
    'json',
    ...extra,
  ];
  console.error(`$ goimg ${args.slice(1).join(' ')}`);
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`goimg bench ${dir} exited ${r.status}`);
  return JSON.parse(r.stdout);
}

const v = (report, name) => report.variants.find((x) => x.name === name);
const s = (x) => (x == null ? '-' : `${x.toFixed(2)} s`);
const kb = (x) => (x == null ? '-' : `${(x / 1024).toFixed(1)} KiB`);
const ratio = (a, b) => (a == null || b == null || b === 0 ? '-' : `${(a / b).toFixed(2)}x`);

// --go 1.23: the stand-in golang image; the version policy's newest release may have none here.
const seed = bench('examples/seed-article', [
  '--go',
  '1.23',
  '--variant',
  'docker-init=test/fixtures/init/docker-init/Dockerfile',
]);
const orders = bench('examples/orders-service', ['--go', '1.23']);
const tls = bench('test/fixtures/init/tls-only', ['--go', '1.23', '--no-current']);

const [a, g, d] = ['current', 'goimg', 'docker-init'].map((n) => v(seed, n));
const host = seed.host.goBuildIncremental;
const lines = [
  `date ${seed.date}; machine ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${seed.machine.os}; engine ${seed.engine.version} (${seed.engine.mode} ${seed.engine.client}); runs ${runs} (medians)`,
  '',
  'seed-article                  article        goimg    docker-init',
  `image size              ${[a, g, d].map((x) => kb(x.imageSize).padStart(13)).join('')}`,
  `overhead over binary    ${[a, g, d].map((x) => kb(x.overheadBytes).padStart(13)).join('')}`,
  `cold build              ${[a, g, d].map((x) => s(x.timings.cold).padStart(13)).join('')}`,
  `no-change rebuild       ${[a, g, d].map((x) => s(x.timings.noChange).padStart(13)).join('')}`,
  `source-change rebuild   ${[a, g, d].map((x) => s(x.timings.sourceChange).padStart(13)).join('')}`,
  `go.mod-change rebuild   ${[a, g, d].map((x) => s(x.timings.depChange).padStart(13)).join('')}`,
  `starts                  ${[a, g, d].map((x) => String(x.starts).padStart(13)).join('')}`,
  `host incremental go build ${s(host)}; stripped static binary ${kb(seed.host.strippedBinarySize)}`,
  '',
  `overhead, no CA needed (target <= 20 KiB): ${kb(g.overheadBytes)}`,
  `source-change rebuild, article / goimg (target >= 4x): ${ratio(a.timings.sourceChange, g.timings.sourceChange)}`,
  `source-change rebuild / host go build: article ${ratio(a.timings.sourceChange, host)}, goimg ${ratio(g.timings.sourceChange, host)}, docker-init ${ratio(d.timings.sourceChange, host)}`,
  `cold build, goimg / article (target <= 1.00x): ${ratio(g.timings.cold, a.timings.cold)}; goimg / docker-init: ${ratio(g.timings.cold, d.timings.cold)}`,
  `source-change rebuild, docker-init / goimg: ${ratio(d.timings.sourceChange, g.timings.sourceChange)}; image size docker-init / goimg: ${ratio(d.imageSize, g.imageSize)}`,
];
const [oc, og] = ['current', 'goimg'].map((n) => v(orders, n));
lines.push(
  '',
  `orders-service (dependency change: ${orders.edits.depChange})`,
  `  naive: image ${kb(oc.imageSize)}, cold ${s(oc.timings.cold)}, source ${s(oc.timings.sourceChange)}, dep ${s(oc.timings.depChange)}, starts ${oc.starts}`,
  `  goimg: image ${kb(og.imageSize)}, cold ${s(og.timings.cold)}, source ${s(og.timings.sourceChange)}, dep ${s(og.timings.depChange)}, starts ${og.starts}`,
  `  dependency-change rebuild, naive / goimg: ${ratio(oc.timings.depChange, og.timings.depChange)}; host go build ${s(orders.host.goBuildIncremental)}`,
);
const tg = v(tls, 'goimg');
lines.push(
  '',
  `TLS-only program on scratch + CA bundle: overhead ${kb(tg.overheadBytes)} (target <= 300 KiB), starts ${tg.starts}`,
);
console.log(lines.join('\n'));
