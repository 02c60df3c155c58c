/**
 * Archives read as one stream (`docker-archive:-`, `oci-archive:-`, and through them an engine
 * export), written with tar-stream in the orders engines use: index and manifest.json after the
 * layers, the config anywhere. Each must give the report the file-based reader gives.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openImage } from '../../../src/image/open.js';
import { parseSourceRef } from '../../../src/image/ref.js';
import { type ImageReport, inspectImage } from '../../../src/rules/image/report.js';
import { runGoimg } from '../../helpers/cli.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { digestOf, type TestEntry, type TestLayer, tarOf, writeLayout } from './layout.js';

/** The files of an OCI layout directory as tar entries, blobs first or last. */
function layoutEntries(dir: string, blobsFirst: boolean): TestEntry[] {
  const blobs = readdirSync(join(dir, 'blobs', 'sha256')).map((hex) => ({
    name: `blobs/sha256/${hex}`,
    data: readFileSync(join(dir, 'blobs', 'sha256', hex)),
  }));
  const top = ['oci-layout', 'index.json'].map((name) => ({ name, data: readFileSync(join(dir, name)) }));
  return blobsFirst ? [...blobs, ...top] : [...top, ...blobs];
}

/** The archive as a stream of odd-sized chunks (none aligned to tar's 512-byte blocks). */
function inPieces(archive: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < archive.length; at += size) pieces.push(archive.subarray(at, at + size));
  return Readable.from(pieces);
}

function withoutRef(report: ImageReport): Omit<ImageReport, 'ref'> {
  const { ref: _ref, ...rest } = report;
  return rest;
}

/** The files of a small image around a real Go binary: /app its entry point, /bin/tool another. */
async function goImageEntries(): Promise<Record<'passwd' | 'tool' | 'app' | 'script', TestEntry>> {
  const bin = readFileSync((await buildFixture('app', 'static')).path);
  return {
    passwd: { name: 'etc/passwd', data: 'root:x:0:0::/:/bin/sh\n' },
    tool: { name: 'bin/tool', data: bin, mode: 0o755 },
    app: { name: 'app', data: bin, mode: 0o755 },
    script: { name: 'run.sh', data: '#!/bin/sh\n', mode: 0o755 },
  };
}

/** A layout of these layers, /app the entry point, and a last layer that deletes /bin/tool. */
function writeGoLayout(layers: TestLayer[]) {
  return writeLayout({
    config: { Entrypoint: ['/app'], User: '65532' },
    layers: [...layers, { entries: [{ name: 'bin/.wh.tool', data: '' }], compression: 'none' }],
  });
}

test('oci-archive:- gives the report of the same layout read from disk, index first or last', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const { passwd, tool, app, script } = await goImageEntries();
  const layout = await writeGoLayout([
    { entries: [passwd, tool] },
    { entries: [app, script], compression: 'zstd' },
  ]);
  // Small enough that /bin/tool (not the entry point) is left uninspected for its size.
  for (const maxOtherBinaryBytes of [undefined, 1000]) {
    const fromDisk = await inspectImage(`oci:${layout.dir}`, { maxOtherBinaryBytes });
    assert.ok(fromDisk.entrypoint.binary?.sizes, 'the entry point gets size attribution');
    for (const blobsFirst of [true, false]) {
      const archive = await tarOf(layoutEntries(layout.dir, blobsFirst));
      // Whole, and in pieces that split headers and the executables being inspected.
      for (const stdin of [Readable.from([archive]), inPieces(archive, 7919)]) {
        const streamed = await inspectImage('oci-archive:-', { stdin, maxOtherBinaryBytes });
        assert.equal(streamed.ref, 'oci-archive:-');
        assert.deepEqual(withoutRef(streamed), withoutRef(fromDisk), `blobs first: ${blobsFirst}`);
      }
    }
  }
});

test('uncompressed layers read in place give the report of the same layout streamed', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const { passwd, tool, app, script } = await goImageEntries();
  // Text and executables of several read pieces each, at offsets no piece boundary matches.
  const layout = await writeGoLayout([{ entries: [passwd, tool, app, script], compression: 'none' }]);
  const image = await openImage(`oci:${layout.dir}`);
  assert.ok(
    image.layers.every((l) => l.span),
    'a layout on disk says where its blobs lie',
  );
  await image.close();
  const fromDisk = await inspectImage(`oci:${layout.dir}`);
  assert.ok(fromDisk.entrypoint.binary?.sizes, 'the entry point, read in place, gets size attribution');
  const streamed = await inspectImage('oci-archive:-', {
    stdin: inPieces(await tarOf(layoutEntries(layout.dir, true)), 7919),
  });
  assert.deepEqual(withoutRef(streamed), withoutRef(fromDisk));
});

