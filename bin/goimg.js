#!/usr/bin/env node
// goimg's command-line entry. A plain Node script, so that npm, npx, pnpm and yarn (and their
// Windows shims, which read this first line) run it the same way everywhere.
import { statSync } from 'node:fs';

// The CLI runs from the esbuild bundle in dist/cli (fewer files to load at start-up). In a
// checkout, a tsc run after the last bundle (the usual edit-compile-test loop) leaves the bundle
// stale: then the tsc output runs, so the CLI is always the code just compiled. The published
// package has no src/ and always runs the bundle.
const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = mtime('../dist/cli/main.js');
const stale =
  bundle !== undefined &&
  mtime('../src/cli/main.ts') !== undefined &&
  mtime('../dist/src/cli/main.js') > bundle;

const entry = bundle === undefined || stale ? '../dist/src/cli/main.js' : '../dist/cli/main.js';
if (mtime(entry) === undefined) {
  process.stderr.write("goimg: this checkout is not built yet: run 'npm ci' (or 'npm run build')\n");
  process.exit(3);
}
const { main } = await import(entry);

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Everything goimg does is awaited by then; what may still hold the process open is idle, such
  // as an HTTP client's keep-alive connections. Flush stdout and stderr, then exit.
  let open = 2;
  const flushed = () => {
    open -= 1;
    if (open === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
});
