/**
 * Shared steps of every source: parse and check manifests, indexes and configs, pick a platform
 * from an index, and assemble the Image object with verified, lazy layers.
 */
import type { Readable } from 'node:stream';
import { InputError } from '../core/errors.js';
import type { FileSpan } from '../core/lent-chunks.js';
import type { ConfigFile } from '../oci/config.js';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/descriptor.js';
import { isDigest } from '../oci/digest.js';
import { isIndexMediaType, isManifestMediaType } from '../oci/media.js';
import { formatPlatform, hostPlatform, platformMatches } from '../oci/platform.js';
import type { Image, Layer, OpenOptions, SourceKind } from './types.js';
import { DigestStream } from './verify.js';

export function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new InputError(`${what}: not valid JSON (${(err as Error).message})`);
  }
}

function checkDescriptor(d: unknown, what: string): Descriptor {
  const desc = d as Descriptor;
  if (!desc || typeof desc !== 'object' || typeof desc.digest !== 'string' || !isDigest(desc.digest)) {
    throw new InputError(`${what}: descriptor without a valid sha256 digest`);
  }
  if (typeof desc.size !== 'number' || desc.size < 0 || !Number.isSafeInteger(desc.size)) {
    throw new InputError(`${what}: descriptor ${desc.digest} has no valid size`);
  }
  return desc;
}

/** Classifies a manifest document by its mediaType, falling back on its shape. */
export function classifyDocument(
  bytes: Buffer,
  headerType: string | undefined,
  what: string,
): { kind: 'index'; index: ImageIndex } | { kind: 'manifest'; manifest: ImageManifest } {
  const doc = parseJson<{
    mediaType?: string;
    manifests?: unknown;
    config?: unknown;
    layers?: unknown;
    schemaVersion?: number;
  }>(bytes, what);
  const mt = doc.mediaType ?? headerType;
  if (doc.schemaVersion === 1) {
    throw new InputError(
      `${what}: Docker schema 1 manifests are not supported`,
      'push the image again with a current Docker or skopeo',
    );
  }
  if (isIndexMediaType(mt) || (mt === undefined && Array.isArray(doc.manifests))) {
    if (!Array.isArray(doc.manifests)) throw new InputError(`${what}: index without a manifests array`);
    for (const [i, m] of doc.manifests.entries()) checkDescriptor(m, `${what} manifests[${i}]`);
    return { kind: 'index', index: doc as ImageIndex };
  }
  if (isManifestMediaType(mt) || (mt === undefined && doc.config !== undefined)) {
    checkDescriptor(doc.config, `${what} config`);
    if (!Array.isArray(doc.layers)) throw new InputError(`${what}: manifest without a layers array`);
    for (const [i, l] of doc.layers.entries()) checkDescriptor(l, `${what} layers[${i}]`);
    return { kind: 'manifest', manifest: doc as ImageManifest };
  }
  throw new InputError(`${what}: unknown manifest media type "${mt ?? '(none)'}"`);
}

/** Picks the index entry for a platform; attestation manifests (unknown/unknown) never match. */
export function selectPlatform(index: ImageIndex, wanted: OpenOptions['platform'], what: string): Descriptor {
  const platform = wanted ?? hostPlatform();
  const candidates = index.manifests.filter((m) => m.platform && m.platform.os !== 'unknown');
  const match = candidates.find((m) => platformMatches(m.platform!, platform));
  if (match) return match;
  // An index without platform fields (a plain OCI layout) with one image: take it.
  const plain = index.manifests.filter((m) => !m.platform);
  if (plain.length === 1 && !wanted) return plain[0]!;
  const have = candidates.map((m) => formatPlatform(m.platform!));
  const name = formatPlatform(platform);
  throw new InputError(
    `${what}: no image for platform ${name}`,
    have.length ? `it has ${have.join(', ')}; choose one with --platform` : undefined,
  );
}

export function parseConfig(bytes: Buffer, what: string): ConfigFile {
  const config = parseJson<ConfigFile>(bytes, what);
  if (!config || typeof config !== 'object' || !config.rootfs || !Array.isArray(config.rootfs.diff_ids)) {
    throw new InputError(`${what}: image config without rootfs.diff_ids`);
  }
  for (const d of config.rootfs.diff_ids) {
    if (typeof d !== 'string' || !isDigest(d)) throw new InputError(`${what}: bad diff id "${String(d)}"`);
  }
  return config;
}

export interface AssembleInput {
  source: SourceKind;
  ref: string;
  digest: string | null;
  manifest: ImageManifest | null;
  configDigest: string;
  configBytes: Buffer;
  /** Layer descriptors in order (digest, size, mediaType). */
  layerDescriptors: { digest: string; size: number | null; mediaType: string }[];
  openBlob(digest: string, index: number): Promise<Readable>;
  /** Where a blob lies on disk, for sources that read files. */
  blobSpan?(digest: string, index: number): Promise<FileSpan>;
  walkLayers?: Image['walkLayers'];
  close?: () => Promise<void>;
}

/** Builds the Image: checks the layer count against the config and wraps blobs in digest checks. */
export function assembleImage(input: AssembleInput): Image {
  const config = parseConfig(input.configBytes, `${input.ref} config`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== input.layerDescriptors.length) {
    throw new InputError(
      `${input.ref}: the config lists ${diffIds.length} layers but the manifest ${input.layerDescriptors.length}`,
    );
  }
  const layers: Layer[] = input.layerDescriptors.map((d, i) => ({
    digest: d.digest,
    diffId: diffIds[i]!,
    size: d.size,
    mediaType: d.mediaType,
    async open() {
      const raw = await input.openBlob(d.digest, i);
      const check = new DigestStream(d.digest, `${input.ref} layer ${i} blob`, d.size);
      raw.on('error', (err) => check.destroy(err));
      return raw.pipe(check);
    },
    ...(input.blobSpan ? { span: () => input.blobSpan!(d.digest, i) } : {}),
  }));
  const image: Image = {
    source: input.source,
    ref: input.ref,
    digest: input.digest,
    manifest: input.manifest,
    configDigest: input.configDigest,
    configBytes: input.configBytes,
    config,
    layers,
    walkLayers:
      input.walkLayers ??
      (async (visit) => {
        const seen = new Set<string>();
        for (const layer of layers) {
          if (seen.has(layer.digest)) continue;
          seen.add(layer.digest);
          await visit(layer, await layer.open());
        }
      }),
    close: input.close ?? (async () => undefined),
  };
  return image;
}
