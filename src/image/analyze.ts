/**
 * One pass over an image: every layer blob is streamed once (decompressed, digest-checked,
 * tar-scanned), executables are inspected from memory on the way, and the layers are then merged
 * into the flattened view that waste and runtime checks read.
 */
import type { Readable } from 'node:stream';
import { type FoundBinary, inspectExecutable } from './binaries.js';
import { type Compression, decompress } from './decompress.js';
import { type LayerScan, scanLayer } from './layer-reader.js';
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

/** Small text files the runtime checks read (users, OS release). */
export const TEXT_FILES = new Set([
  'etc/passwd',
  'etc/group',
  'etc/os-release',
  'usr/lib/os-release',
  // Debian's point release (os-release names only the major).
  'etc/debian_version',
]);
const MAX_TEXT = 1024 * 1024;

interface BlobScan {
  scan: LayerScan;
  compression: Compression;
  blobBytes: number;
  binaries: Map<string, FoundBinary>;
  texts: Map<string, Buffer>;
  shebangs: Map<string, string>;
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

export async function analyzeImage(image: Image, options: AnalyzeOptions = {}): Promise<ImageAnalysis> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const maxBinary = options.maxBinaryBytes ?? 192 * 1024 * 1024;
  const maxOther = options.maxOtherBinaryBytes ?? 64 * 1024 * 1024;
  let skipped = 0;
  // One scratch buffer for every executable, grown to the largest: memory stays flat however
  // many binaries an image holds.
  let scratch = Buffer.alloc(0);
  const buffer = (size: number): Buffer => {
    if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.ceil(size / (1 << 20)) * (1 << 20));
    return scratch;
  };
  const candidates = entrypointCandidates(image.config);
  const scans = new Map<string, BlobScan>();
  let done = 0;
  await image.walkLayers(async (layer: Layer, blob: Readable) => {
    const index = image.layers.indexOf(layer);
    const what = `${image.ref} layer ${index} (${layer.digest.slice(0, 19)})`;
    const inflated = await decompress(blob, what, limits);
    const binaries = new Map<string, FoundBinary>();
    const texts = new Map<string, Buffer>();
    const shebangs = new Map<string, string>();
    const scan = await scanLayer(inflated.stream, what, layer.diffId, {
      wants: (e) => {
        if (TEXT_FILES.has(e.path)) return e.size <= MAX_TEXT;
        if ((e.mode & 0o111) === 0 || e.size < 4) return false;
        if (e.size <= (candidates.has(e.path) ? maxBinary : maxOther)) return true;
        skipped++;
        return false;
      },
      buffer,
      async onContent(e, data) {
        if (TEXT_FILES.has(e.path)) {
          texts.set(e.path, Buffer.from(data));
          return;
        }
        if (candidates.has(e.path) && data[0] === 0x23 && data[1] === 0x21) {
          // A script: keep its #! line, the kernel's "interpreter" for it.
          const line = data.subarray(2, Math.min(data.length, 256)).toString('latin1').split('\n')[0]!;
          shebangs.set(e.path, line.trim());
          return;
        }
        const found = await inspectExecutable(e.path, data, candidates.has(e.path));
        if (found) binaries.set(e.path, found);
      },
    });
    scans.set(layer.digest, {
      scan,
      compression: inflated.compression,
      blobBytes: inflated.compressedBytes(),
      binaries,
      texts,
      shebangs,
    });
    options.onLayer?.(done++, image.layers.length, layer);
  });

  const history = layerHistory(image);
  const fs = new MergedFs();
  const warnings: string[] = [];
  if (skipped > 0)
    warnings.push(`${skipped} executable(s) over ${maxOther} bytes were not inspected (memory bound)`);
  const layers: LayerReport[] = image.layers.map((layer, i) => {
    const s = scans.get(layer.digest)!;
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
