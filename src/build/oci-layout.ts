/**
 * Writes a build to an OCI image layout directory: `oci-layout`, `blobs/sha256/*` and an
 * `index.json` whose entry carries the tag as `org.opencontainers.image.ref.name`. Entries of
 * other tags already in the directory are kept, so one layout can hold several images.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { jsonBytes } from '../oci/blob-store.js';
import { type Descriptor, REF_NAME } from '../oci/descriptor.js';
import { digestHex } from '../oci/digest.js';
import { MEDIA } from '../oci/media.js';
import { type StoredImages, storedBlobs } from '../oci/stored-images.js';
import { linkOrCopy, replaceFile } from './blobs.js';

export { REF_NAME };

interface LayoutIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

function readIndex(dir: string): LayoutIndex | undefined {
  const path = join(dir, 'index.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LayoutIndex;
  } catch (err) {
    throw new InputError(`${path} is not an OCI index: ${(err as Error).message}`);
  }
}

/**
 * Synchronous, as every small file goimg writes after `go build` (blobs.ts). The index is replaced
 * atomically: the images of other tags it lists are never lost to an interrupted write.
 */
export function writeOciLayout(result: StoredImages & { tag: string }, dir: string): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  // The blobs and the layout marker first, the index (which names them) last.
  for (const blob of storedBlobs(result)) {
    const to = join(dir, 'blobs', 'sha256', digestHex(blob.digest));
    if (!existsSync(to)) linkOrCopy(result.store.path(blob.digest), to);
  }
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const previous = readIndex(dir);
  const kept = (previous?.manifests ?? []).filter((m) => m.annotations?.[REF_NAME] !== result.tag);
  const top: Descriptor = {
    mediaType: result.top.mediaType,
    digest: result.top.digest,
    size: result.top.size,
    annotations: { [REF_NAME]: result.tag },
  };
  const index = { schemaVersion: 2, mediaType: MEDIA.index, manifests: [...kept, top] };
  replaceFile(join(dir, 'index.json'), jsonBytes(index));
}
