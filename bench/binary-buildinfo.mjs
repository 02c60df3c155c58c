#!/usr/bin/env node
// Build info + linkage + UPX on Debian's 75 MB dockerd: `goimg binary --quick` (wall time including
// Node start-up) against `go version -m` on the same file and against a bare `node -e 0`.
// Usage: node bench/binary-buildinfo.mjs [FILE] [RUNS]   (run `npx tsc -p .` first)
import { statSync } from 'node:fs';
import { findGoToolchain } from '../dist/src/env/go-toolchains.js';
import { baselines, EXTRA_CA_SET, GOIMG, loadNote, race } from './binary-lib.mjs';

const file = process.argv[2] ?? '/usr/sbin/dockerd';
const runs = Number(process.argv[3] ?? 15);
const go = findGoToolchain('1.23') ?? findGoToolchain();
if (!go) throw new Error('needs a Go toolchain for the anchor');

const r = race(
  {
    ...baselines(['binary', '--quick', '--format', 'json', file]),
    goimg: [GOIMG, 'binary', '--quick', '--format', 'json', file],
    goVersionM: [go.go, 'version', '-m', file],
  },
  runs,
);
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
const both = (x) => `wall ${ms(x.wall)}, cpu ${x.cpu === null ? '?' : ms(x.cpu)}`;
console.log(
  `binary-buildinfo: ${file} (${(statSync(file).size / 1048576).toFixed(1)} MiB), median of ${runs} runs, ${loadNote()}`,
);
console.log(`  node -e 0                           ${both(r.node)}`);
console.log(
  `  goimg binary --quick --format json  ${both(r.goimg)}  peak RSS ${Math.round(r.goimg.rssKB / 1024)} MB`,
);
console.log(
  `    goimg adds to node -e 0           wall ${ms(r.goimg.wall - r.node.wall)}, cpu ${ms(r.goimg.cpu - r.node.cpu)}`,
);
if (EXTRA_CA_SET) {
  // Node parses the bundle at every start, goimg's and node -e 0's alike.
  console.log(`  NODE_EXTRA_CA_CERTS is set; node -e 0 without it: ${both(r.nodeBare)}`);
}
console.log(`  ${go.version} version -m               ${both(r.goVersionM)}`);
console.log(`  ratio goimg / go version -m       ${(r.goimg.wall / r.goVersionM.wall).toFixed(1)}x`);
