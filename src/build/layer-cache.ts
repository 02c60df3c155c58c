/**
 * A persistent cache of compressed layers, so a rebuild whose layer inputs did not change (the
 * auto base, the assets, a binary `go build` produced byte for byte again) reuses the gzip blob
 * instead of compressing it again. It is keyed by everything the blob's bytes depend on: the
 * uncompressed tar's sha256 (its diffID), goimg's gzip format and zlib's version. A hit is the
 * blob a miss would have written, so output stays byte-identical whether the cache is warm, cold
 * or disabled.
 *
 * Layout: `<root>/layers/<key>.json` ({digest, diffId, size, uncompressedSize}) and
 * `<root>/blobs/sha256/<hex>`. Blobs are hard-linked in and out (copied across file systems), and
 * a hit is checked against its digest before use, so a damaged entry is rebuilt, never served.
 * Every cache failure falls back to building the layer: the cache can only make a build faster.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileDigest } from '../core/lent-chunks.js';
import { trace } from '../core/trace.js';
import { errorText } from '../env/cache-dir.js';
import { linkOrCopy, replaceFile, sha256 } from './blobs.js';
import { type CompressedBlock, GZIP_HEADER_SIZE } from './gzip-blocks.js';
import {
  completeEntries,
  GZIP_FORMAT,
  type LayerEntry,
  tarStream,
  type WrittenLayer,
  writeLayer,
} from './tar.js';

/** Layer records kept; the least recently used beyond this are removed with their blobs. */
export const MAX_CACHED_LAYERS = 32;
/** How far beyond MAX_CACHED_LAYERS the records may grow before a prune. */
const PRUNE_SLACK = 8;

interface LayerRecord {
  digest: string;
  diffId: string;
  size: number;
  uncompressedSize: number;
  /** The blob's gzip blocks in order (gzip-blocks.ts), so a later layer can reuse them. */
  blocks?: CompressedBlock[];
}

/** A bare sha256 in hex: block names and layer keys. */
const HEX64 = /^[0-9a-f]{64}$/;
const isDigest = (v: unknown) => typeof v === 'string' && /^sha256:[0-9a-f]{64}$/.test(v);
const isBlock = (b: CompressedBlock) =>
  typeof b === 'object' && b !== null && HEX64.test(b.hash) && Number.isInteger(b.length);

function isRecord(v: unknown): v is LayerRecord {
  const r = v as LayerRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    isDigest(r.digest) &&
    isDigest(r.diffId) &&
    Number.isInteger(r.size) &&
    Number.isInteger(r.uncompressedSize) &&
    (r.blocks === undefined || (Array.isArray(r.blocks) && r.blocks.every(isBlock)))
  );
}

/** The cache key of a layer whose uncompressed tar has this diffID. */
export function keyOf(diffId: string): string {
  return createHash('sha256')
    .update(`${GZIP_FORMAT}\0zlib-${process.versions.zlib}\0${diffId}`)
    .digest('hex');
}

/** The diffID the sorted entries' tar will have (files on disk are read; nothing is written). */
export async function diffIdOf(sorted: readonly LayerEntry[], mtime: number): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of tarStream(sorted, mtime, { lent: true })) h.update(chunk);
  return `sha256:${h.digest('hex')}`;
}

/** Where the output directory of a `go build` (a "slot") remembers the key of its last layer. */
const SLOT_FILE = '.goimg-last-layer.json';

/** What a slot remembers: its last layer's key, the input fingerprint, the gzip format. */
interface SlotRecord {
  key: string;
  hint?: string;
  gzip?: unknown;
}

/** The slot's record; undefined when missing or not one. */
async function readSlot(slot: string): Promise<SlotRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(join(slot, SLOT_FILE), 'utf8')) as Record<string, unknown>;
    if (typeof r.key !== 'string' || !HEX64.test(r.key)) return undefined;
    return { key: r.key, ...(typeof r.hint === 'string' ? { hint: r.hint } : {}), gzip: r.gzip };
  } catch {
    return undefined;
  }
}

/** What a slot's last layer lends the next one. */
export interface LentBlocks {
  /** Compressed blocks by the sha256 of their uncompressed bytes. */
  blocks: Map<string, Buffer>;
  /** The caller's fingerprint of that layer's input (e.g. the binary's size, mtime and inode). */
  hint?: string;
}