/** A legacy `docker save` archive: layers, then the config, then manifest.json; a repeated layer is a symlink. */
async function legacyArchive(): Promise<Buffer> {
  const layer = await tarOf([
    { name: 'bin/', type: 'directory' },
    { name: 'bin/sh', data: 'not really a shell', mode: 0o755 },
    { name: 'etc/os-release', data: 'ID=debian\nVERSION_ID="12"\n' },
  ]);
  const top = await tarOf([{ name: 'etc/motd', data: 'x'.repeat(5100) }]);
  const diffIds = [digestOf(layer), digestOf(top), digestOf(layer)];
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map((_d, i) => ({ created_by: `step ${i}` })),
  });
  const configHex = digestOf(config).slice(7);
  const ids = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)];
  return tarOf([
    { name: `${ids[0]}/`, type: 'directory' },
    { name: `${ids[0]}/VERSION`, data: '1.0' },
    { name: `${ids[0]}/layer.tar`, data: layer },
    { name: `${ids[1]}/layer.tar`, data: top },
    { name: `${ids[2]}/layer.tar`, type: 'symlink', linkname: `../${ids[0]}/layer.tar` },
    { name: `${configHex}.json`, data: config },
    {
      name: 'manifest.json',
      data: JSON.stringify([
        { Config: `${configHex}.json`, RepoTags: ['x:y'], Layers: ids.map((id) => `${id}/layer.tar`) },
      ]),
    },
    { name: 'repositories', data: '{}' },
  ]);
}

test('docker-archive:- reads a legacy archive whose manifest.json comes last, as the file reader does', async () => {
  const archive = await legacyArchive();
  const file = join(mkdtempSync(join(tmpdir(), 'goimg-stream-')), 'saved.tar');
  writeFileSync(file, archive);
  const fromDisk = await inspectImage(`docker-archive:${file}`);
  const streamed = await inspectImage('docker-archive:-', { stdin: Readable.from([archive]) });
  assert.deepEqual(withoutRef(streamed), withoutRef(fromDisk));
  // In 3-byte pieces, a layer's compression is told from bytes that arrived in two pieces.
  const tiny = await inspectImage('docker-archive:-', { stdin: inPieces(archive, 3) });
  assert.deepEqual(withoutRef(tiny), withoutRef(fromDisk), 'in 3-byte pieces');
  assert.equal(streamed.layers.length, 3);
  assert.equal(streamed.layers[2]!.digest, streamed.layers[0]!.digest);
  assert.equal(streamed.waste.bytes, 18 + 26, 'the repeated layer rewrites bin/sh and etc/os-release');
  // `docker save IMAGE | gzip`, piped or in a file, as `docker load` takes it.
  const gz = gzipSync(archive);
  writeFileSync(`${file}.gz`, gz);
  for (const [ref, stdin] of [
    ['docker-archive:-', Readable.from([gz])],
    [`docker-archive:${file}.gz`, undefined],
  ] as const) {
    assert.deepEqual(withoutRef(await inspectImage(ref, { stdin })), withoutRef(fromDisk), ref);
  }
});

test('an archive through a pipe (docker-archive:<(docker save IMAGE)) is read as a stream', async (t) => {
  const archive = await legacyArchive();
  const dir = mkdtempSync(join(tmpdir(), 'goimg-pipe-'));
  const file = join(dir, 'saved.tar');
  writeFileSync(file, archive);
  const fromDisk = await inspectImage(`docker-archive:${file}`);
  for (const bytes of [archive, gzipSync(archive)]) {
    const fifo = join(dir, `pipe-${bytes.length}`);
    if (!need(t, spawnSync('mkfifo', [fifo]).status === 0, 'mkfifo')) return;
    // The writer blocks until goimg opens the pipe for reading.
    const writing = new Promise<void>((resolve, reject) =>
      createWriteStream(fifo).on('error', reject).end(bytes, resolve),
    );
    const piped = await inspectImage(`docker-archive:${fifo}`);
    await writing;
    assert.deepEqual(withoutRef(piped), withoutRef(fromDisk));
  }
});

test('goimg image text: uncompressed size first, then what was read', async () => {
  const archive = await legacyArchive();
  const piped = runGoimg(['image', '-v', 'docker-archive:-'], { input: archive });
  assert.equal(piped.status, 0, piped.stderr);
  assert.match(piped.stderr, /\/layer\.tar read \(6\.7 kB\)/, 'progress as each blob streams past');
  assert.match(piped.stdout, /^ {3}1 +6\.7 kB, uncompressed in the export +1 files +step 1$/m);
  const layout = await writeLayout({ layers: [{ entries: [{ name: 'etc/motd', data: 'x'.repeat(5100) }] }] });
  const gz = runGoimg(['image', `oci:${layout.dir}`]);
  assert.equal(gz.status, 0, gz.stderr);
  assert.match(gz.stdout, /^ {3}0 +6\.7 kB, \d+ B gzip +1 files +layer 0$/m);
});

test('"-" names standard input; openImage, which needs to seek, refuses it clearly', async () => {
  assert.deepEqual(parseSourceRef('docker-archive:-'), { kind: 'docker-archive', path: '-' });
  assert.deepEqual(parseSourceRef('oci-archive:-:v1'), { kind: 'oci-archive', path: '-', tag: 'v1' });
  await assert.rejects(openImage('docker-archive:-'), /standard input can be read by goimg image only/);
});

test('a broken stream is a clear error: tampered layer, truncated archive, empty input', async () => {
  const archive = await legacyArchive();
  const tampered = Buffer.from(archive);
  const at = tampered.indexOf('not really a shell');
  tampered.write('NOT', at);
  const cut = archive.subarray(0, 2000);
  for (const [input, message] of [
    [tampered, /diff id mismatch|digest mismatch/],
    [cut, /unreadable archive stream|no manifest\.json/],
    [Buffer.alloc(0), /no manifest\.json/],
  ] as const) {
    const r = runGoimg(['image', 'docker-archive:-'], { input });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
