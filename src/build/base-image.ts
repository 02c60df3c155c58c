/**
 * A base given as an image (`--base distroless` or IMAGE-REF): its layers are copied into the
 * build's blob store as they are, its config supplies env and history, and its file list answers
 * the cgo check (is the loader there?).
 */

import type { BaseChoice } from '../cli/options.js';
import { EnvironmentError } from '../core/errors.js';
import type { ImageFile } from './auto-base.js';
import type { BlobStore, Descriptor } from './blobs.js';
import type { ImageConfigDoc } from './image-config.js';
import type { Platform } from './platform.js';

export const DISTROLESS_STATIC = 'gcr.io/distroless/static-debian12:nonroot';

export interface ImageBase {
  ref: string;
  /** Digest of the base's manifest, when known. */
  digest?: string;
  config: ImageConfigDoc;
  layers: { descriptor: Descriptor; diffId: string; uncompressedSize?: number }[];
  files: ImageFile[];
  /** True when the merged filesystem of the base has this absolute path (symlinks followed). */
  hasPath(path: string): boolean;
}

export async function resolveImageBase(
  choice: BaseChoice,
  _platform: Platform,
  _store: BlobStore,
): Promise<ImageBase> {
  const ref =
    choice.kind === 'image' ? choice.ref : choice.kind === 'distroless' ? DISTROLESS_STATIC : choice.kind;
  throw new EnvironmentError(`reading base image ${ref} is not available yet`);
}
