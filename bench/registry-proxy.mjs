#!/usr/bin/env node
/**
 * The registry client through an HTTP proxy, side by side with a direct connection in one run:
 *  1. push of an image with a 20 MiB layer to a fresh repository of the loopback registry,
 *     in process (the library's pushBuild), direct vs through tinyproxy on loopback;
 *  2. pull: `goimg image docker://... --format json` as a whole process, direct vs proxied.
 * Rounds alternate the two variants in a rotating order; medians and the median of the per-round
 * ratios are printed, with the proxy's forwarded-request count as proof of the route.
 * Usage: npm run build && node bench/registry-proxy.mjs [ROUNDS]
 * Needs the loopback registry (scripts/setup-env.sh) and tinyproxy (Debian's tinyproxy-bin).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROUNDS = Number(process.argv[2] ?? 7);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REG = process.env.GOIMG_TEST_REGISTRY ?? '127.0.0.1:5055';
const dist = (rel) => import(pathToFileURL(join(ROOT, 'dist', rel)).href);

const { pushBuild } = await dist('src/registry/push.js');
const { hasTinyproxy, startTinyproxy } = await dist('test/helpers/tinyproxy.js');
const { writeLayout } = await dist('test/unit/image/layout.js');

if (!hasTinyproxy()) {
  console.error('tinyproxy is not installed (apt-get install tinyproxy-bin)');
  process.exit(3);
}

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'];
function setProxy(url) {
  for (const n of [...PROXY_VARS, ...PROXY_VARS.map((v) => v.toLowerCase())]) delete process.env[n];
  if (url) process.env.HTTP_PROXY = url;
}

function storedImages(layout) {
  const blob = (digest) => join(layout.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  const bytes = readFileSync(blob(layout.manifestDigest));
  const manifest = JSON.parse(bytes.toString('utf8'));
  const top = { mediaType: manifest.mediaType, digest: layout.manifestDigest, size: bytes.length };
  return {
    store: { path: blob },
    images: [{ manifest: top, config: manifest.config, layers: manifest.layers }],
    top,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const proxy = await startTinyproxy();
try {
  const layout = await writeLayout({
    config: { Entrypoint: ['/bin/app'] },
    layers: [
      { entries: [{ name: 'bin/app', data: '#!/bin/sh\n', mode: 0o755 }] },
      { entries: [{ name: 'data/blob', data: randomBytes(20 * 1024 * 1024) }] },
    ],
  });
  const images = storedImages(layout);
  const pushMs = { direct: [], proxy: [] };
  const pullMs = { direct: [], proxy: [] };
  const pushRatios = [];
  const pullRatios = [];
  const before = proxy.forwarded().length;
  let pulledRef = '';
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['direct', 'proxy'] : ['proxy', 'direct'];
    const t = {};
    for (const v of order) {
      setProxy(v === 'proxy' ? proxy.url : null);
      const ref = `${REG}/goimg-bench/proxy-${process.pid}-${round}-${v}:v1`;
      const t0 = performance.now();
      await pushBuild(images, ref, { insecure: true });
      t[`push-${v}`] = performance.now() - t0;
      pushMs[v].push(t[`push-${v}`]);
      pulledRef = ref;
    }
    for (const v of order) {
      const env = { ...process.env };
      for (const n of [...PROXY_VARS, ...PROXY_VARS.map((x) => x.toLowerCase())]) delete env[n];
      if (v === 'proxy') env.HTTP_PROXY = proxy.url;
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          join(ROOT, 'bin', 'goimg.js'),
          'image',
          `docker://${pulledRef}`,
          '--insecure',
          '--format',
          'json',
          '--fail-on',
          'never',
        ],
        { env, encoding: 'utf8' },
      );
      t[`pull-${v}`] = performance.now() - t0;
      if (r.status !== 0) throw new Error(`goimg image failed: ${r.stderr}`);
      pullMs[v].push(t[`pull-${v}`]);
    }
    pushRatios.push(t['push-proxy'] / t['push-direct']);
    pullRatios.push(t['pull-proxy'] / t['pull-direct']);
  }
  setProxy(null);
  const forwarded = proxy.forwarded().length - before;
  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  console.log(
    `registry-proxy: ${ROUNDS} rounds, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `push 20 MiB layer  direct ${fmt(median(pushMs.direct))}  proxy ${fmt(median(pushMs.proxy))}  ratio ${median(pushRatios).toFixed(2)}x`,
  );
  console.log(
    `goimg image pull   direct ${fmt(median(pullMs.direct))}  proxy ${fmt(median(pullMs.proxy))}  ratio ${median(pullRatios).toFixed(2)}x`,
  );
  console.log(`requests the proxy forwarded: ${forwarded}`);
  if (forwarded === 0) {
    console.error('the proxy forwarded nothing: the proxied variants did not go through it');
    process.exitCode = 1;
  }
} finally {
  await proxy.stop();
}
