#!/usr/bin/env node
// Seeded, repeatable mutation fuzzing of goimg's binary reader: every input gives a report or an InputError.
// Usage: node scripts/fuzz-binary.mjs [--count N] [--seed S] [--json]
// Seeds are real fixture binaries (64/32-bit, both byte orders, Go 1.15 and 1.23 layouts, cgo,
// UPX with NRV2E and with LZMA). Each input is a seed plus mutations applied through a
// copy-on-read ByteSource, so 100,000 inputs never copy whole files. An input passes when inspectBinary returns a report or
// rejects with an InputError; anything else (TypeError, RangeError, ...) is a bug and is listed
// with the seed and index that reproduce it. Needs `npx tsc -p .` first (imports dist/).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const COUNT = Number(values.count);
const SEED = Number(values.seed);

const dist = new URL('../dist/', import.meta.url);
const { inspectBinary } = await import(new URL('src/binary/index.js', dist));
const { InputError } = await import(new URL('src/core/errors.js', dist));
const { buildFixture } = await import(new URL('test/helpers/go-fixtures.js', dist));

const SEEDS = [
  ['app', 'stripped'],
  ['app', 'go1.15'],
  ['app', '386'],
  ['app', 's390x'],
  ['netuser', 'cgo'],
  ['app', 'upx'],
  ['app', 'upx-lzma'],
  ['app', 'go1.15-386'],
];

/** mulberry32: small, fast, good enough to make runs repeatable. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Interesting places to hit: headers, tables, and the Go-specific sections. */
function hotspots(buf) {
  const spots = [[0, 64]];
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const word = (o) => (is64 ? Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)) : u32(o));
  const phoff = word(is64 ? 32 : 28);
  const shoff = word(is64 ? 40 : 32);
  const phnum = u16(is64 ? 56 : 44);
  const shnum = u16(is64 ? 60 : 48);
  spots.push([phoff, phnum * (is64 ? 56 : 32)]);
  if (shoff && shoff < buf.length) {
    const entsize = is64 ? 64 : 40;
    spots.push([shoff, shnum * entsize]);
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * entsize;
      const off = word(o + (is64 ? 24 : 16));
      const size = word(o + (is64 ? 32 : 20));
      if (off < buf.length) spots.push([off, Math.min(size, 256)]);
    }
  } else {
    spots.push([Math.max(0, buf.length - 64), 64]);
  }
  return spots.filter(([o, n]) => n > 0 && o + n <= buf.length);
}

const INTERESTING = [
  0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x10000, 0xfffffff0, 0xfffffff1, 0xfffffffb,
];

function mutate(base, spots, r) {
  const patches = [];
  let size = base.length;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const [so, sn] = r() < 0.8 ? spots[Math.floor(r() * spots.length)] : [0, base.length];
    const at = so + Math.floor(r() * sn);
    const kind = r();
    if (kind < 0.3) {
      patches.push([at, Buffer.from([base[at] ^ (1 << Math.floor(r() * 8))])]);
    } else if (kind < 0.5) {
      patches.push([at, Buffer.from([INTERESTING[Math.floor(r() * 5)]])]);
    } else if (kind < 0.75) {
      const b = Buffer.alloc(r() < 0.5 ? 4 : 8);
      const v = INTERESTING[Math.floor(r() * INTERESTING.length)];
      if (b.length === 4) b.writeUInt32LE(v >>> 0);
      else b.writeBigUInt64LE(r() < 0.5 ? BigInt(v) : BigInt(base.length + Math.floor(r() * 4096)));
      patches.push([at, r() < 0.5 ? b : b.reverse()]);
    } else if (kind < 0.85) {
      const from = Math.floor(r() * base.length);
      const len = 1 + Math.floor(r() * 64);
      patches.push([at, Buffer.from(base.subarray(from, from + len))]);
    } else {
      size = Math.floor(r() * base.length);
    }
  }
  return { patches, size };
}

/** A ByteSource over `base` with patches applied on read and an optional truncation. */
function overlaySource(base, { patches, size }) {
  return {
    size,
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > size) {
        throw new InputError(`read of ${length} bytes at ${offset} past the end of the file`);
      }
      const out = Buffer.from(base.subarray(offset, offset + length));
      for (const [at, bytes] of patches) {
        const lo = Math.max(at, offset);
        const hi = Math.min(at + bytes.length, offset + length);
        for (let i = lo; i < hi; i++) out[i - offset] = bytes[i - at];
      }
      return out;
    },
  };
}

const seeds = [];
for (const [name, variant] of SEEDS) {
  try {
    const fx = await buildFixture(name, variant);
    const buf = readFileSync(fx.path);
    seeds.push({ label: `${name}/${variant}`, buf, spots: hotspots(buf) });
  } catch (err) {
    console.error(`skipping seed ${name}/${variant}: ${err.message.split('\n')[0]}`);
  }
}
if (seeds.length === 0) {
  console.error('no seed binaries could be built');
  process.exit(3);
}

const started = performance.now();
const r = rng(SEED);
const counts = { report: 0, inputError: 0, bug: 0 };
const bugs = [];
const messages = new Map();
let slowest = { ms: 0, index: -1 };
let peakRss = process.memoryUsage().rss;
for (let i = 0; i < COUNT; i++) {
  const seed = seeds[i % seeds.length];
  const mutation = mutate(seed.buf, seed.spots, r);
  const t0 = performance.now();
  try {
    await inspectBinary(overlaySource(seed.buf, mutation), { name: seed.label });
    counts.report++;
  } catch (err) {
    if (err instanceof InputError) {
      counts.inputError++;
      const key = err.message
        .replace(/^[^:]*: /, '')
        .replace(/\d+/g, 'N')
        .slice(0, 70);
      messages.set(key, (messages.get(key) ?? 0) + 1);
    } else {
      counts.bug++;
      if (bugs.length < 20)
        bugs.push({
          index: i,
          seed: seed.label,
          error: String(err?.stack ?? err)
            .split('\n')
            .slice(0, 3)
            .join(' | '),
        });
    }
  }
  const ms = performance.now() - t0;
  if (ms > slowest.ms) slowest = { ms, index: i };
  if (i % 256 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const elapsed = (performance.now() - started) / 1000;
const summary = {
  inputs: COUNT,
  seed: SEED,
  seeds: seeds.map((s) => s.label),
  ...counts,
  seconds: Number(elapsed.toFixed(1)),
  slowestInputMs: Number(slowest.ms.toFixed(1)),
  slowestIndex: slowest.index,
  peakRssMB: Math.round(peakRss / 1048576),
  topErrors: [...messages].sort((a, b) => b[1] - a[1]).slice(0, 8),
  bugs,
};
if (values.json) console.log(JSON.stringify(summary));
else {
  console.log(
    `fuzz-binary: ${COUNT} inputs (seed ${SEED}) from ${seeds.length} binaries in ${summary.seconds} s`,
  );
  console.log(`  reports ${counts.report}, InputErrors ${counts.inputError}, bugs ${counts.bug}`);
  console.log(
    `  slowest input ${summary.slowestInputMs} ms (#${slowest.index}), peak RSS ${summary.peakRssMB} MB`,
  );
  for (const [m, n] of summary.topErrors) console.log(`  ${String(n).padStart(6)}  ${m}`);
  for (const b of bugs) console.log(`  BUG #${b.index} ${b.seed}: ${b.error}`);
}
process.exit(counts.bug > 0 ? 1 : 0);
