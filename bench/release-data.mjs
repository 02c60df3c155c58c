#!/usr/bin/env node
// What release data costs `goimg audit examples/seed-article`: offline (the bundled snapshot, the
// anchor) next to a fresh cached copy, a fetch on every run (from a loopback server answering
// with go.dev's and endoflife.date's formats), and an unreachable network (connection refused)
// on a first run and on later runs (the failure is remembered for an hour). Runs interleaved;
// prints medians and each one's ratio to the offline run.
// Usage: node bench/release-data.mjs [runs]
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/goimg.js`;
const target = `${root}examples/seed-article`;
const fixtures = join(root, 'test', 'fixtures', 'releases');
const bodies = {
  '/dl/': readFileSync(join(fixtures, 'go-dl.json')),
  '/eol/alpine-linux/': readFileSync(join(fixtures, 'eol-alpine-linux.json')),
  '/eol/debian/': readFileSync(join(fixtures, 'eol-debian.json')),
  '/eol/ubuntu/': readFileSync(join(fixtures, 'eol-ubuntu.json')),
};
const server = createServer((req, res) => {
  const key = Object.keys(bodies).find((k) => req.url.startsWith(k));
  res.writeHead(key ? 200 : 404, { 'content-type': 'application/json' });
  res.end(key ? bodies[key] : '');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const tmp = mkdtempSync(join(tmpdir(), 'goimg-bench-releases-'));
let n = 0;
const freshDir = () => join(tmp, `c${n++}`);

function time(env) {
  return new Promise((resolve, reject) => {
    const s = process.hrtime.bigint();
    execFile(
      process.execPath,
      [bin, 'audit', target, '--format', 'json', '--fail-on', 'never'],
      { env: { ...process.env, NO_COLOR: '1', HTTP_PROXY: '', http_proxy: '', ...env } },
      (err, _out, stderr) =>
        err ? reject(new Error(stderr)) : resolve(Number(process.hrtime.bigint() - s) / 1e6),
    );
  });
}

const served = { GOIMG_GO_INDEX_URL: `${base}/dl/?mode=json&include=all`, GOIMG_EOL_API_URL: `${base}/eol/` };
const refused = {
  GOIMG_GO_INDEX_URL: 'http://127.0.0.1:1/dl/',
  GOIMG_EOL_API_URL: 'http://127.0.0.1:1/eol/',
};
const cached = freshDir();
const refusedLater = freshDir();
const cases = {
  'offline (GOIMG_OFFLINE=1, anchor)': () => ({ GOIMG_OFFLINE: '1', GOIMG_CACHE_DIR: freshDir() }),
  'fresh cached copy': () => ({ ...served, GOIMG_OFFLINE: '', GOIMG_CACHE_DIR: cached }),
  'fetch every run (loopback server)': () => ({ ...served, GOIMG_OFFLINE: '', GOIMG_CACHE_DIR: freshDir() }),
  'unreachable, first run': () => ({ ...refused, GOIMG_OFFLINE: '', GOIMG_CACHE_DIR: freshDir() }),
  'unreachable, later runs': () => ({ ...refused, GOIMG_OFFLINE: '', GOIMG_CACHE_DIR: refusedLater }),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
// Warm-up, which also fills the cache and records the refused fetch.
for (const make of Object.values(cases)) await time(make());
for (let i = 0; i < runs; i++)
  for (const [name, make] of Object.entries(cases)) times[name].push(await time(make()));
server.close();
rmSync(tmp, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const anchor = median(times['offline (GOIMG_OFFLINE=1, anchor)']);
console.log(`goimg audit examples/seed-article, ${runs} runs each, load average ${loadavg()[0].toFixed(2)}`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`${name.padEnd(36)} median ${m.toFixed(1).padStart(7)} ms   ratio ${(m / anchor).toFixed(2)}x`);
}
