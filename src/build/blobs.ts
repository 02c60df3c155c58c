/**
 * Files a build writes beside its content-addressed blobs. The blob model itself (BlobStore,
 * descriptors, media types, digests) is in oci/; its names stay importable from here.
 */
import { copyFileSync, linkSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export { BlobStore, jsonBytes } from '../oci/blob-store.js';
export type { Descriptor } from '../oci/descriptor.js';
export { digestHex, sha256 } from '../oci/digest.js';
export { MEDIA } from '../oci/media.js';

/**
 * Replaces `path` with `data` atomically (a temporary file renamed over it): readers see the old
 * file or the new one, never a torn one. For goimg's own files (cache records, OCI index); user
 * files go through fix/write.ts, which also keeps modes and syncs to disk.
 */
export function replaceFile(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Puts `from` at `to` as a hard link (blobs are immutable: one copy on disk, no bytes moved), or a
 * copy when the paths are on different file systems or links are refused. Atomic: `to` is either
 * absent or complete. Synchronous (see BlobStore.put).
 */
export function linkOrCopy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  const tmp = `${to}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    linkSync(from, tmp);
  } catch {
    copyFileSync(from, tmp);
  }
  renameSync(tmp, to);
}
