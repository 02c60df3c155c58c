#!/bin/sh
':' /*
# This part is shell; to JavaScript it is a string and a comment.
# `goimg build`: start last time's `go build` for this command line before Node starts (Node takes
# 25-30 ms to start; src/build/early-plans.ts writes the plans, src/build/early-build.ts adopts
# the run if it is still the right build, and stops it if not).
if [ "$1" = build ]; then
  # The cache directory, by the rule of src/build/cache-dir.ts.
  if [ -n "${GOIMG_CACHE_DIR+set}" ]; then goimg_cache=$GOIMG_CACHE_DIR; [ "$goimg_cache" = off ] && goimg_cache=
  elif [ -n "$XDG_CACHE_HOME" ]; then goimg_cache=$XDG_CACHE_HOME/goimg
  else goimg_cache=${HOME:+$HOME/.cache/goimg}
  fi
  if [ -n "$goimg_cache" ] && [ -f "$goimg_cache/early/plans.sh" ]; then . "$goimg_cache/early/plans.sh"; fi
  unset goimg_cache
fi
# Node 20 parses every certificate in NODE_EXTRA_CA_CERTS while it starts (nodejs/node#40524):
# 50-60 ms with Debian's bundle, more than the rest of goimg's start-up. Move the path aside to
# GOIMG_EXTRA_CA_CERTS; src/core/launch-env.ts puts it back for the programs goimg runs, and the
# registry client adds those certificates itself, only when it opens a TLS connection.
if [ -n "$NODE_EXTRA_CA_CERTS" ]; then
  GOIMG_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export GOIMG_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi
exec node "$0" "$@"
*/
// `node bin/goimg.js` (no shell) works too, and simply pays the start-up cost (and starts no
// `go build` early).
import { existsSync, readdirSync, statSync } from 'node:fs';

// The CLI runs from the esbuild bundle in dist/cli. In a checkout, a tsc run after the last bundle
// (the usual edit-compile-test loop) leaves the bundle stale: then the tsc output runs, so the CLI
// is always the code just compiled. The published package has no src/ and always runs the bundle.
const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = mtime('../dist/cli/main.js');
const stale =
  bundle !== undefined &&
  mtime('../src/cli/main.ts') !== undefined &&
  mtime('../dist/src/cli/main.js') > bundle;
const fromTsc = bundle === undefined || stale;

/**
 * With an early `go build` running (GOIMG_EARLY_RUN, from the shell part above), goimg has nothing
 * to do before go links: until then go keeps every core busy (loading packages, checking its cache,
 * compiling), while its linker mostly runs on one. So the rest of goimg's start-up waits for the
 * link to begin (go's work directory gets `b001/exe`), for go to finish (no relink), or 200 ms at
 * most (a long compile: then a stale plan is still found out early).
 */
async function untilGoLinks(run, gotmp) {
  const deadline = performance.now() + 200;
  const linking = () => {
    try {
      return readdirSync(gotmp).some((d) => d.startsWith('go-build') && existsSync(`${gotmp}/${d}/b001/exe`));
    } catch {
      return false;
    }
  };
  while (!existsSync(`${run}/status`) && !linking() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
const early = process.env.GOIMG_EARLY_RUN;
// The first platform's run (a plans.sh of an older goimg put its only run in the directory itself).
const run = early && existsSync(`${early}/0`) ? `${early}/0` : early;
if (run) await untilGoLinks(run, process.env.GOTMPDIR || `${run}/tmp`);

const { main } = await import(fromTsc ? '../dist/src/cli/main.js' : '../dist/cli/main.js');

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
