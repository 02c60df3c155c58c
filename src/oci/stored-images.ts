/**
 * Images whose blobs are on disk: what a build produces and what every writer (OCI layout,
 * docker-archive, engine load, registry push) reads. A build result is one of these.
 */
import type { BlobPaths } from './blob-store.js';
import type { Descriptor } from './descriptor.js';

export interface StoredImage {
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
}

export interface StoredImages {
  store: BlobPaths;
  /** One per platform. */
  images: StoredImage[];
  /** The image index, when several platforms were built. */
  index?: Descriptor;
  /** What a reference names: the index, or the single manifest. */
  top: Descriptor;
}

/** Every blob the images reference, top-level document first, each once. */
export function storedBlobs(set: StoredImages): Descriptor[] {
  const out = new Map<string, Descriptor>();
  const add = (d: Descriptor) => {
    if (!out.has(d.digest)) out.set(d.digest, d);
  };
  if (set.index) add(set.index);
  for (const img of set.images) {
    add(img.manifest);
    add(img.config);
    for (const l of img.layers) add(l);
  }
  return [...out.values()];
}