export class LayerCache {
  /**
   * `warn` hears of a cache that cannot be written or holds damaged records (once is enough: see
   * env/cache-dir.ts's once()); the build goes on either way.
   */
  constructor(
    readonly root: string,
    private readonly warn: (text: string) => void = () => {},
  ) {}

  private recordPath(key: string): string {
    return join(this.root, 'layers', `${key}.json`);
  }

  private blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
  }

  /** The cached layer whose tar has this diffID, linked into `blobDir/sha256/`, or undefined. */
  async lookup(diffId: string, blobDir: string): Promise<WrittenLayer | undefined> {
    const key = keyOf(diffId);
    let text: string;
    try {
      text = await readFile(this.recordPath(key), 'utf8');
    } catch {
      return undefined; // not cached
    }
    try {
      const record: unknown = JSON.parse(text);
      if (!isRecord(record) || record.diffId !== diffId) return this.damaged(this.recordPath(key));
      const blob = this.blobPath(record.digest);
      if ((await stat(blob)).size !== record.size || (await fileDigest(blob)) !== record.digest)
        return this.damaged(blob);
      const path = join(blobDir, 'sha256', record.digest.slice('sha256:'.length));
      linkOrCopy(blob, path);
      const now = new Date();
      await utimes(this.recordPath(key), now, now).catch(() => {});
      return { ...record, path };
    } catch (err) {
      // A blob removed meanwhile (another build's pruning) is a miss, not damage.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return this.damaged(err instanceof SyntaxError ? this.recordPath(key) : errorText(err));
    }
  }

  /** A record or blob that is not what it should be: a miss (the layer is built and kept again). */
  private damaged(what: string): undefined {
    this.warn(`the cache at ${this.root} holds a damaged entry (${what}): ignored, the layer is built again`);
    return undefined;
  }

  /**
   * Keeps a freshly written layer (with its gzip blocks, when known), and names it the last layer
   * of `slot`; failures (read-only home, full disk) are ignored. Synchronous: it runs after `go
   * build`, when nothing else does (blobs.ts). Pruning is left to prune(), called while go runs.
   */
  remember(layer: WrittenLayer, blocks?: CompressedBlock[], slot?: { dir: string; hint?: string }): void {
    try {
      const record: LayerRecord = {
        digest: layer.digest,
        diffId: layer.diffId,
        size: layer.size,
        uncompressedSize: layer.uncompressedSize,
        ...(blocks ? { blocks } : {}),
      };
      // Blob first: a record whose blob is missing would only be a miss, but why write one.
      linkOrCopy(layer.path, this.blobPath(layer.digest));
      const key = keyOf(layer.diffId);
      const path = this.recordPath(key);
      mkdirSync(dirname(path), { recursive: true });
      replaceFile(path, JSON.stringify(record));
      const last: SlotRecord = {
        key,
        ...(slot?.hint !== undefined ? { hint: slot.hint } : {}),
        gzip: GZIP_FORMAT,
      };
      if (slot) replaceFile(join(slot.dir, SLOT_FILE), JSON.stringify(last));
    } catch (err) {
      this.warn(`the cache at ${this.root} cannot be written (${errorText(err)}): the layer is not kept`);
    }
  }

  /** The input fingerprint the last layer of `slot` was written with (cheap: no blob is read). */
  async slotHint(slot: string): Promise<string | undefined> {
    return (await readSlot(slot))?.hint;
  }

  /**
   * The compressed blocks of the last layer written for `slot`, by the hash of their uncompressed
   * bytes: what gzipBlocks may reuse. The blob is checked against its digest first, so a damaged
   * cache is never copied into an image.
   */
  async reusableBlocks(slot: string): Promise<LentBlocks | undefined> {
    try {
      const last = await readSlot(slot);
      // Blocks compressed another way (an older goimg) would make this layer differ from a cold build.
      if (!last || last.gzip !== GZIP_FORMAT) return undefined;
      const { key, hint } = last;
      const record: unknown = JSON.parse(await readFile(this.recordPath(key), 'utf8'));
      if (!isRecord(record)) return this.damaged(this.recordPath(key));
      if (!record.blocks) return undefined;
      const blob = await readFile(this.blobPath(record.digest));
      if (sha256(blob) !== record.digest) return this.damaged(this.blobPath(record.digest));
      const blocks = new Map<string, Buffer>();
      let offset = GZIP_HEADER_SIZE;
      for (const b of record.blocks) {
        if (offset + b.length > blob.length) return undefined;
        blocks.set(b.hash, blob.subarray(offset, offset + b.length));
        offset += b.length;
      }
      return { blocks, ...(hint !== undefined ? { hint } : {}) };
    } catch {
      return undefined;
    }
  }

  /**
   * Removes the least recently used records beyond `max`, and blobs none still names. It waits until
   * `slack` more have gathered, so that a run of rebuilds prunes once every `slack` builds, not
   * every time.
   */
  async prune(max = MAX_CACHED_LAYERS, slack = PRUNE_SLACK): Promise<void> {
    const dir = join(this.root, 'layers');
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    if (names.length <= max + slack) return;
    const aged = await Promise.all(
      names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
    );
    aged.sort((a, b) => b.t - a.t);
    const digestOf = async (n: string) => {
      try {
        const r: unknown = JSON.parse(await readFile(join(dir, n), 'utf8'));
        return isRecord(r) ? r.digest : undefined;
      } catch {
        return undefined;
      }
    };
    const kept = new Set(await Promise.all(aged.slice(0, max).map((a) => digestOf(a.n))));
    for (const { n } of aged.slice(max)) {
      const digest = await digestOf(n);
      await rm(join(dir, n), { force: true });
      if (digest && !kept.has(digest)) await rm(this.blobPath(digest), { force: true });
    }
  }
}

