import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeImage, openImage } from '../../../src/image/index.js';
import { buildImageReport } from '../../../src/rules/image/report.js';
import { writeLayout } from './layout.js';

const bytes = (n: number) => Buffer.alloc(n, 0x61);

// Known by construction: every earlier version of an overwritten path, plus deleted paths, once.
//   L0 (gzip):  a 100, dir/b 200, dir/c 300, keep 50, gone/x 40
//   L1 (zstd):  a 120 (overwrites a@0: 100), dir/.wh.b (deletes 200), .wh.gone (deletes 40)
//   L2 (none):  dir/.wh..wh..opq (hides dir/c: 300), dir/d 10, a 130 (overwrites a@1: 120)
// total = 100+200+300+50+40+120+10+130 = 950; waste = 100+200+40+300+120 = 760
test('waste counts every earlier version and every deleted path exactly once', async () => {
  const layout = await writeLayout({
    layers: [
      {
        compression: 'gzip',
        entries: [
          { name: 'a', data: bytes(100) },
          { name: 'dir/', type: 'directory' },
          { name: 'dir/b', data: bytes(200) },
          { name: 'dir/c', data: bytes(300) },
          { name: 'keep', data: bytes(50) },
          { name: 'gone/x', data: bytes(40) },
        ],
      },
      {
        compression: 'zstd',
        entries: [
          { name: 'a', data: bytes(120) },
          { name: 'dir/.wh.b', data: '' },
          { name: '.wh.gone', data: '' },
        ],
      },
      {
        compression: 'none',
        entries: [
          { name: 'dir/.wh..wh..opq', data: '' },
          { name: 'dir/d', data: bytes(10) },
          { name: './a', data: bytes(130) },
        ],
      },
    ],
  });
  const image = await openImage(`oci:${layout.dir}`);
  const analysis = await analyzeImage(image);
  const report = buildImageReport(analysis);
  assert.equal(report.waste.totalBytes, 950);
  assert.equal(report.waste.bytes, 760);
  assert.equal(report.waste.efficiency, 1 - 760 / 950);
  assert.deepEqual(report.waste.paths, [
    { path: '/dir/c', bytes: 300, layers: [0] },
    { path: '/a', bytes: 220, layers: [0, 1] },
    { path: '/dir/b', bytes: 200, layers: [0] },
    { path: '/gone/x', bytes: 40, layers: [0] },
  ]);
  assert.deepEqual(
    [...analysis.fs.walk()].map((f) => f.path),
    ['a', 'dir', 'dir/d', 'keep'],
  );
  assert.deepEqual(
    report.layers.map((l) => l.compression),
    ['gzip', 'zstd', 'none'],
  );
  assert.deepEqual(
    report.layers.map((l) => l.diffId),
    layout.diffIds,
  );
  assert.equal(report.digest, layout.manifestDigest);
  assert.equal(report.configDigest, layout.configDigest);
  assert.deepEqual(report.largestFiles[0], { path: '/a', bytes: 130, layer: 2 });
});

test('a file replacing a directory wastes the whole subtree; a directory replacing a file wastes the file', async () => {
  const layout = await writeLayout({
    layers: [
      {
        entries: [
          { name: 'p/q', data: bytes(7) },
          { name: 'p/r/s', data: bytes(11) },
          { name: 'f', data: bytes(5) },
        ],
      },
      {
        entries: [
          { name: 'p', data: bytes(3) },
          { name: 'f/inner', data: bytes(2) },
        ],
      },
    ],
  });
  const report = buildImageReport(await analyzeImage(await openImage(`oci:${layout.dir}`)));
  assert.equal(report.waste.bytes, 7 + 11 + 5);
  assert.equal(report.waste.totalBytes, 7 + 11 + 5 + 3 + 2);
});

test('a layer used twice is read once and counted in both places', async () => {
  const entries = [{ name: 'same', data: bytes(9) }];
  const layout = await writeLayout({ layers: [{ entries }, { entries }] });
  const image = await openImage(`oci:${layout.dir}`);
  assert.equal(image.layers[0]!.digest, image.layers[1]!.digest);
  // The layers whose bytes were asked for, as a stream or in place in their file.
  const read = new Set<number>();
  for (const [i, layer] of image.layers.entries()) {
    const { open, span } = layer;
    layer.open = () => {
      read.add(i);
      return open();
    };
    if (span)
      layer.span = () => {
        read.add(i);
        return span();
      };
  }
  const report = buildImageReport(await analyzeImage(image));
  assert.deepEqual([...read], [0]);
  assert.equal(report.waste.bytes, 9);
  assert.equal(report.layers.length, 2);
});

test('a multi-platform index: --platform picks the image, an absent platform is a clear error', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { writePlatformIndex } = await import('./layout.js');
  const dir = mkdtempSync(join(tmpdir(), 'goimg-multi-'));
  const amd = await writeLayout({
    dir,
    architecture: 'amd64',
    layers: [{ entries: [{ name: 'amd', data: 'x' }] }],
  });
  const arm = await writeLayout({
    dir,
    architecture: 'arm64',
    layers: [{ entries: [{ name: 'arm', data: 'y' }] }],
  });
  writePlatformIndex(dir, [
    { manifestDigest: amd.manifestDigest, architecture: 'amd64' },
    { manifestDigest: arm.manifestDigest, architecture: 'arm64' },
  ]);
  const a = await openImage(`oci:${dir}`, { platform: { os: 'linux', arch: 'arm64' } });
  assert.equal(a.digest, arm.manifestDigest);
  assert.equal(a.config.architecture, 'arm64');
  const b = await openImage(`oci:${dir}`);
  assert.equal(b.digest, amd.manifestDigest);
  await assert.rejects(
    openImage(`oci:${dir}`, { platform: { os: 'linux', arch: 's390x' } }),
    /no image for platform linux\/s390x.*|choose one/,
  );
});
