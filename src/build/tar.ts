/**
 * Deterministic tar layer writer. Entries are sorted by path, parent directories are added,
 * ownership and modes come from the entry (never from the disk), every mtime is the same fixed
 * value, and headers are plain ustar (PAX only for paths that do not fit), so the same inputs
 * always give the same bytes. The uncompressed stream is hashed (diffID) and the gzip stream is
 * hashed and counted (digest, size) while it is written: a layer is never held in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { lentFileChunks } from '../core/lent-chunks.js';
import { GZIP_BLOCK, GZIP_MEM_LEVEL, type GzipBlocksOptions, gzipBlocks } from './gzip-blocks.js';

export type EntryContent = { kind: 'bytes'; data: Buffer } | { kind: 'file'; path: string; size: number };

export type LayerEntry =
  | { type: 'dir'; path: string; mode: number; uid: number; gid: number }
  | { type: 'file'; path: string; mode: number; uid: number; gid: number; content: EntryContent }
  | { type: 'symlink'; path: string; target: string; uid: number; gid: number };

/** Compressed bytes gathered before one write to the blob file. */
const WRITE_BATCH = 1 << 20;

/** Big reads: a binary is megabytes, and each chunk costs a trip through the stream machinery. */
export const READ_CHUNK = 1 << 20;

/** Fixed gzip level: part of the reproducibility contract (go-containerregistry also defaults to speed). */
export const GZIP_LEVEL = 1;

/** Names the compressed form for cache keys: level, memory level and block size all change the bytes. */
export const GZIP_FORMAT = `gzip-${GZIP_LEVEL}-mem${GZIP_MEM_LEVEL}-blocks-${GZIP_BLOCK}`;

const BLOCK = 512;

/** "/etc//passwd/" → "etc/passwd"; rejects paths that climb out of the root. */
export function normalizeEntryPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new Error(`layer path "${path}" leaves the root`);
  if (parts.length === 0) throw new Error('layer path is empty');
  return parts.join('/');
}

/** Sorted entries with every missing parent directory added (root-owned, 0755). */
export function completeEntries(entries: readonly LayerEntry[]): LayerEntry[] {
  const byPath = new Map<string, LayerEntry>();
  for (const e of entries) {
    const path = normalizeEntryPath(e.path);
    if (byPath.has(path)) throw new Error(`layer path "${path}" appears twice`);
    byPath.set(path, { ...e, path });
  }
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!byPath.has(parent)) byPath.set(parent, { type: 'dir', path: parent, mode: 0o755, uid: 0, gid: 0 });
    }
  }
  // Byte order, not locale order: the same on every machine.
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function octal(value: number, width: number): string {
  // width includes the terminating NUL
  return value.toString(8).padStart(width - 1, '0');
}

function writeString(buf: Buffer, offset: number, width: number, text: string): void {
  buf.write(text, offset, Math.min(width, Buffer.byteLength(text)), 'utf8');
}

function splitUstarName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '')
      return { prefix, name: rest };
  }
  return undefined;
}

interface HeaderFields {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
}

function ustarHeader(f: HeaderFields, prefix: string): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  writeString(h, 0, 100, f.name);
  writeString(h, 100, 8, octal(f.mode & 0o7777, 8));
  writeString(h, 108, 8, octal(f.uid, 8));
  writeString(h, 116, 8, octal(f.gid, 8));
  writeString(h, 124, 12, octal(f.size, 12));
  writeString(h, 136, 12, octal(f.mtime, 12));
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  writeString(h, 156, 1, f.typeflag);
  writeString(h, 157, 100, f.linkname);
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 329, 8, octal(0, 8));
  writeString(h, 337, 8, octal(0, 8));
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, 148, 8, `${octal(sum, 7)}\0 `);
  return h;
}

function paxRecord(key: string, value: string): string {
  // "%d %s=%s\n" where %d counts the whole record, itself included.
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len)
    len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function padding(size: number): Buffer {
  const rem = size % BLOCK;
  return Buffer.alloc(rem === 0 ? 0 : BLOCK - rem, 0);
}

/** Header block(s) for one entry: a PAX extended header first when a name does not fit ustar. */
export function entryHeader(e: LayerEntry, mtime: number): Buffer {
  const isDir = e.type === 'dir';
  const name = isDir ? `${e.path}/` : e.path;
  const size = e.type === 'file' ? (e.content.kind === 'bytes' ? e.content.data.length : e.content.size) : 0;
  const linkname = e.type === 'symlink' ? e.target : '';
  const mode = e.type === 'symlink' ? 0o777 : e.mode;
  const typeflag = e.type === 'dir' ? '5' : e.type === 'symlink' ? '2' : '0';
  const split = splitUstarName(name);
  const longLink = Buffer.byteLength(linkname) > 100;
  const fields: HeaderFields = { name, mode, uid: e.uid, gid: e.gid, size, mtime, typeflag, linkname };
  if (split && !longLink) return ustarHeader({ ...fields, name: split.name }, split.prefix);
  let records = '';
  if (!split) records += paxRecord('path', name);
  if (longLink) records += paxRecord('linkpath', linkname);
  const pax = Buffer.from(records, 'utf8');
  const paxName = `PaxHeaders/${e.path}`.slice(0, 99);
  const paxHeader = ustarHeader(
    { name: paxName, mode: 0o644, uid: 0, gid: 0, size: pax.length, mtime, typeflag: 'x', linkname: '' },
    '',
  );
  const shortName = split ? split.name : name.slice(-100).replace(/^\/+/, '');
  const main = ustarHeader(
    { ...fields, name: shortName, linkname: longLink ? linkname.slice(0, 100) : linkname },
    split ? split.prefix : '',
  );
  return Buffer.concat([paxHeader, pax, padding(pax.length), main]);
}

