#!/usr/bin/env node
// Library throughput of the audit on >= 500 generated Dockerfiles (10-80 lines), one core,
// next to parse-only and dockerfile-ast-only figures (the anchor: the parser goimg builds on).
// Usage: node bench/audit-throughput.mjs [count]
import { performance } from 'node:perf_hooks';
import { corpus } from './audit-corpus.mjs';

const n = Number(process.argv[2] ?? 1000);
const files = corpus(n);
const lines = files.map((f) => f.split('\n').length);

let t = performance.now();
const { DockerfileParser } = await import('dockerfile-ast');
const importAst = performance.now() - t;
t = performance.now();
const { auditDockerfile } = await import('../dist/src/audit/engine.js');
const { parseDockerfile } = await import('../dist/src/dockerfile/parse.js');
const importAudit = performance.now() - t;

const project = {
  root: '/p',
  goMod: {
    file: 'go.mod',
    module: 'example.com/svc',
    go: '1.22',
    requires: [{ path: 'github.com/google/uuid', version: 'v1.6.0', indirect: false, line: 5 }],
    replaces: [],
    excludes: [],
  },
  hasGoSum: true,
  vendored: false,
  mainPackages: ['cmd/app'],
  packages: [],
  cgoRequired: false,
  cgoEvidence: [{ kind: 'net', package: 'example.com/svc', file: 'main.go', line: 4, via: 'net/http' }],
  usesTls: true,
  loadsTimeZones: true,
  embedsTzdata: false,
  ports: [8080],
  localReplaceDirs: [],
};
const context = {
  isExcluded: () => false,
  prefix: '',
  dockerignore: { file: '.dockerignore', text: '.git' },
};

// Files per second of CPU time (user + system of this process, i.e. one core): robust on a busy
// machine, where wall time also counts waiting for the CPU. Best of `rounds`.
function rate(fn, rounds = 3) {
  let best = Infinity;
  let bestWall = Infinity;
  for (let k = 0; k < rounds; k++) {
    const c = process.cpuUsage();
    const s = performance.now();
    for (const text of files) fn(text);
    const used = process.cpuUsage(c);
    best = Math.min(best, (used.user + used.system) / 1000);
    bestWall = Math.min(bestWall, performance.now() - s);
  }
  return { ms: best, perSec: (files.length / best) * 1000, wallPerSec: (files.length / bestWall) * 1000 };
}

// Warm up the JIT once, then measure.
for (const text of files.slice(0, 100)) auditDockerfile({ file: 'Dockerfile', text, project, context });
const ast = rate((text) => DockerfileParser.parse(text));
// RUN's shell words are split when first read: read them all, as the audit does.
const parse = rate((text) => {
  for (const ins of parseDockerfile(text).model.instructions) void ins.commands.length;
});
let findings = 0;
const full = rate((text) => {
  findings += auditDockerfile({ file: 'Dockerfile', text, project, context }).length;
});

console.log(
  `corpus: ${files.length} Dockerfiles, ${Math.min(...lines)}-${Math.max(...lines)} lines (mean ${(lines.reduce((a, b) => a + b, 0) / lines.length).toFixed(1)})`,
);
console.log(
  `import dockerfile-ast: ${importAst.toFixed(1)} ms; import audit engine (rules, parser): ${importAudit.toFixed(1)} ms`,
);
console.log(
  `dockerfile-ast parse only (anchor): ${ast.perSec.toFixed(0)} files/s per CPU second (wall: ${ast.wallPerSec.toFixed(0)}/s)`,
);
console.log(
  `goimg parse (model, RUN words):     ${parse.perSec.toFixed(0)} files/s per CPU second (wall: ${parse.wallPerSec.toFixed(0)}/s)`,
);
console.log(
  `goimg audit (parse + 32 rules):     ${full.perSec.toFixed(0)} files/s per CPU second (wall: ${full.wallPerSec.toFixed(0)}/s), ${(findings / 3 / files.length).toFixed(1)} findings/file`,
);
console.log(
  `goimg parse vs dockerfile-ast parse: ${(parse.perSec / ast.perSec).toFixed(2)}x; full audit vs dockerfile-ast parse alone: ${(full.perSec / ast.perSec).toFixed(2)}x; target > 2000 audits per CPU second -> ${full.perSec > 2000 ? 'met' : 'NOT met'}`,
);
