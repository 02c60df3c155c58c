/**
 * Analyses the image a reference names, reading each source once. Files, layouts and
 * registries open as an Image whose layers are walked; a stream that cannot seek (an engine
 * export, an archive on standard input) is scanned as it arrives, its layers summarised before
 * its index and config are known, then merged in manifest order.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError, UsageError } from '../core/errors.js';
import { trace } from '../core/trace.js';
import {
  type AnalyzeOptions,
  analyzeImage,
  analyzeScans,
  type ImageAnalysis,
  scanSettings,
} from './analyze.js';
import { type BlobScan, type ScanSettings, scanBlob } from './blob-scan.js';
import { detectCompression } from './decompress.js';
import { type OpenImageOptions, openImage } from './open.js';
import { parseSourceRef } from './ref.js';
import { entrypointCandidates } from './resolve.js';
import { type LentArchive, readArchiveStream, type StreamedStore } from './sources/archive-stream.js';
import { type DaemonExport, exportForAnalysis } from './sources/daemon-export.js';
import { openDockerArchiveStore } from './sources/docker-archive.js';
import { blobPath, openOciStore } from './sources/oci-layout.js';
import type { ConfigFile, Image } from './types.js';

export interface AnalyzeRefOptions extends OpenImageOptions, AnalyzeOptions {
  /** What `docker-archive:-` and `oci-archive:-` read (default: standard input). */
  stdin?: Readable;
  /** Called after each blob of a streamed source, for progress output (its layer is not known yet). */
  onBlob?: (name: string, bytes: number) => void;
  /** For a docker-daemon: reference, its export when already asked for (`exportForAnalysis`). */
  daemonExport?: Promise<DaemonExport>;
}

/** Where each layer's blob lies in the archive: `docker save`'s manifest.json or the OCI layout. */
async function layerPaths(store: StreamedStore, image: Image): Promise<string[]> {
  if (image.digest !== null || !(await store.has('manifest.json')))
    return image.layers.map((l) => blobPath(l.digest));
  const entries = JSON.parse((await store.read('manifest.json')).toString('utf8')) as { Layers: string[] }[];
  return entries[0]!.Layers;
}

/** The scan of each layer, keyed by digest, checked against what the manifest says. */
async function layerScans(
  store: StreamedStore,
  image: Image,
  settings: ScanSettings,
): Promise<Map<string, BlobScan>> {
  const paths = await layerPaths(store, image);
  const scans = new Map<string, BlobScan>();
  for (const [i, layer] of image.layers.entries()) {
    const what = `${image.ref} layer ${i} (${layer.digest.slice(0, 19)})`;
    const path = store.resolve(paths[i]!);
    const streamed = store.blobs.get(path);
    if (!streamed) {
      // A layer whose first byte looked like a JSON document was kept whole: scanned now,
      // digest-checked by open().
      if (!store.files.has(path)) throw new InputError(`${what}: ${paths[i]} is missing from the archive`);
      if (!scans.has(layer.digest)) scans.set(layer.digest, await scanBlobNow(image, i, what, settings));
      continue;
    }
    if (streamed.digest !== layer.digest)
      throw new InputError(`${what}: digest mismatch (expected ${layer.digest}, got ${streamed.digest})`);
    if (layer.size !== null && streamed.size !== layer.size)
      throw new InputError(`${what}: ${streamed.size} bytes, its descriptor says ${layer.size}`);
    if (streamed.scan.scan.diffId !== layer.diffId)
      throw new InputError(
        `${what}: diff id mismatch (the config says ${layer.diffId}, the layer is ${streamed.scan.scan.diffId})`,
      );
    scans.set(layer.digest, streamed.scan);
  }
  return scans;
}

async function scanBlobNow(
  image: Image,
  index: number,
  what: string,
  settings: ScanSettings,
): Promise<BlobScan> {
  const layer = image.layers[index]!;
  // Layer.open checks the blob's digest at its end.
  return scanBlob(await layer.open(), what, layer.diffId, entrypointCandidates(image.config), settings, {
    verifiedDigest: layer.digest,
  });
}

async function analyzeStream(
  ref: string,
  kind: 'docker-archive' | 'oci-archive',
  tag: string | null,
  input: Readable | LentArchive,
  candidates: Set<string> | null,
  options: AnalyzeRefOptions,
): Promise<ImageAnalysis> {
  const settings = scanSettings(options);
  const store = await readArchiveStream(input, ref, candidates, settings, options.onBlob);
  const image =
    kind === 'oci-archive'
      ? await openOciStore(store, 'oci-archive', ref, tag, options)
      : await openDockerArchiveStore(store, ref, options);
  if (candidates !== null && !sameSet(candidates, entrypointCandidates(image.config)))
    throw new InputError(`${ref}: the image changed while it was exported`, 'run goimg image again');
  const analysis = analyzeScans(image, await layerScans(store, image, settings), settings.maxOther);
  trace(`${ref}: analysed`);
  return analysis;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Whether `path` is a pipe or a socket (what a shell's process substitution names). */
async function isPipe(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return s.isFIFO() || s.isSocket();
  } catch {
    return false; // openImage says why
  }
}

/** Whether a file starts with gzip or zstd magic; false when it cannot be read (openImage says why). */
async function isCompressed(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0);
      return detectCompression(buffer.subarray(0, bytesRead)) !== 'none';
    } finally {
      await file.close();
    }
  } catch {
    return false;
  }
}

function stdinOf(options: AnalyzeRefOptions): Readable {
  const stdin = options.stdin ?? process.stdin;
  if ((stdin as { isTTY?: boolean }).isTTY)
    throw new UsageError(
      '"-" reads an archive from standard input, which is a terminal',
      'pipe one in: docker save IMAGE | goimg image docker-archive:-',
    );
  return stdin;
}

/** Opens, analyses and closes the image `ref` names. */
export async function analyzeRef(ref: string, options: AnalyzeRefOptions = {}): Promise<ImageAnalysis> {
  const parsed = parseSourceRef(ref);
  if (parsed.kind === 'docker-daemon') {
    const { config, body } = await (options.daemonExport ?? exportForAnalysis(parsed.name, options));
    const candidates = entrypointCandidates({ config } as ConfigFile);
    return analyzeStream(ref, 'docker-archive', null, body, candidates, options);
  }
  if (parsed.kind === 'docker-archive' || parsed.kind === 'oci-archive') {
    const tag = parsed.kind === 'oci-archive' ? parsed.tag : null;
    if (parsed.path === '-') return analyzeStream(ref, parsed.kind, tag, stdinOf(options), null, options);
    // A pipe (`docker-archive:<(docker save IMAGE)`) cannot seek either: read once, as a stream.
    if (await isPipe(parsed.path))
      return analyzeStream(ref, parsed.kind, tag, createReadStream(parsed.path), null, options);
    // A compressed archive cannot be indexed by seeking: it is read as a stream.
    if (await isCompressed(parsed.path))
      return analyzeStream(ref, parsed.kind, tag, createReadStream(parsed.path), null, options);
  }
  const image = await openImage(ref, options);
  try {
    return await analyzeImage(image, options);
  } finally {
    await image.close();
  }
}
