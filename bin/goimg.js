#!/bin/sh
':' //; [ -n "$NODE_EXTRA_CA_CERTS" ] && exec env -u NODE_EXTRA_CA_CERTS GOIMG_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" node "$0" "$@"; exec node "$0" "$@"
// The line above is shell, and a string plus a comment to JavaScript. Node 20 parses every
// certificate in NODE_EXTRA_CA_CERTS while it starts (nodejs/node#40524): 50-60 ms with Debian's
// bundle, more than the rest of `goimg` start-up. So the launcher moves the path aside to
// GOIMG_EXTRA_CA_CERTS; src/core/launch-env.ts puts it back for the programs goimg runs, and the
// registry client adds those certificates itself, only when it opens a TLS connection.
// `node bin/goimg.js` (no shell) works too, and simply pays the start-up cost.
import { statSync } from 'node:fs';

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
// A rebuild's cost is mostly `go build`: start last time's before loading anything else
// (src/build/early-build.ts; the build checks it is still the right one, and stops it if not).
const launch = {};
if (process.argv[2] === 'build') {
  const early = fromTsc ? '../dist/src/build/early-build.js' : '../dist/cli/early-build.js';
  launch.earlyBuild = (await import(early)).startEarlyBuild(process.argv.slice(3));
}
const { main } = await import(fromTsc ? '../dist/src/cli/main.js' : '../dist/cli/main.js');

main(process.argv.slice(2), launch).then((code) => {
  process.exitCode = code;
  // Everything goimg does is awaited by then; what may still hold the process open is idle, such
  // as fetch's keep-alive connections (~65 ms). Flush stdout and stderr, then exit.
  let open = 2;
  const flushed = () => {
    open -= 1;
    if (open === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
});
