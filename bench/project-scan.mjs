#!/usr/bin/env node
// goimg's project scan and context sizing against their anchors, side by side in one run:
//   scanProject(DIR)            vs  `go list -e -json ./...` (the go command reading the same tree)
//   contextSize(DIR, filter)    vs  `tar -c DIR | wc -c`      (a plain walk-and-read of the same files)
// Usage: node bench/project-scan.mjs [DIR] [RUNS]   (default DIR: the Go toolchain's src/net/http tree,
// then the whole standard library; run `npx tsc -p .` first)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { contextSize, makeFilter } from '../dist/src/context/index.js';
import { findGoToolchain } from '../dist/src/env/go-toolchains.js';
import { scanProject } from '../dist/src/project/index.js';

const go = findGoToolchain();
const runs = Number(process.argv[3] ?? 5);
const dirs = process.argv[2]
  ? [process.argv[2]]
  : go
    ? [join(go.goroot, 'src/net/http'), join(go.goroot, 'src')]
    : [];
if (dirs.length === 0) {
  console.error('no Go toolchain found and no DIR given');
  process.exit(2);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(fn) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), result };
}

console.log(`# ${new Date().toISOString()} node ${process.version}, ${runs} runs each, medians`);
for (const dir of dirs) {
  const scan = await timeIt(() => scanProject(dir));
  const stats = scan.result.stats;
  const anchor = await timeIt(() => {
    const r = spawnSync(go.go, ['list', '-e', '-json', './...'], {
      cwd: dir,
      env: { ...process.env, GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      maxBuffer: 1 << 30,
    });
    return r.status;
  });
  console.log(
    `scan ${dir}: ${stats.goFiles} .go files read (${(stats.bytes / 1e6).toFixed(1)} MB), ${scan.result.packages.length} packages` +
      ` | goimg ${scan.ms.toFixed(0)} ms, go list ${anchor.ms.toFixed(0)} ms, ratio ${(scan.ms / anchor.ms).toFixed(2)}`,
  );
  const size = await timeIt(() => contextSize(dir, makeFilter([])));
  const tar = await timeIt(() => spawnSync('sh', ['-c', `tar -C '${dir}' -c . | wc -c`]).status);
  console.log(
    `context ${dir}: ${size.result.files} files, ${(size.result.transferBytes / 1e6).toFixed(2)} MB to transfer` +
      ` | goimg ${size.ms.toFixed(0)} ms, tar|wc ${tar.ms.toFixed(0)} ms, ratio ${(size.ms / tar.ms).toFixed(2)}`,
  );
}