/**
 * writeLayer through the cache: a hit links the stored blob into `blobDir` (no gzip); a miss writes
 * the layer and keeps it under the diffID of the bytes it actually read. Without a cache this is
 * writeLayer alone.
 */
export async function cachedLayer(
  entries: readonly LayerEntry[],
  options: {
    mtime: number;
    blobDir: string;
    cache?: LayerCache;
    /** Where this layer's blocks are remembered for next time, and lent from (`reusableBlocks`). */
    slot?: string;
    /** The slot's reusable blocks, when the caller started reading them earlier (else read here, if needed). */
    lent?: Promise<LentBlocks | undefined>;
    /**
     * A cheap fingerprint of the input (never trusted for correctness): when it differs from the
     * one the slot remembers, the input surely changed, so the whole-layer lookup (which hashes
     * the whole tar first) is skipped and the layer is written straight away with the slot's blocks.
     */
    hint?: string;
  },
): Promise<WrittenLayer & { cached: boolean }> {
  const { cache, slot, lent, hint, ...write } = options;
  if (!cache) return { ...(await writeLayer(entries, write)), cached: false };
  const sorted = completeEntries(entries);
  trace('layer: start');
  let lending = lent ? await lent : undefined;
  // The slot's blocks are read only when they may be used: a matching hint looks up first.
  const lastHint = lent ? lending?.hint : slot ? await cache.slotHint(slot) : undefined;
  if (hint === undefined || lastHint === undefined || lastHint === hint) {
    const hit = await cache.lookup(await diffIdOf(sorted, options.mtime), options.blobDir);
    trace('layer: looked up');
    if (hit) return { ...hit, cached: true };
  }
  lending ??= slot ? await cache.reusableBlocks(slot) : undefined;
  const reusable = lending?.blocks;
  const blocks: CompressedBlock[] = [];
  let reused = 0;
  const layer = await writeLayer(entries, {
    ...write,
    ...(reusable
      ? {
          reuse: (hash: string) => {
            const hit = reusable.get(hash);
            if (hit) reused++;
            return hit;
          },
        }
      : {}),
    onBlock: (b) => blocks.push(b),
  });
  trace(`layer: written (${reused} of ${blocks.length} gzip blocks reused)`);
  // Keyed by the bytes actually archived (a file may have changed since it was looked up).
  cache.remember(layer, blocks, slot ? { dir: slot, ...(hint ? { hint } : {}) } : undefined);
  trace('layer: remembered');
  return { ...layer, cached: false };
}
