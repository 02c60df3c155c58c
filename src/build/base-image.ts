/**
 * A base given as an image (`--base distroless`, `alpine`, `debian` or IMAGE-REF), read with
 * goimg image's sources: its layer blobs are copied into the build's blob store unchanged, its
 * config supplies env and history, and its merged filesystem (read only for cgo) answers
 * "is the loader there?".
 */

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../core/errors.js';
import { probeEngine } from '../env/docker-engine.js';
import { parseDockerHost } from '../env/docker-host.js';
import { decompress } from '../image/decompress.js';
import { scanLayer } from '../image/layer-reader.js';
import { MergedFs } from '../image/merge.js';
import { openImage } from '../image/open.js';
import type { Image } from '../image/types.js';
import type { BaseChoice } from '../oci/base-choice.js';
import type { ImageFile } from './auto-base.js';
import { type BlobStore, type Descriptor, MEDIA } from './blobs.js';
import type { ImageConfigDoc } from './image-config.js';
import type { Platform } from './platform.js';

export const BASE_KEYWORD_REFS: Record<string, string> = {
  distroless: 'gcr.io/distroless/static-debian12:nonroot',
  alpine: 'alpine:3.20',
  debian: 'debian:bookworm-slim',
};

export interface ImageBase {
  ref: string;
  /** Digest of the base's manifest, when the source has one. */
  digest?: string;
  config: ImageConfigDoc;
  layers: { descriptor: Descriptor; diffId: string; uncompressedSize?: number }[];
  files: ImageFile[];
  /** Reads the merged filesystem (only when asked: it walks every base layer). */
  filesystem(): Promise<MergedFs>;
}

const TRANSPORTS = /^(docker|oci|oci-archive|docker-archive|docker-daemon):/;

/**
 * Candidate references for a base: an explicit transport is used as is; a bare name is looked up
 * in the local engine first (as `docker build` does), then in its registry.
 */
export async function baseCandidates(text: string): Promise<string[]> {
  if (TRANSPORTS.test(text)) return [text];
  let engine = false;
  try {
    engine = (await probeEngine(parseDockerHost())).reachable;
  } catch {
    engine = false;
  }
  return [
    ...(engine
      ? [`docker-daemon:${text.includes(':') || text.includes('@') ? text : `${text}:latest`}`]
      : []),
    `docker://${text}`,
  ];
}

function ociLayerType(mediaType: string, compressed: boolean): string {
  if (mediaType.includes('zstd')) return 'application/vnd.oci.image.layer.v1.tar+zstd';
  return compressed || mediaType.includes('gzip')
    ? MEDIA.layerGzip
    : 'application/vnd.oci.image.layer.v1.tar';
}

class Hashing extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  head = Buffer.alloc(0);
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.head.length < 4) this.head = Buffer.concat([this.head, chunk.subarray(0, 4)]).subarray(0, 4);
    cb(null, chunk);
  }
}

async function copyLayers(image: Image, store: BlobStore): Promise<ImageBase['layers']> {
  const byDiff = new Map<string, ImageBase['layers'][number]>();
  await mkdir(join(store.root, 'sha256'), { recursive: true });
  await image.walkLayers(async (layer, blob) => {
    const tmp = join(store.root, `.base-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const h = new Hashing();
    await pipeline(blob, h, createWriteStream(tmp));
    const digest = `sha256:${h.hash.digest('hex')}`;
    await rename(tmp, store.path(digest));
    const gz = h.head[0] === 0x1f && h.head[1] === 0x8b;
    byDiff.set(layer.digest, {
      descriptor: { mediaType: ociLayerType(layer.mediaType, gz), digest, size: h.size },
      diffId: layer.diffId,
    });
  });
  return image.layers.map((l) => {
    const copied = byDiff.get(l.digest);
    if (!copied) throw new InputError(`base layer ${l.digest} was not read`);
    return copied;
  });
}

export async function resolveImageBase(
  choice: BaseChoice,
  platform: Platform,
  store: BlobStore,
): Promise<ImageBase> {
  const text = choice.kind === 'image' ? choice.ref : (BASE_KEYWORD_REFS[choice.kind] ?? choice.kind);
  const candidates = await baseCandidates(text);
  let image: Image | undefined;
  const errors: unknown[] = [];
  for (const ref of candidates) {
    try {
      image = await openImage(ref, { platform, insecure: /^docker:\/\/(localhost|127\.)/.test(ref) });
      break;
    } catch (err) {
      errors.push(err);
    }
  }
  if (!image) {
    if (errors.length === 1) throw errors[0];
    throw new InputError(
      `cannot read base ${text}: ${errors.map((e, i) => `${candidates[i]}: ${(e as Error).message}`).join('; ')}`,
      'give an explicit source: docker-daemon:NAME, docker://REGISTRY/NAME, oci:DIR or docker-archive:FILE',
    );
  }
  try {
    if (image.config.architecture !== platform.arch) {
      throw new InputError(
        `base ${text} is ${image.config.os}/${image.config.architecture}, not ${platform.os}/${platform.arch}`,
        'give a base that has this platform (a multi-platform index, or a per-arch tag)',
      );
    }
    const layers = await copyLayers(image, store);
    const c = image.config;
    const config: ImageConfigDoc = {
      architecture: c.architecture,
      os: c.os,
      ...(c.variant ? { variant: c.variant } : {}),
      config: {
        ...(c.config?.Env ? { Env: c.config.Env } : {}),
        ...(c.config?.Labels ? { Labels: c.config.Labels } : {}),
      },
      rootfs: { type: 'layers', diff_ids: c.rootfs.diff_ids },
      history: c.history ?? [],
    };
    let fs: MergedFs | undefined;
    return {
      ref: text,
      ...(image.digest ? { digest: image.digest } : {}),
      config,
      layers,
      files: [],
      async filesystem() {
        if (fs) return fs;
        fs = new MergedFs();
        for (const [i, l] of layers.entries()) {
          const d = await decompress(createReadStream(store.path(l.descriptor.digest)), `base layer ${i}`);
          fs.apply(i, (await scanLayer(d.stream, `base layer ${i}`, l.diffId)).entries);
        }
        return fs;
      },
    };
  } finally {
    await image.close();
  }
}
