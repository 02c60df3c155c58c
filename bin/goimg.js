#!/usr/bin/env node
import { statSync } from 'node:fs';

// The CLI runs from the esbuild bundle in dist/cli (docs/readme/build-pipeline.md). In a checkout,
// a tsc run after the last bundle (the usual edit-compile-test loop) leaves the bundle stale: then
// the tsc output runs, so the CLI is always the code just compiled. The published package has no
// src/ and always runs the bundle.
const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = mtime('../dist/cli/main.js');
const stale =
  bundle !== undefined &&
  mtime('../src/cli/main.ts') !== undefined &&
  mtime('../dist/src/cli/main.js') > bundle;
const entry = bundle === undefined || stale ? '../dist/src/cli/main.js' : '../dist/cli/main.js';
const { main } = await import(entry);

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
