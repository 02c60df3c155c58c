/**
 * The per-blob half of an image analysis: one stored layer blob decompressed, tar-scanned and
 * its executables inspected as it streams past, reduced to a summary that keeps metadata and
 * small reports, never file bytes. Sources whose config comes after the layers (an engine
 * export, a piped archive) scan before they know the entry point: every executable is then
 * inspected as a candidate and `settleScan` trims the reports once the config is known, so the
 * result equals a scan made knowing it.
 */
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { spanFile } from '../binary/source.js';
import { InputError } from '../core/errors.js';
import { type FileSpan, lentFileChunks } from '../core/lent-chunks.js';
import type { VulnDb } from '../vuln/index.js';
import { type FoundBinary, inspectExecutable } from './binaries.js';
import { type Compression, decompress, detectCompression } from './decompress.js';
import {
  type CaptureHooks,
  type LayerScan,
  type LayerScanner,
  layerScanner,
  scanLayer,
  writeAll,
} from './layer-reader.js';
import type { Layer } from './types.js';
import { BlobCheck, type InflateLimits } from './verify.js';

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
}

/** What the capture hooks keep of one blob's entries. */
class Captured {
  readonly binaries = new Map<string, FoundBinary>();
  readonly texts = new Map<string, Buffer>();
  readonly shebangs = new Map<string, string>();
  skipped = 0;
  readonly large: string[] = [];
  readonly hooks: CaptureHooks;

  constructor(
    private readonly candidates: Set<string> | null,
    settings: ScanSettings,
  ) {
    const isCandidate = (path: string) => candidates === null || candidates.has(path);
    this.hooks = {
      wants: (e) => {
        if (TEXT_FILES.has(e.path)) return e.size <= MAX_TEXT;
        if ((e.mode & 0o111) === 0 || e.size < 4) return false;
        if (e.size <= (isCandidate(e.path) ? settings.maxBinary : settings.maxOther)) {
          if (candidates === null && e.size > settings.maxOther) this.large.push(e.path);
          return true;
        }
        this.skipped++;
        return false;
      },
      onContent: async (e, data) => {
        if (TEXT_FILES.has(e.path)) {
          this.texts.set(e.path, Buffer.from(await data.read(0, data.size)));
          return;
        }
        const head = await data.read(0, Math.min(data.size, 256));
        if (isCandidate(e.path) && head[0] === 0x23 && head[1] === 0x21) {
          // A script: keep its #! line, the kernel's "interpreter" for it.
          const line = head.subarray(2).toString('latin1').split('\n')[0]!;
          this.shebangs.set(e.path, line.trim());
          return;
        }
        const found = await inspectExecutable(e.path, data, isCandidate(e.path), settings.vulnDb);
        if (found) this.binaries.set(e.path, found);
      },
    };
  }

  result(scan: LayerScan, compression: Compression, blobBytes: number): BlobScan {
    const { binaries, texts, shebangs, skipped, large, candidates } = this;
    return { scan, compression, blobBytes, binaries, texts, shebangs, candidates, skipped, large };
  }
}

/**
 * One stored blob pushed in as it arrives (a member of an archive stream, its diff id not known
 * yet). Its first bytes choose the way: an uncompressed tar goes straight to the layer scanner
 * (no stream in between); a compressed one through its decoder. Chunks written must not be
 * reused (captured entries keep views into them) unless the scanner is told they are lent.
 */
export class BlobScanner {
  /** Known once four bytes (or the whole blob) have been written. */
  compression: Compression | undefined;
  private head: Buffer[] = [];
  private headBytes = 0;
  private stored = 0;
  private readonly captured: Captured;
  private direct: LayerScanner | null = null;
  private compressed: { body: PassThrough; scan: Promise<LayerScan>; failure: Error | null } | null = null;

  /** `lent`: chunks are valid only until the next write (a reused buffer); what is kept is copied. */
  constructor(
    private readonly what: string,
    candidates: Set<string> | null,
    private readonly settings: ScanSettings,
    private readonly lent = false,
  ) {
    this.captured = new Captured(candidates, settings);
  }

  /** The blob's next bytes. Throws once the scan has failed. */
  write(chunk: Buffer): void {
    this.stored += chunk.length;
    if (this.compression === undefined) {
      this.head.push(this.lent ? Buffer.from(chunk) : chunk);
      this.headBytes += chunk.length;
      if (this.headBytes >= 4) this.choose();
      return;
    }
    this.pass(chunk);
  }

  /** Settles when the scan has taken what it was given; null when it already has. */
  drained(): Promise<void> | null {
    if (this.direct) return this.direct.settled();
    const c = this.compressed;
    if (!c?.body.writableNeedDrain) return null;
    return Promise.race([once(c.body, 'drain').then(() => undefined), c.scan.then(() => undefined)]);
  }

