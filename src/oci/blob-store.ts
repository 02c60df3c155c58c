/**
 * A content-addressed blob directory (`<root>/sha256/<hex>`), the same shape as an OCI layout's
 * `blobs/`. Every output (OCI layout, docker-archive, engine load, registry push) reads from it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Descriptor } from './descriptor.js';
import { digestHex, sha256 } from './digest.js';

/** Where a blob's bytes are, by digest. */
export interface BlobPaths {
  path(digest: string): string;
}

export class BlobStore implements BlobPaths {
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
