/**
 * The per-blob half of an image analysis: one stored layer blob decompressed, tar-scanned and
 * its executables inspected as it streams past, reduced to a summary that keeps metadata and
 * small reports, never file bytes. Sources whose config comes after the layers (an engine
 * export, a piped archive) scan before they know the entry point: every executable is then
 * inspected as a candidate and `settleScan` trims the reports once the config is known, so the
 * result equals a scan made knowing it.
 */
import type { Readable } from 'node:stream';
import type { VulnDb } from '../vuln/index.js';
import { type FoundBinary, inspectExecutable } from './binaries.js';
import { type Compression, type Decompressed, decompress } from './decompress.js';
import { type LayerScan, scanLayer } from './layer-reader.js';
import type { InflateLimits } from './verify.js';

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

export interface BlobScan {
  scan: LayerScan;
  compression: Compression;
  blobBytes: number;
  binaries: Map<string, FoundBinary>;
  texts: Map<string, Buffer>;
  shebangs: Map<string, string>;
  /** The entry-point candidates this blob was scanned with; null: every executable was one. */
  candidates: Set<string> | null;
  /** Executables left uninspected for their size. */
  skipped: number;
  /** Executables past `maxOther` read only because the entry point was not known yet. */
  large: string[];
}

export interface ScanSettings {
  limits: InflateLimits;
  /** Entry-point candidates larger than this are not inspected (memory bound). */
  maxBinary: number;
  /** Other executables larger than this are not inspected. */
  maxOther: number;
  /** Check Go executables against this vulnerability database. */
  vulnDb?: VulnDb;
}

export interface BlobStream {
  /**
   * The digest the stream checks at its end (it fails there on a mismatch): an uncompressed
   * blob with this digest is its own diff id, and is not hashed twice.
   */
  verifiedDigest?: string;
  /**
   * Sees the decoder before the tar is read (a source that hashes the blob itself can stop when
   * the blob is uncompressed: its digest is then the diff id).
   */
  onDecompress?: (inflated: Decompressed) => void;
}

/** Scans one stored blob. `candidates` null means the entry point is not known yet. */
export async function scanBlob(
  blob: Readable,
  what: string,
  diffId: string | null,
  candidates: Set<string> | null,
  settings: ScanSettings,
  stream: BlobStream = {},
): Promise<BlobScan> {
  const isCandidate = (path: string) => candidates === null || candidates.has(path);
  const inflated = await decompress(blob, what, settings.limits);
  stream.onDecompress?.(inflated);
  const verified = inflated.compression === 'none' && diffId !== null && stream.verifiedDigest === diffId;
  const binaries = new Map<string, FoundBinary>();
  const texts = new Map<string, Buffer>();
  const shebangs = new Map<string, string>();
  let skipped = 0;
  const large: string[] = [];
  const scan = await scanLayer(
    inflated.stream,
    what,
    diffId,
    {
      wants: (e) => {
        if (TEXT_FILES.has(e.path)) return e.size <= MAX_TEXT;
        if ((e.mode & 0o111) === 0 || e.size < 4) return false;
        if (e.size <= (isCandidate(e.path) ? settings.maxBinary : settings.maxOther)) {
          if (candidates === null && e.size > settings.maxOther) large.push(e.path);
          return true;
        }
        skipped++;
        return false;
      },
      async onContent(e, data) {
        if (TEXT_FILES.has(e.path)) {
          texts.set(e.path, Buffer.from(await data.read(0, data.size)));
          return;
        }
        const head = await data.read(0, Math.min(data.size, 256));
        if (isCandidate(e.path) && head[0] === 0x23 && head[1] === 0x21) {
          // A script: keep its #! line, the kernel's "interpreter" for it.
          const line = head.subarray(2).toString('latin1').split('\n')[0]!;
          shebangs.set(e.path, line.trim());
          return;
        }
        const found = await inspectExecutable(e.path, data, isCandidate(e.path), settings.vulnDb);
        if (found) binaries.set(e.path, found);
      },
    },
    verified,
  );
  return {
    scan,
    compression: inflated.compression,
    blobBytes: inflated.compressedBytes(),
    binaries,
    texts,
    shebangs,
    candidates,
    skipped,
    large,
  };
}

/**
 * Brings a scan made without the entry point in line with one made knowing it: executables
 * that turn out not to be candidates lose the candidate-only parts of their report (runtime
 * evidence, the #! line; every executable keeps its size attribution) and, past `maxOther`, the report itself (as large ones are never read then).
 */
export function settleScan(scan: BlobScan, candidates: Set<string>): BlobScan {
  if (scan.candidates !== null) return scan;
  const tooLarge = new Set(scan.large.filter((path) => !candidates.has(path)));
  const binaries = new Map<string, FoundBinary>();
  for (const [path, found] of scan.binaries) {
    if (candidates.has(path)) binaries.set(path, found);
    else if (!tooLarge.has(path)) binaries.set(path, { ...found, evidence: null });
  }
  const shebangs = new Map([...scan.shebangs].filter(([path]) => candidates.has(path)));
  return { ...scan, binaries, shebangs, candidates, skipped: scan.skipped + tooLarge.size, large: [] };
}
