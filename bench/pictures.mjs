#!/usr/bin/env node
// goimg's pictures at scale: the page of a generated 1 GB image with 100,000 files (and Debian's
// dockerd inside it), and the page of /usr/sbin/dockerd alone. For each: the page's size against
// its 5 MB budget, and the time to open it in headless Chromium (navigation to the load event,
// the treemap drawn by then) against its 2 s budget, medians of interleaved runs.
// The image is an uncompressed OCI layout written here without an engine (kept in
// $TMPDIR/goimg-bench-pictures for later runs).
// Needs Chromium at /usr/bin/chromium and dockerd at /usr/sbin/dockerd.
// Usage: node bench/pictures.mjs [runs=5]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { chromium } from 'playwright-core';
import tar from 'tar-stream';

const runs = Number(process.argv[2] ?? 5);
const goimg = new URL('../bin/goimg.js', import.meta.url).pathname;
const DOCKERD = '/usr/sbin/dockerd';
const dir = join(tmpdir(), 'goimg-bench-pictures');
const FILES = 100_000;
const LAYERS = 4;
const TOTAL = 1_000_000_000;

/** One layer tar streamed to a blob file; returns its digest and size. */
async function writeLayer(index, entries) {
  const pack = tar.pack();
  const hash = createHash('sha256');
  let size = 0;
  const tmp = join(dir, `layer-${index}.tmp`);
  const done = pipeline(
    pack,
    async function* (src) {
      for await (const chunk of src) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(tmp),
  );
  for (const e of entries) {
    await new Promise((resolve, reject) =>
      pack.entry(
        { name: e.name, size: e.data.length, mode: e.mode ?? 0o644, mtime: new Date(0) },
        e.data,
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  pack.finalize();
  await done;
  const digest = `sha256:${hash.digest('hex')}`;
  renameSync(tmp, join(dir, 'blobs', 'sha256', digest.slice(7)));
  return { digest, size };
}

function* generatedFiles(layer) {
  // Sizes vary from 1 to 19 kB so the files make up 1 GB with dockerd's bytes on top.
  const perLayer = FILES / LAYERS;
  const average = (TOTAL - statSync(DOCKERD).size) / FILES;
  const zeros = Buffer.alloc(Math.ceil(average * 2));
  for (let i = 0; i < perLayer; i++) {
    const n = layer * perLayer + i;
    const size = Math.round(average * (0.1 + (1.8 * ((n * 7919) % 1000)) / 1000));
    yield {
      name: `srv/data${layer}/d${n % 100}/e${Math.floor(n / 100) % 25}/f${n}.bin`,
      data: zeros.subarray(0, size),
    };
  }
}

async function ensureImage() {
  if (existsSync(join(dir, 'index.json'))) return;
  console.error('[bench] writing a 1 GB OCI layout with 100,000 files (once)...');
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const layers = [];
  for (let l = 0; l < LAYERS; l++) {
    const entries = [...generatedFiles(l)];
    if (l === LAYERS - 1) entries.push({ name: 'usr/bin/dockerd', data: readFileSync(DOCKERD), mode: 0o755 });
    layers.push(await writeLayer(l, entries));
  }
  const put = (text) => {
    const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), text);
    return { digest, size: Buffer.byteLength(text) };
  };
  const config = put(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: ['/usr/bin/dockerd'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      history: layers.map((_l, i) => ({ created_by: `COPY data${i} /srv/data${i}` })),
    }),
  );
  const manifest = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l })),
    }),
  );
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }],
    }),
  );
}

function page(args, out) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(goimg, [...args, '--html', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`goimg ${args.join(' ')} failed: ${r.stderr}`);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes: statSync(out).size };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await ensureImage();
const pages = {
  'image 1 GB / 100k files': {
    file: join(tmpdir(), 'goimg-bench-pictures-image.html'),
    args: ['image', `oci:${dir}`],
  },
  'dockerd binary': { file: join(tmpdir(), 'goimg-bench-pictures-dockerd.html'), args: ['binary', DOCKERD] },
};
for (const p of Object.values(pages)) Object.assign(p, page(p.args, p.file));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const times = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, p] of Object.entries(pages)) {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const t0 = process.hrtime.bigint();
    await tab.goto(`file://${p.file}`, { waitUntil: 'load' });
    const drawn = await tab.$$eval('#treemap .node', (n) => n.length);
    times[name].push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (drawn === 0) throw new Error(`${name}: nothing drawn`);
    await tab.close();
  }
}
await browser.close();

const load = (await import('node:os'))
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
console.log(`load average ${load}; ${runs} runs each`);
console.log('page                      page size   /5 MB   open (median)  /2 s   goimg writes it in');
for (const [name, p] of Object.entries(pages)) {
  const open = median(times[name]);
  console.log(
    `${name.padEnd(25)} ${(p.bytes / 1e6).toFixed(2).padStart(7)} MB  ${(p.bytes / 5e6).toFixed(2)}   ${open.toFixed(2).padStart(8)} s    ${(open / 2).toFixed(2)}   ${p.seconds.toFixed(1)} s`,
  );
}
