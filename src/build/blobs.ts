/**
 * A content-addressed blob directory (`<root>/sha256/<hex>`), the same shape as an OCI layout's
 * `blobs/`. Every output (OCI layout, docker-archive, engine load, registry push) reads from it.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
  annotations?: Record<string, string>;
}

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function digestHex(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m) throw new Error(`unsupported digest "${digest}"`);
  return m[1]!;
}

export class BlobStore {
  constructor(readonly root: string) {}

  path(digest: string): string {
    return join(this.root, 'sha256', digestHex(digest));
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  /**
   * Stores bytes (JSON documents) and returns their descriptor. Synchronously, as every small file
   * goimg writes after `go build`: nothing else runs then, and a threadpool round trip per call
   * costs more than the write.
   */
  put(mediaType: string, data: Buffer): Descriptor {
    const digest = sha256(data);
    mkdirSync(join(this.root, 'sha256'), { recursive: true });
    if (!this.has(digest)) writeFileSync(this.path(digest), data);
    return { mediaType, digest, size: data.length };
  }
}

/** Canonical JSON bytes for a document: the digest is of exactly these bytes. */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

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
