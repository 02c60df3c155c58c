/**
 * One pass over an image: every layer blob is streamed once (decompressed, digest-checked,
 * tar-scanned), executables are inspected from memory on the way, and the layers are then merged
 * into the flattened view that waste and runtime checks read.
 */
import type { Readable } from 'node:stream';
import { InputError } from '../core/errors.js';
import type { VulnDb } from '../vuln/index.js';
import type { FoundBinary } from './binaries.js';
import { type BlobScan, type ScanSettings, scanBlob, scanFileBlob, settleScan } from './blob-scan.js';
import type { Compression } from './decompress.js';
import { MergedFs } from './merge.js';
import { entrypointCandidates } from './resolve.js';
import type { Image, Layer } from './types.js';
import { DEFAULT_LIMITS, type InflateLimits } from './verify.js';

export interface AnalyzeOptions {
  limits?: InflateLimits;
  /** Entry-point candidates larger than this are not inspected (memory bound); default 192 MiB. */
  maxBinaryBytes?: number;
  /** Other executables larger than this are not inspected; default 64 MiB. */
  maxOtherBinaryBytes?: number;
  /** Check every Go executable against this vulnerability database. */
  vulnDb?: VulnDb;
  /** Called after each layer, for progress output. */
  onLayer?: (index: number, total: number, layer: Layer) => void;
}

export interface LayerReport {
  index: number;
  digest: string;
  diffId: string;
  /** Stored blob bytes. */
  size: number;
  /** Uncompressed tar bytes. */
  uncompressedSize: number;
  files: number;
  fileBytes: number;
  compression: Compression;
  createdBy: string | null;
}

export interface ImageAnalysis {
  image: Image;
  layers: LayerReport[];
  fs: MergedFs;
  /** Inspected executable at a path, from the layer holding its visible version. */
  binaryAt(path: string, layer: number): FoundBinary | undefined;
  /** Every inspected ELF visible in the merged filesystem. */
  visibleBinaries(): { path: string; binary: FoundBinary }[];
  textAt(path: string, layer: number): Buffer | undefined;
  /** The `#!` line (without `#!`) of an entry-point candidate script. */
  shebangAt(path: string, layer: number): string | undefined;
  warnings: string[];
}

/** The created_by of each non-empty history entry, aligned with the layers. */
export function layerHistory(image: Image): (string | null)[] {
  const history = (image.config.history ?? []).filter((h) => !h.empty_layer);
  if (history.length !== image.layers.length)
    return image.layers.map((_l, i) => history[i]?.created_by ?? null);
  return history.map((h) => h.created_by ?? null);
}

/** The scan settings an analysis runs with. */
export function scanSettings(options: AnalyzeOptions): ScanSettings {
  return {
    limits: options.limits ?? DEFAULT_LIMITS,
    maxBinary: options.maxBinaryBytes ?? 192 * 1024 * 1024,
    maxOther: options.maxOtherBinaryBytes ?? 64 * 1024 * 1024,
    ...(options.vulnDb ? { vulnDb: options.vulnDb } : {}),
  };
}

export async function analyzeImage(image: Image, options: AnalyzeOptions = {}): Promise<ImageAnalysis> {
  const settings = scanSettings(options);
  const candidates = entrypointCandidates(image.config);
  const scans = new Map<string, BlobScan>();
  let done = 0;
  const whatOf = (layer: Layer) =>
    `${image.ref} layer ${image.layers.indexOf(layer)} (${layer.digest.slice(0, 19)})`;
  if (image.layers.every((l) => l.span)) {
    // Blobs in local files: read in place (scanFileBlob), each distinct one once.
    for (const layer of image.layers) {
      if (scans.has(layer.digest)) continue;
      const span = await layer.span!();
      scans.set(layer.digest, await scanFileBlob(layer, span, whatOf(layer), candidates, settings));
      options.onLayer?.(done++, image.layers.length, layer);
    }
    return analyzeScans(image, scans, settings.maxOther);
  }
  await image.walkLayers(async (layer: Layer, blob: Readable) => {
    // Every source's walk checks each blob's digest at its end.
    scans.set(
      layer.digest,
      await scanBlob(blob, whatOf(layer), layer.diffId, candidates, settings, {
        verifiedDigest: layer.digest,
      }),
    );
    options.onLayer?.(done++, image.layers.length, layer);
  });
  return analyzeScans(image, scans, settings.maxOther);
}

/**
 * Merges the blob scans (keyed by blob digest, one per distinct blob) in manifest order into
 * the analysis. Scans made before the entry point was known are settled first.
 */
export function analyzeScans(
  image: Image,
  blobScans: Map<string, BlobScan>,
  maxOther: number,
): ImageAnalysis {
  const candidates = entrypointCandidates(image.config);
  const scans = new Map([...blobScans].map(([digest, scan]) => [digest, settleScan(scan, candidates)]));
  const history = layerHistory(image);
  const fs = new MergedFs();
  const warnings: string[] = [];
  const skipped = [...scans.values()].reduce((n, s) => n + s.skipped, 0);
  if (skipped > 0)
    warnings.push(`${skipped} executable(s) over ${maxOther} bytes were not inspected (memory bound)`);
  const layers: LayerReport[] = image.layers.map((layer, i) => {
    const s = scans.get(layer.digest);
    if (!s) throw new InputError(`${image.ref}: layer ${i} (${layer.digest}) was not found in the source`);
    fs.apply(i, s.scan.entries, `${image.ref} layer ${i}`);
    warnings.push(...s.scan.warnings);
    return {
      index: i,
      digest: layer.digest,
      diffId: layer.diffId,
      size: layer.size ?? s.blobBytes,
      uncompressedSize: s.scan.tarBytes,
      files: s.scan.files,
      fileBytes: s.scan.fileBytes,
      compression: s.compression,
      createdBy: history[i] ?? null,
    };
  });
  const byIndex = (layer: number) => scans.get(image.layers[layer]!.digest);
  return {
    image,
    layers,
    fs,
    binaryAt: (path, layer) => byIndex(layer)?.binaries.get(path),
    textAt: (path, layer) => byIndex(layer)?.texts.get(path),
    shebangAt: (path, layer) => byIndex(layer)?.shebangs.get(path),
    visibleBinaries() {
      const out: { path: string; binary: FoundBinary }[] = [];
      for (const { path, node } of fs.walk()) {
        if (node.type !== 'file') continue;
        const b = byIndex(node.layer)?.binaries.get(path);
        if (b) out.push({ path, binary: b });
      }
      return out;
    },
    warnings,
  };
}
