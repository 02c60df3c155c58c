#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts, everything it imports, and the npm dependencies) into dist/cli/
// with esbuild, so `goimg audit` loads ~20 files instead of ~70 ES modules and CommonJS packages. Code splitting keeps the commands'
// dynamic imports (src/cli/commands.ts) lazy: each command is its own chunk, shared code goes into
// common chunks. tsc still type-checks and emits dist/src (the library entry) and dist/test.
// Usage: node scripts/bundle.mjs
import { renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;
const staging = `${root}dist/cli.tmp`;

// Built beside and swapped in, so a goimg started meanwhile (another process runs the tests) never
// sees half a bundle; while dist/cli is absent, bin/goimg.js runs the tsc output.
rmSync(staging, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (yaml, tar-stream, @balena/dockerignore) call require() for Node
  // built-ins, which an ES module lacks: give every chunk one.
  banner: {
    js: "import { createRequire as __goimgCreateRequire } from 'node:module'; const require = __goimgCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
rmSync(outdir, { recursive: true, force: true });
renameSync(staging, outdir);
