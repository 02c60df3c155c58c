#!/usr/bin/env node
// Where reading an engine export goes: the bytes of `GET /images/NAME/get` read after the first
// byte, with nothing analysed, by curl (the anchor) and by Node in three ways: its HTTP client,
// a plain socket with the fresh chunks Node allocates, and a socket reading into one reused
// buffer. Each Node reader also hashes the bytes (as goimg must), and runs in a fresh process as
// goimg does (a warm process reuses memory it already touched, which hides the cost of fresh
// memory). Prints time to first byte, the stream phase and the page faults taken, medians of
// interleaved runs.
// Needs the test engine with the stand-ins (scripts/setup-env.sh) and curl.
// Usage: node bench/engine-read.mjs [IMAGE=debian:bookworm-slim] [runs=5]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';

const image = process.argv[2] ?? 'debian:bookworm-slim';
const runs = Number(process.argv[3] ?? 5);
const host = process.env.GOIMG_TEST_DOCKER_HOST ?? 'unix:///tmp/goimg-dockerd.sock';
const socketPath = host.replace(/^unix:\/\//, '');
const path = `/images/${encodeURIComponent(image)}/get`;

function curl() {
  const r = spawnSync(
    'curl',
    [
      '-s',
      '--unix-socket',
      socketPath,
      `http://docker${path}`,
      '-o',
      '/dev/null',
      '-w',
      '%{time_starttransfer} %{time_total}',
    ],
    { encoding: 'utf8' },
  );
  const [first, total] = r.stdout.split(' ').map(Number);
  return { first: first * 1000, stream: (total - first) * 1000 };
}

/** Reads a chunked answer off a raw socket; resolves at its terminating chunk. */
function socketRead(mode) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const hash = createHash('sha256');
    let first;
    const onBytes = (bytes, socket) => {
      first ??= performance.now();
      hash.update(bytes);
      if (bytes.length >= 5 && bytes.subarray(bytes.length - 5).toString() === '0\r\n\r\n') {
        socket.destroy();
        resolve({ first: first - t0, stream: performance.now() - first });
      }
    };
    const ask = `GET ${path} HTTP/1.1\r\nHost: docker\r\n\r\n`;
    if (mode === 'reused') {
      const buffer = Buffer.allocUnsafe(1 << 20);
      const socket = connect(
        { path: socketPath, onread: { buffer, callback: (n, b) => onBytes(b.subarray(0, n), socket) } },
        () => socket.write(ask),
      );
    } else {
      const socket = connect(socketPath, () => socket.write(ask));
      socket.on('data', (b) => onBytes(b, socket));
    }
  });
}

function httpRead() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const hash = createHash('sha256');
    let first;
    request({ socketPath, path, headers: { Host: 'docker' } }, (res) => {
      res.on('data', (c) => {
        first ??= performance.now();
        hash.update(c);
      });
      res.on('end', () => resolve({ first: first - t0, stream: performance.now() - first }));
    })
      .on('error', reject)
      .end();
  });
}

const readers = {
  curl: async () => curl(),
  'node http client': httpRead,
  'node socket, fresh chunks': () => socketRead('fresh'),
  'node socket, reused 1 MiB buffer': () => socketRead('reused'),
};
if (process.argv[4] === '--child') {
  const faults = process.resourceUsage().minorPageFault;
  const r = await readers[process.argv[5]]();
  console.log(JSON.stringify({ ...r, faults: process.resourceUsage().minorPageFault - faults }));
  process.exit(0);
}
const self = new URL(import.meta.url).pathname;
const results = Object.fromEntries(Object.keys(readers).map((k) => [k, []]));
for (let i = 0; i < runs; i++)
  for (const name of Object.keys(readers)) {
    if (name === 'curl') results[name].push({ ...curl(), faults: 0 });
    else
      results[name].push(
        JSON.parse(execFileSync(process.execPath, [self, image, '1', '--child', name], { encoding: 'utf8' })),
      );
  }
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const anchor = median(results.curl.map((r) => r.stream));
console.table(
  Object.entries(results).map(([reader, rs]) => ({
    reader,
    firstByteMs: median(rs.map((r) => r.first)).toFixed(0),
    streamMs: median(rs.map((r) => r.stream)).toFixed(0),
    vsCurl: (median(rs.map((r) => r.stream)) / anchor).toFixed(2),
    pageFaults: median(rs.map((r) => r.faults)),
  })),
);
