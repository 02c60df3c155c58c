/**
 * The docker-archive (`docker save`) format for one platform: `manifest.json` naming the config,
 * the repo tag and the layers, plus the blobs. The same tar is also an OCI layout (`oci-layout`,
 * `index.json`), as `docker save` writes since Docker 25. `docker load` takes the layers gzipped.
 */
import { createWriteStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../core/errors.js';
import { jsonBytes } from '../oci/blob-store.js';
import { REF_NAME } from '../oci/descriptor.js';
import { digestHex } from '../oci/digest.js';
import { MEDIA } from '../oci/media.js';
import { formatPlatform } from '../oci/platform.js';
import type { BuildResult, BuiltImage } from './build.js';
import { completeEntries, type LayerEntry, tarStream } from './tar.js';

/** The one image a single-platform output takes; several platforms are a usage error. */
export function singleImage(result: BuildResult, what: string): BuiltImage {
  if (result.images.length !== 1) {
    throw new UsageError(
      `${what} holds one platform, but ${result.images.map((i) => formatPlatform(i.platform)).join(', ')} were built`,
      'build one --platform for it, or use --oci / --push for a multi-platform index',
    );
  }
  return result.images[0]!;
}

function blobEntry(result: BuildResult, digest: string): LayerEntry {
  const path = result.store.path(digest);
  return {
    type: 'file',
    path: `blobs/sha256/${digestHex(digest)}`,
    mode: 0o644,
    uid: 0,
    gid: 0,
    content: { kind: 'file', path, size: statSync(path).size },
  };
}

function bytesEntry(path: string, data: Buffer): LayerEntry {
  return { type: 'file', path, mode: 0o644, uid: 0, gid: 0, content: { kind: 'bytes', data } };
}

export function dockerArchiveEntries(result: BuildResult, image: BuiltImage): LayerEntry[] {
  const repoTag = `${result.name}:${result.tag}`;
  const manifest = [
    {
      Config: `blobs/sha256/${digestHex(image.config.digest)}`,
      RepoTags: [repoTag],
      Layers: image.layers.map((l) => `blobs/sha256/${digestHex(l.digest)}`),
    },
  ];
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [
      {
        mediaType: image.manifest.mediaType,
        digest: image.manifest.digest,
        size: image.manifest.size,
        annotations: { [REF_NAME]: result.tag, 'io.containerd.image.name': repoTag },
      },
    ],
  };
  const digests = new Set([image.manifest.digest, image.config.digest, ...image.layers.map((l) => l.digest)]);
  return completeEntries([
    bytesEntry('manifest.json', jsonBytes(manifest)),
    bytesEntry('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')),
    bytesEntry('index.json', jsonBytes(index)),
    ...[...digests].map((d) => blobEntry(result, d)),
  ]);
}

/** The archive as a stream (for the engine's /images/load). */
export function dockerArchiveStream(result: BuildResult, image: BuiltImage, mtime: number): Readable {
  return Readable.from(tarStream(dockerArchiveEntries(result, image), mtime));
}

export async function writeDockerArchive(
  result: BuildResult,
  file: string,
  mtime: number,
): Promise<BuiltImage> {
  const image = singleImage(result, '--docker-archive');
  await pipeline(dockerArchiveStream(result, image, mtime), createWriteStream(file));
  return image;
}
