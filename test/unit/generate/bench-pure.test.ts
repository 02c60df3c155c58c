import assert from 'node:assert/strict';
import { test } from 'node:test';
import { charts, renderHtml } from '../../../src/bench/html.js';
import {
  cacheMountRunCommands,
  isolateCacheMounts,
  stripSyntaxDirective,
} from '../../../src/bench/isolate.js';
import type { BenchReport } from '../../../src/bench/report.js';
import { entrypointPath, median } from '../../../src/bench/run.js';
import { unifiedDiff } from '../../../src/fix/index.js';

const DF = `# syntax=docker/dockerfile:1
FROM golang:1.23 AS build
RUN --mount=type=cache,target=/go/pkg/mod \\
    --mount=type=bind,source=go.mod,target=go.mod \\
    go mod download
RUN --mount=type=cache,id=gobuild,target=/root/.cache/go-build,sharing=locked go build -o /out/app .
`;

test('bench isolation: every cache mount gets a unique id; other mounts stay; the syntax line can go', () => {
  const out = isolateCacheMounts(DF, 'run1-0');
  assert.match(out, /--mount=type=cache,target=\/go\/pkg\/mod,id=goimg-bench-run1-0:\/go\/pkg\/mod \\/);
  assert.match(
    out,
    /--mount=type=cache,target=\/root\/\.cache\/go-build,sharing=locked,id=goimg-bench-run1-0:gobuild /,
  );
  assert.match(out, /--mount=type=bind,source=go\.mod,target=go\.mod \\/);
  assert.equal(stripSyntaxDirective(out).split('\n')[0], 'FROM golang:1.23 AS build');
  assert.equal(stripSyntaxDirective('FROM x\n# syntax=foo\n'), 'FROM x\n# syntax=foo\n');
  assert.deepEqual(cacheMountRunCommands(DF), ['go mod download', 'go build -o /out/app .']);
});

test('entrypoint resolution, medians', () => {
  assert.equal(entrypointPath({ Entrypoint: ['/app'] }), '/app');
  assert.equal(entrypointPath({ Cmd: ['./main'], WorkingDir: '/app' }), '/app/main');
  assert.equal(entrypointPath({ Entrypoint: ['/bin/sh', '-c', 'x'] }), null);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
});

test('unified diff of a generated file against an existing one', () => {
  const d = unifiedDiff('Dockerfile', 'a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n');
  assert.equal(d, '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,4 +1,5 @@\n a\n-b\n+B\n c\n d\n+e\n');
});

test('HTML report: self-contained, one bar per variant and measure with the exact value', () => {
  const report: BenchReport = {
    version: 1,
    project: '/p<x>',
    date: '2026-01-01T00:00:00.000Z',
    machine: { cpus: 2, memoryBytes: 1, os: 'linux' },
    engine: { version: '20.10', client: '/usr/bin/docker', mode: 'classic' },
    edits: { sourceChange: 's', depChange: 'd' },
    runs: 1,
    variants: ['current', 'goimg'].map((name, i) => ({
      name,
      dockerfile: name,
      ok: true,
      error: null,
      imageSize: 1000 * (i + 1),
      binaryPath: '/app',
      binarySize: 900,
      overheadBytes: 100,
      timings: { cold: 10, noChange: 0.1, sourceChange: i === 0 ? 20 : 2, depChange: null },
      starts: true,
      startDetail: 'HTTP 200',
      verification: null,
      notes: [],
    })),
    host: { go: 'go1.23', goBuildIncremental: 0.5, strippedBinarySize: 900, error: null },
    notes: [],
  };
  const html = renderHtml(report);
  assert.doesNotMatch(html, /<script src|<link |https?:\/\/(?!www\.w3)/);
  assert.match(html, /\/p&#60;x&#62;/);
  assert.equal((html.match(/<g class="bar"/g) ?? []).length, charts(report).length * 2);
  assert.match(html, /data-metric="sourceChange" data-variant="goimg" data-value="2"/);
  assert.match(html, /data-metric="depChange" data-variant="goimg" data-value=""/);
  assert.match(html, /10\.0×<\/b> faster than current/);
});
