/**
 * goimg's OCI model, shared by the readers (image/), the writers (build/) and the registry client
 * (registry/): descriptors and documents, media types, digests, references, platforms, blobs.
 */
export { type BaseChoice, parseBase } from './base-choice.js';
export { type BlobPaths, BlobStore, jsonBytes } from './blob-store.js';
export type { ConfigFile, ContainerConfig, HistoryEntry } from './config.js';
export { type Descriptor, type ImageIndex, type ImageManifest, REF_NAME } from './descriptor.js';
export { digestHex, isDigest, sha256 } from './digest.js';
export { isIndexMediaType, isManifestMediaType, MANIFEST_MEDIA_TYPES, MEDIA } from './media.js';
export {
  formatPlatform,
  hostPlatform,
  type OciPlatform,
  ociPlatform,
  type Platform,
  parsePlatforms,
  platformMatches,
} from './platform.js';
export {
  DEFAULT_TAG,
  DOCKER_HUB,
  isDockerHub,
  type ParseReferenceOptions,
  parseReference,
  type Reference,
  referenceName,
} from './reference.js';
export { type StoredImage, type StoredImages, storedBlobs } from './stored-images.js';
