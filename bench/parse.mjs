#!/usr/bin/env node
// goimg's Dockerfile parser next to BuildKit's (bkdump, built from the oracle folder) on the
// same files in one run: per-file parse time on a 10,000-instruction file (ENV and RUN
// alternating; also with every RUN's shell commands read, which the model splits on demand)
// and on the median of BuildKit's parser test files, the heap the 10k file's model holds, and
// `goimg audit` start-up next to `node -e 0`.
// Targets: at most 2x BuildKit's time per file, under 50 MB, start-up under 2x.
// Usage: npm run build && node bench/parse.mjs [repeats]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from '../dist/src/dockerfile/parse.js';
import { buildBkdump, goBinary, oracleDir, runBkdump } from '../dist/test/unit/dockerfile/bkdump.js';

const repeats = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const oracle = oracleDir();
const go = goBinary();
if (!oracle || !go) {
  console.error("needs BuildKit's parser oracle folder (GOIMG_BUILDKIT_ORACLE) and Go 1.23");
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(join(tmpdir(), 'goimg-parse-bench-'));
const bin = buildBkdump(oracle, go);
try {
  const big = `FROM golang:1.23\n${Array.from({ length: 10000 }, (_, i) =>
    i % 2 ? `RUN echo $V${i - 1} && go build ./...\n` : `ENV V${i}=x${i}\n`,
  ).join('')}`;
  const files = [{ name: '10k ENV/RUN', text: big }];
  const dir = join(oracle, 'testfiles', 'positive');
  for (const name of readdirSync(dir).sort()) {
    try {
      files.push({ name, text: readFileSync(join(dir, name, 'Dockerfile'), 'utf8') });
    } catch {
      // no Dockerfile in this folder
    }
  }
  const paths = files.map((f, i) => {
    const p = join(work, String(i));
    writeFileSync(p, f.text);
    return p;
  });

  // Alternate the two parsers, `repeats` rounds; per file, the median of the rounds.
  const ours = files.map(() => []);
  const theirs = files.map(() => []);
  for (let r = 0; r < repeats; r++) {
    for (const [i, res] of runBkdump(bin, paths).entries()) theirs[i].push(res.micros / 1000);
    for (const [i, f] of files.entries()) {
      const t = process.hrtime.bigint();
      parseDockerfile(f.text);
      ours[i].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  // RUN's shell commands are split when first read: the 10k file again with every one read,
  // as an audit reads them.
  const withCommands = [];
  for (let r = 0; r < repeats; r++) {
    const t = process.hrtime.bigint();
    for (const ins of parseDockerfile(files[0].text).model.instructions) void ins.commands.length;
    withCommands.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const oursMed = ours.map(median);
  const theirsMed = theirs.map(median);
  const line = (label, a, b) =>
    console.log(
      `${label.padEnd(34)} goimg ${a.toFixed(3).padStart(8)} ms  BuildKit ${b.toFixed(3).padStart(8)} ms  ratio ${(a / b).toFixed(2)}x`,
    );
  line('10,000 instructions (ENV/RUN):', oursMed[0], theirsMed[0]);
  line('  the same, RUN commands read too:', median(withCommands), theirsMed[0]);
  const testIdx = files.map((_, i) => i).slice(1);
  const byTheirs = [...testIdx].sort((a, b) => theirsMed[a] - theirsMed[b]);
  const mid = byTheirs[Math.floor(byTheirs.length / 2)];
  line(`median test file (${files[mid].name}):`, oursMed[mid], theirsMed[mid]);
  const sumOurs = testIdx.reduce((s, i) => s + oursMed[i], 0);
  const sumTheirs = testIdx.reduce((s, i) => s + theirsMed[i], 0);
  line(`all ${testIdx.length} test files (sum):`, sumOurs, sumTheirs);

  // Heap held by the 10k file's model, and the peak while parsing it.
  if (global.gc) {
    global.gc();
    const before = process.memoryUsage().heapUsed;
    const kept = parseDockerfile(big);
    const peak = process.memoryUsage().heapUsed;
    global.gc();
    const after = process.memoryUsage().heapUsed;
    console.log(
      `10k file memory: model holds ${((after - before) / 1e6).toFixed(1)} MB, heap grew ${((peak - before) / 1e6).toFixed(1)} MB while parsing (target < 50 MB); ${kept.model.instructions.length} instructions`,
    );
  } else console.log('memory: run with node --expose-gc bench/parse.mjs for the 10k file memory figure');

  // Start-up: `goimg audit` on a one-file directory next to `node -e 0`, alternately.
  const proj = join(work, 'proj');
  spawnSync('mkdir', ['-p', proj]);
  writeFileSync(
    join(proj, 'Dockerfile'),
    'FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n',
  );
  const time = (args) => {
    const s = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' } });
    return Number(process.hrtime.bigint() - s) / 1e6;
  };
  const bare = [];
  const audit = [];
  for (let i = 0; i < 3; i++) time([join(root, 'bin/goimg.js'), 'audit', proj]);
  for (let i = 0; i < repeats; i++) {
    bare.push(time(['-e', '0']));
    audit.push(time([join(root, 'bin/goimg.js'), 'audit', proj, '--format', 'json']));
  }
  console.log(
    `audit start-up: goimg ${median(audit).toFixed(1)} ms, node -e 0 ${median(bare).toFixed(1)} ms, ratio ${(median(audit) / median(bare)).toFixed(2)}x (target < 2x)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(join(bin, '..'), { recursive: true, force: true });
}
