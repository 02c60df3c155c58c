#!/usr/bin/env node
// Replay of 1,000 commits of a generated repository with a few thousand files: goimg cache
// against `git log --name-status` over the same range (the lower bound of reading the history).
// Usage: node bench/cache-replay.mjs [commits=1000] [files=3000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMMITS = Number(process.argv[2] ?? 1000);
const FILES = Number(process.argv[3] ?? 3000);
const root = mkdtempSync(join(tmpdir(), 'goimg-bench-cache-'));
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });

// A project of FILES files, built with fast-import so the setup is quick.
console.log(`generating a repository: ${FILES} files, ${COMMITS} commits`);
git('init', '-q', '-b', 'main');
let stream = '';
let mark = 0;
const blob = (text) => {
  mark++;
  stream += `blob\nmark :${mark}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  return mark;
};
const commit = (msg, changes, n) => {
  stream += `commit refs/heads/main\ncommitter bench <b@x> ${1700000000 + n} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
  for (const [path, m] of changes) stream += m === null ? `D ${path}\n` : `M 100644 :${m} ${path}\n`;
};
const dockerfile = `FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /app ./cmd/app
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
ENTRYPOINT ["/app"]
`;
const initial = [
  ['Dockerfile', blob(dockerfile)],
  ['.dockerignore', blob('.git\n*.md\ndocs/\n')],
  ['go.mod', blob('module example.com/big\n\ngo 1.23\n')],
  ['go.sum', blob('')],
];
for (let i = 0; i < FILES; i++)
  initial.push([`pkg/p${i % 100}/f${i}.go`, blob(`package p${i % 100}\n// ${i}\n`)]);
commit('initial', initial, 0);
for (let c = 1; c <= COMMITS; c++) {
  const kind = c % 10;
  const changes = [];
  if (kind === 0) changes.push(['go.mod', blob(`module example.com/big\n\ngo 1.23\n// ${c}\n`)]);
  else if (kind < 4) changes.push([`docs/d${c}.md`, blob(`doc ${c}\n`)]);
  else
    for (let k = 0; k < 3; k++)
      changes.push([
        `pkg/p${(c + k) % 100}/f${(c * 7 + k) % FILES}.go`,
        blob(`package p${(c + k) % 100}\n// ${c}\n`),
      ]);
  commit(`change ${c}`, changes, c);
}
spawnSync('git', ['fast-import', '--quiet'], { cwd: root, input: stream, maxBuffer: 1 << 30 });
git('checkout', '-q', 'main');

function time(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, out: r.stdout };
}

const goimg = new URL('../bin/goimg.js', import.meta.url).pathname;
const runs = [];
for (let i = 0; i < 3; i++) {
  const base = time('git', ['log', '--name-status', '-n', String(COMMITS), 'HEAD']);
  const ours = time(process.execPath, [
    goimg,
    'cache',
    root,
    '--commits',
    String(COMMITS),
    '--format',
    'json',
  ]);
  const json = JSON.parse(ours.out);
  runs.push({ base: base.ms, ours: ours.ms, commits: json.commits.length, download: json.moduleDownload });
}
runs.sort((a, b) => a.ours - b.ours);
const med = runs[1];
console.log(
  `machine: ${process.arch}, ${(await import('node:os')).cpus().length} cores; load ${(await import('node:os')).loadavg()[0].toFixed(1)}`,
);
console.log(
  `commits replayed: ${med.commits}; module download reused ${med.download.reused}/${med.download.total}`,
);
console.log(`git log --name-status: ${med.base.toFixed(0)} ms`);
console.log(`goimg cache:           ${med.ours.toFixed(0)} ms`);
console.log(`ratio goimg / git log: ${(med.ours / med.base).toFixed(2)}x   (target: goimg under 10 s)`);
if (!process.env.KEEP) rmSync(root, { recursive: true, force: true });
else console.log(root);