  async end(): Promise<BlobScan> {
    if (this.compression === undefined) this.choose();
    let scan: LayerScan;
    if (this.direct) scan = await this.direct.end();
    else {
      this.compressed!.body.end();
      scan = await this.compressed!.scan;
    }
    return this.captured.result(scan, this.compression!, this.stored);
  }

  /** Stops a scan that will not be finished (the input failed): its decoder stops too. */
  abort(): void {
    this.compressed?.body.destroy(new InputError(`${this.what}: the blob was not read to its end`));
  }

  private choose(): void {
    const head = Buffer.concat(this.head);
    this.compression = detectCompression(head);
    const { what, settings } = this;
    if (this.compression === 'none') {
      this.direct = layerScanner(what, null, this.captured.hooks, { lent: this.lent });
    } else {
      const body = new PassThrough({ highWaterMark: 1024 * 1024 });
      body.on('error', () => undefined);
      const scan = decompress(body, what, settings.limits).then((inflated) =>
        scanLayer(inflated.stream, what, null, this.captured.hooks),
      );
      const compressed = { body, scan, failure: null as Error | null };
      scan.catch((err: Error) => {
        compressed.failure = err;
      });
      this.compressed = compressed;
    }
    const chunks = this.head;
    this.head = [];
    for (const chunk of chunks) this.pass(chunk);
  }

  private pass(chunk: Buffer): void {
    if (this.direct) {
      if (this.stored > this.settings.limits.maxBytes)
        throw new InputError(`${this.what}: larger than ${this.settings.limits.maxBytes} bytes`);
      // Entries finished meanwhile queue behind the one the hooks are working on.
      for (let at = 0; at < chunk.length; ) at = this.direct.write(chunk, at);
      return;
    }
    const c = this.compressed!;
    if (c.failure) throw c.failure;
    // The decoder reads what it is given later: a lent chunk is copied.
    c.body.write(this.lent ? Buffer.from(chunk) : chunk);
  }
}

/**
 * Scans one stored blob read from a stream (a file, a registry): the stream goes straight into
 * its decoder. `candidates` null means the entry point is not known yet.
 */
export async function scanBlob(
  blob: Readable,
  what: string,
  diffId: string | null,
  candidates: Set<string> | null,
  settings: ScanSettings,
  stream: BlobStream = {},
): Promise<BlobScan> {
  const inflated = await decompress(blob, what, settings.limits);
  const verified = inflated.compression === 'none' && diffId !== null && stream.verifiedDigest === diffId;
  const captured = new Captured(candidates, settings);
  const scan = await scanLayer(inflated.stream, what, diffId, captured.hooks, verified);
  return captured.result(scan, inflated.compression, inflated.compressedBytes());
}

/**
 * Scans one stored blob that lies in a local file (a layout's blob, an archive's member). An
 * uncompressed tar is read through one reused buffer (core/lent-chunks.ts), hashed for its digest
 * and handed straight to the layer scanner, which copies only the entries it captures: no stream,
 * and no fresh memory for every piece read. A compressed blob goes through its decoder as a stream.
 */
export async function scanFileBlob(
  layer: Layer,
  span: FileSpan,
  what: string,
  candidates: Set<string> | null,
  settings: ScanSettings,
): Promise<BlobScan> {
  const viaStream = async () =>
    scanBlob(await layer.open(), what, layer.diffId, candidates, settings, { verifiedDigest: layer.digest });
  if (!layer.digest.startsWith('sha256:')) return viaStream(); // the stream path names the algorithm
  const blob = `${what} blob`;
  const check = new BlobCheck(layer.digest, blob, layer.size);
  check.checkTotal(span.length);
  let head: Buffer | undefined;
  for await (const piece of lentFileChunks({ ...span, length: Math.min(4, span.length) })) head = piece;
  if (head && detectCompression(head) !== 'none') return viaStream();
  const captured = new Captured(candidates, settings);
  // The executables and text files the hooks ask for are read where they lie, not copied.
  const file = spanFile(openSync(span.path, 'r'), span.path);
  try {
    // The blob's digest is its diff id when it is the uncompressed tar itself: one hash checks both.
    const scanner = layerScanner(what, layer.diffId, captured.hooks, {
      verifiedUpstream: layer.digest === layer.diffId,
      inPlace: (start, size) => file.span(span.offset + start, size, what),
    });
    for await (const piece of lentFileChunks(span)) {
      check.update(piece);
      await writeAll(scanner, piece);
    }
    if (check.bytes !== span.length)
      throw new InputError(`${blob}: ends after ${check.bytes} of its ${span.length} bytes`);
    check.finish();
    return captured.result(await scanner.end(), 'none', check.bytes);
  } finally {
    // A scan that failed may leave an inspection queued: its reads are refused from now on.
    file.close();
  }
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
