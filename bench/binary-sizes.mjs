#!/usr/bin/env node
// Full size attribution: `goimg binary --format json` on the static docker client against
// `go tool nm -size -sort size` on the same file (the ratio), plus peak memory against the file
// size, and the same attribution on stripped dockerd, where nm has no symbols to print.
// Usage: node bench/binary-sizes.mjs [RUNS]   (run `npx tsc -p .` first)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { findGoToolchain } from '../dist/src/env/go-toolchains.js';
import { baselines, EXTRA_CA_SET, GOIMG, loadNote, race } from './binary-lib.mjs';

const runs = Number(process.argv[2] ?? 5);
const go = findGoToolchain('1.23') ?? findGoToolchain();
if (!go) throw new Error('needs a Go toolchain for the anchor');
const docker = '/usr/local/bin/docker';
const dockerd = '/usr/sbin/dockerd';
const mb = (n) => `${(n / 1048576).toFixed(1)} MiB`;
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;

console.log(`binary-sizes: median of ${runs} runs, ${loadNote()}`);
const r = race(
  {
    ...baselines(['binary', '--format', 'json', docker]),
    goimg: [GOIMG, 'binary', '--format', 'json', docker],
    nm: [go.go, 'tool', 'nm', '-size', '-sort', 'size', docker],
  },
  runs,
);
const size = statSync(docker).size;
console.log(`  ${docker} (${mb(size)})`);
console.log(`    node -e 0                        ${ms(r.node.wall)}  cpu ${ms(r.node.cpu)}`);
console.log(
  `    goimg binary (full attribution)  ${ms(r.goimg.wall)}  cpu ${ms(r.goimg.cpu)}  peak RSS ${mb(r.goimg.rssKB * 1024)} (${((r.goimg.rssKB * 1024) / size).toFixed(2)}x file)`,
);
console.log(
  `    go tool nm -size -sort size      ${ms(r.nm.wall)}  cpu ${ms(r.nm.cpu)}  peak RSS ${mb(r.nm.rssKB * 1024)}`,
);
console.log(
  `    ratio goimg / nm                 wall ${(r.goimg.wall / r.nm.wall).toFixed(2)}x, cpu ${(r.goimg.cpu / r.nm.cpu).toFixed(2)}x`,
);
console.log(
  `    goimg above node -e 0            wall ${ms(r.goimg.wall - r.node.wall)}, cpu ${ms(r.goimg.cpu - r.node.cpu)}`,
);
if (EXTRA_CA_SET) {
  console.log(`  NODE_EXTRA_CA_CERTS is set: goimg's launcher keeps it from Node's start-up`);
  console.log(`    node -e 0 without it             ${ms(r.nodeBare.wall)}  cpu ${ms(r.nodeBare.cpu)}`);
  console.log(
    `    goimg above that                 wall ${ms(r.goimg.wall - r.nodeBare.wall)}, cpu ${ms(r.goimg.cpu - r.nodeBare.cpu)}`,
  );
  console.log(
    `    node bin/goimg.js              ${ms(r.goimgViaNode.wall)}  cpu ${ms(r.goimgViaNode.cpu)}  ratio to nm ${(r.goimgViaNode.wall / r.nm.wall).toFixed(2)}x`,
  );
}

if (existsSync(dockerd)) {
  const nm = spawnSync(go.go, ['tool', 'nm', '-size', dockerd], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const s = race({ goimg: [GOIMG, 'binary', '--format', 'json', dockerd] }, runs);
  const out = spawnSync(GOIMG, ['binary', '--format', 'json', dockerd], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const rep = JSON.parse(out.stdout);
  console.log(`  ${dockerd} (${mb(statSync(dockerd).size)}, stripped)`);
  console.log(
    `    go tool nm: exit ${nm.status}, ${nm.stdout.split('\n').filter(Boolean).length} lines${nm.stderr ? ` (${nm.stderr.trim().split('\n')[0]})` : ''}`,
  );
  console.log(
    `    goimg: ${rep.sizes.packages.length} packages, ${rep.sizes.modules.length} modules, ${mb(rep.sizes.attributed)} attributed, ${ms(s.goimg.wall)}, cpu ${ms(s.goimg.cpu)}, peak RSS ${mb(s.goimg.rssKB * 1024)} (${((s.goimg.rssKB * 1024) / statSync(dockerd).size).toFixed(2)}x file)`,
  );
}
console.log(`  after: ${loadNote()}`);
