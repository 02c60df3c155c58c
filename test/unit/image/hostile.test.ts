import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../src/core/errors.js';
import { analyzeImage, openImage } from '../../../src/image/index.js';
import { buildImageReport } from '../../../src/rules/image/report.js';
import { need } from '../../helpers/requirements.js';
import { type ImageSpec, tarOf, writeLayout } from './layout.js';

async function analyse(spec: ImageSpec, limits?: Parameters<typeof analyzeImage>[1]) {
  const layout = await writeLayout(spec);
  return buildImageReport(await analyzeImage(await openImage(`oci:${layout.dir}`), limits));
}

async function refused(spec: ImageSpec, pattern: RegExp, options?: Parameters<typeof analyzeImage>[1]) {
  await assert.rejects(analyse(spec, options), (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.match((err as Error).message, pattern);
    return true;
  });
}

test('entries climbing out with .. are refused', async () => {
  await refused({ layers: [{ entries: [{ name: 'a/../../etc/passwd', data: 'x' }] }] }, /climbs out/);
});

test('absolute entry names are refused', async () => {
  await refused({ layers: [{ entries: [{ name: '/etc/passwd', data: 'x' }] }] }, /absolute path/);
});

test('whiteouts of . and .. are refused', async () => {
  await refused({ layers: [{ entries: [{ name: 'dir/.wh..', data: '' }] }] }, /erase its own parent/);
  await refused({ layers: [{ entries: [{ name: '.wh...', data: '' }] }] }, /erase its own parent/);
});

test('hard links to missing targets are refused', async () => {
  await refused(
    { layers: [{ entries: [{ name: 'h', type: 'link', linkname: 'nowhere' }] }] },
    /not in the image/,
  );
});

test('a hard link to a file in a lower layer is fine', async () => {
  const r = await analyse({
    layers: [
      { entries: [{ name: 'bin/x', data: 'abc' }] },
      { entries: [{ name: 'bin/y', type: 'link', linkname: 'bin/x' }] },
    ],
  });
  assert.equal(r.waste.bytes, 0);
});

test('duplicate entries: the later wins, the earlier counts as waste, and a note says so', async () => {
  const r = await analyse({
    layers: [
      {
        entries: [
          { name: 'd', data: 'aaaa' },
          { name: 'd', data: 'bb' },
        ],
      },
    ],
  });
  assert.equal(r.waste.bytes, 4);
  assert.match(r.warnings.join('\n'), /duplicate entry "d"/);
});

test('a truncated gzip stream is refused', async () => {
  const entries = [{ name: 'big', data: Buffer.alloc(200_000, 7) }];
  await refused(
    { layers: [{ entries, mutateBlob: (b) => b.subarray(0, Math.floor(b.length / 2)) }] },
    /blob|truncated|bytes/,
  );
});

test('a truncated zstd stream is refused', async () => {
  const random = (await import('node:crypto')).randomBytes(100_000);
  const layout = await writeLayout({
    layers: [{ compression: 'zstd', entries: [{ name: 'f', data: random }] }],
  });
  // Truncate the blob and fix nothing else: the digest check or the decoder must refuse it.
  const image = await openImage(`oci:${layout.dir}`);
  const { writeFileSync, readFileSync } = await import('node:fs');
  const p = `${layout.dir}/blobs/sha256/${layout.blobs[0]!.slice(7)}`;
  const blob = readFileSync(p);
  writeFileSync(p, blob.subarray(0, blob.length >> 1));
  await assert.rejects(analyzeImage(image), InputError);
});

test('a tar whose size field is larger than its data is refused', async () => {
  const tar = await tarOf([{ name: 'f', data: Buffer.alloc(5000, 1) }]);
  // Keep the header and 1 KB of the 5 KB of data, no end-of-archive blocks.
  await refused(
    { layers: [{ compression: 'gzip', tar: tar.subarray(0, 512 + 1024) }] },
    /unreadable layer tar|truncated|Unexpected end/i,
  );
});

test('a blob whose digest does not match is refused', async () => {
  await refused(
    {
      layers: [
        {
          entries: [{ name: 'f', data: 'hello' }],
          mutateBlob: (b) => {
            const c = Buffer.from(b);
            c[c.length - 9]! ^= 0xff;
            return c;
          },
        },
      ],
    },
    /digest mismatch|gzip/,
  );
});

test('an uncompressed blob (its digest is its diff id, hashed once) that was altered is refused', async () => {
  const alterations = [
    // A byte of the file's data: the tar still parses.
    (b: Buffer) => {
      const c = Buffer.from(b);
      c[512 + 3]! ^= 0x01;
      return c;
    },
    // Bytes after the end-of-archive blocks, which the tar reader never looks at.
    (b: Buffer) => Buffer.concat([b, Buffer.alloc(512)]),
  ];
  for (const mutateBlob of alterations) {
    await refused(
      { layers: [{ compression: 'none', entries: [{ name: 'f', data: 'hello world' }], mutateBlob }] },
      /digest mismatch|more bytes than its descriptor/,
    );
  }
});

test('a layout blob that is not a regular file (a FIFO) is refused, not waited on', {
  timeout: 60_000,
}, async (t) => {
  const layout = await writeLayout({ layers: [{ entries: [{ name: 'f', data: 'x' }] }] });
  const blob = join(layout.dir, 'blobs', 'sha256', layout.blobs.at(-1)!.slice(7));
  rmSync(blob);
  if (!need(t, spawnSync('mkfifo', [blob]).status === 0, 'mkfifo')) return;
  await assert.rejects(analyzeImage(await openImage(`oci:${layout.dir}`)), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.match((err as Error).message, /is not a regular file/);
    return true;
  });
});

test('a decompression bomb is stopped by the ratio limit', async () => {
  await refused(
    { layers: [{ entries: [{ name: 'zeros', data: Buffer.alloc(32 * 1024 * 1024) }] }] },
    /decompression bomb/,
    { limits: { maxBytes: 1024 ** 4, maxRatio: 100, ratioAfter: 1024 * 1024 } },
  );
  await refused(
    { layers: [{ entries: [{ name: 'zeros', data: Buffer.alloc(8 * 1024 * 1024) }] }] },
    /decompression bomb/,
    { limits: { maxBytes: 1024 * 1024, maxRatio: 1e9, ratioAfter: 0 } },
  );
});

test('symlinks out of the image are never followed, and nothing is written to disk', async () => {
  const r = await analyse({
    config: { Entrypoint: ['/app'] },
    layers: [{ entries: [{ name: 'app', type: 'symlink', linkname: '../../../../usr/bin/node' }] }],
  });
  assert.equal(r.entrypoint.resolved, null);
  assert.match(r.warnings.join('\n'), /outside the image/);
  assert.ok(!existsSync('/app'));
});

test('absolute symlinks resolve from the image root', async () => {
  const r = await analyse({
    config: { Cmd: ['run'], Env: ['PATH=/usr/bin'] },
    layers: [
      {
        entries: [
          { name: 'real/run', data: '#!/bin/sh\n', mode: 0o755 },
          { name: 'usr/bin/run', type: 'symlink', linkname: '/real/run' },
        ],
      },
    ],
  });
  assert.equal(r.entrypoint.resolved, '/real/run');
});