/**
 * The uncompressed tar stream of the (already completed and sorted) entries. With `lent`, files
 * on disk are read through one reused buffer (core/lent-chunks.ts): each chunk is valid only until
 * the next one is asked for, which suits a consumer that hashes or copies what it keeps.
 */
export async function* tarStream(
  entries: readonly LayerEntry[],
  mtime: number,
  { lent = false }: { lent?: boolean } = {},
): AsyncGenerator<Buffer> {
  for (const e of entries) {
    yield entryHeader(e, mtime);
    if (e.type !== 'file') continue;
    if (e.content.kind === 'bytes') {
      // In READ_CHUNK slices: the compressor downstream gets its first blocks at once.
      const data = e.content.data;
      for (let at = 0; at < data.length; at += READ_CHUNK) yield data.subarray(at, at + READ_CHUNK);
      yield padding(data.length);
    } else {
      let seen = 0;
      const chunks = lent
        ? lentFileChunks(e.content.path)
        : createReadStream(e.content.path, { highWaterMark: READ_CHUNK });
      for await (const chunk of chunks) {
        seen += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (seen !== e.content.size) throw new Error(`${e.content.path} changed size while it was archived`);
      yield padding(seen);
    }
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}

export interface WrittenLayer {
  /** sha256 of the gzip stream: the blob's name. */
  digest: string;
  /** sha256 of the uncompressed tar: the config's rootfs.diff_ids entry. */
  diffId: string;
  /** Compressed size. */
  size: number;
  uncompressedSize: number;
  /** Where the blob was written: `<blobDir>/sha256/<hex>`. */
  path: string;
}

/** Passes a byte stream through, hashing and counting it on the way. */
async function* tapped(
  source: AsyncIterable<Buffer>,
  tap: { hash: ReturnType<typeof createHash>; size: number },
) {
  for await (const chunk of source) {
    tap.hash.update(chunk);
    tap.size += chunk.length;
    yield chunk;
  }
}

/**
 * Writes entries as a gzip-compressed layer blob into `blobDir/sha256/`, returning its digests.
 * The gzip stream (gzip-blocks.ts) compresses fixed blocks in parallel; its header carries no file
 * name and a zero timestamp, so the output depends only on the input bytes, the level and zlib's
 * version.
 */
export async function writeLayer(
  entries: readonly LayerEntry[],
  options: { mtime: number; blobDir: string } & Pick<GzipBlocksOptions, 'reuse' | 'onBlock'>,
): Promise<WrittenLayer> {
  const sorted = completeEntries(entries);
  const raw = { hash: createHash('sha256'), size: 0 };
  const packed = { hash: createHash('sha256'), size: 0 };
  const tmp = join(options.blobDir, `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await mkdir(options.blobDir, { recursive: true });
  // Lent chunks: gzipBlocks copies what it keeps (the blocks it compresses).
  const gzip = gzipBlocks(tapped(tarStream(sorted, options.mtime, { lent: true }), raw), GZIP_LEVEL, {
    ...(options.reuse ? { reuse: options.reuse } : {}),
    ...(options.onBlock ? { onBlock: options.onBlock } : {}),
  });
  // A plain loop over a file handle, writing about a megabyte at a time: no stream machinery for
  // the compressed blocks (tens of kilobytes each) to pass through.
  const file = await open(tmp, 'w');
  try {
    let batch: Buffer[] = [];
    let held = 0;
    for await (const chunk of gzip) {
      packed.hash.update(chunk);
      packed.size += chunk.length;
      batch.push(chunk);
      held += chunk.length;
      if (held >= WRITE_BATCH) {
        await file.writev(batch);
        batch = [];
        held = 0;
      }
    }
    if (batch.length > 0) await file.writev(batch);
  } catch (err) {
    await file.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await file.close();
  const hex = packed.hash.digest('hex');
  const path = join(options.blobDir, 'sha256', hex);
  await mkdir(dirname(path), { recursive: true });
  await rename(tmp, path);
  return {
    digest: `sha256:${hex}`,
    diffId: `sha256:${raw.hash.digest('hex')}`,
    size: packed.size,
    uncompressedSize: raw.size,
    path,
  };
}
