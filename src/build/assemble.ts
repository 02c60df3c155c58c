/**
 * The third step of a build: one platform's image from its parts (the base's layers, goimg's own
 * layers, the binary's layer), its config and its manifest, in the blob store.
 */
import { readFileSync } from 'node:fs';
import { ASSETS_DIR_NAME } from './assets.js';
import { type ImageFile, NONROOT_UID } from './auto-base.js';
import type { ImageBase } from './base-image.js';
import { type BlobStore, type Descriptor, jsonBytes, MEDIA, sha256 } from './blobs.js';
import type { GitInfo } from './git-info.js';
import type { GoBinary } from './go-binary.js';
import { imageConfig, imageManifest } from './image-config.js';
import { cachedLayer, type LayerCache, type LentBlocks } from './layer-cache.js';
import type { BuildPlan } from './plan.js';
import { ociPlatform, type Platform } from './platform.js';
import type { LayerEntry, WrittenLayer } from './tar.js';

export interface BuiltImage {
  platform: Platform;
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  diffIds: string[];
  /** Compressed layers + config. */
  size: number;
  uncompressedSize: number;
  /** `hostPath` (and so `sha256`, read from it on first use) is the build's until it is disposed. */
  binary: { path: string; size: number; sha256: string; hostPath: string; goBuildMillis: number };
  files: ImageFile[];
}

/** Where layers are written, and the cache they go through. */
export interface LayerSink {
  mtime: number;
  blobDir: string;
  cache?: LayerCache;
}

/** The layers every platform shares (the auto base's files, goimg-data/), written once. */
export interface SharedLayers {
  auto?: WrittenLayer;
  assets?: WrittenLayer;
}

export async function sharedLayers(plan: BuildPlan, sink: LayerSink): Promise<SharedLayers> {
  const [auto, assets] = await Promise.all([
    plan.auto ? cachedLayer(plan.auto.entries, sink) : undefined,
    plan.assets.entries.length > 0 ? cachedLayer(plan.assets.entries, sink) : undefined,
  ]);
  return { ...(auto ? { auto } : {}), ...(assets ? { assets } : {}) };
}

/**
 * The binary's layer. With a slot, the slot's last layer lends its unchanged gzip blocks (`lent`,
 * read while go ran), and a relinked binary (a new inode) skips the whole-layer lookup.
 */
export async function binaryLayer(
  plan: BuildPlan,
  binary: GoBinary,
  sink: LayerSink,
  lent: Promise<LentBlocks | undefined> | undefined,
  log: (text: string) => void,
): Promise<WrittenLayer> {
  const entry: LayerEntry = {
    type: 'file',
    path: `app/${plan.binaryName}`,
    mode: 0o755,
    uid: 0,
    gid: 0,
    content: { kind: 'file', path: binary.hostPath, size: binary.stat.size },
  };
  const { stat } = binary;
  const layer = await cachedLayer([entry], {
    ...sink,
    ...(sink.cache && binary.slot
      ? { slot: binary.slot.dir, ...(lent ? { lent } : {}), hint: `${stat.dev}:${stat.ino}:${stat.size}` }
      : {}),
  });
  if (layer.cached) log(`binary unchanged: layer ${layer.digest.slice(7, 19)} reused from the cache`);
  return layer;
}

/** One platform's config and manifest over its layers. */
export function assembleImage(
  plan: BuildPlan,
  parts: {
    platform: Platform;
    base?: ImageBase;
    shared: SharedLayers;
    binary: GoBinary;
    binaryLayer: WrittenLayer;
    git: GitInfo;
  },
  store: BlobStore,
): BuiltImage {
  const { platform, base, shared, binary, git } = parts;
  const name = plan.binaryName;
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': plan.created,
    'org.opencontainers.image.title': name,
  };
  if (base) {
    labels['org.opencontainers.image.base.name'] = base.ref;
    if (base.digest) labels['org.opencontainers.image.base.digest'] = base.digest;
  }
  if (git.revision) labels['org.opencontainers.image.revision'] = git.revision;
  if (git.source) labels['org.opencontainers.image.source'] = git.source;

  const ours: { layer: WrittenLayer; createdBy: string }[] = [];
  if (shared.auto) {
    const what = ['passwd', 'group', '/tmp'];
    if (plan.auto?.caBundle) what.push('ca-certificates');
    ours.push({ layer: shared.auto, createdBy: `goimg build: base auto (${what.join(', ')})` });
  }
  if (shared.assets)
    ours.push({ layer: shared.assets, createdBy: `goimg build: ${ASSETS_DIR_NAME}/ → /app/data` });
  const tags = plan.tags.length ? `, -tags ${plan.tags.join(',')}` : '';
  ours.push({
    layer: parts.binaryLayer,
    createdBy: `goimg build: go build -trimpath -ldflags="-s -w" ${plan.mainPackage} (${plan.toolchain.version}, CGO_ENABLED=${plan.cgo ? 1 : 0}${tags})`,
  });

  const configDoc = imageConfig({
    platform,
    created: plan.created,
    entrypoint: [`/app/${name}`],
    user: `${NONROOT_UID}:${NONROOT_UID}`,
    env: [...(plan.auto?.env ?? []), ...(shared.assets ? ['GOIMG_DATA_DIR=/app/data'] : [])],
    labels,
    ports: plan.project.ports,
    ...(base ? { base: base.config } : {}),
    layers: ours.map((o) => ({ diffId: o.layer.diffId, createdBy: o.createdBy })),
  });
  const config = store.put(MEDIA.config, jsonBytes(configDoc));
  const baseLayers = base?.layers ?? [];
  const layers: Descriptor[] = [
    ...baseLayers.map((l) => l.descriptor),
    ...ours.map((o) => ({ mediaType: MEDIA.layerGzip, digest: o.layer.digest, size: o.layer.size })),
  ];
  const manifest = {
    ...store.put(MEDIA.manifest, jsonBytes(imageManifest(config, layers))),
    platform: ociPlatform(platform),
  };
  const size = binary.stat.size;
  let digest: string | undefined;
  return {
    platform,
    manifest,
    config,
    layers,
    diffIds: configDoc.rootfs.diff_ids,
    size: config.size + layers.reduce((s, l) => s + l.size, 0),
    uncompressedSize:
      baseLayers.reduce((s, l) => s + (l.uncompressedSize ?? 0), 0) +
      ours.reduce((s, o) => s + o.layer.uncompressedSize, 0),
    binary: {
      path: `/app/${name}`,
      size,
      // Hashed only if asked for (JSON output): a rebuild's text output never needs it. The file
      // is the build's own until it is disposed (go-binary.ts).
      get sha256() {
        digest ??= sha256(readFileSync(binary.hostPath));
        return digest;
      },
      hostPath: binary.hostPath,
      goBuildMillis: binary.millis,
    },
    files: [
      ...(base?.files ?? []),
      ...(plan.auto?.files ?? []),
      ...plan.assets.files,
      { path: `/app/${name}`, size, kind: 'binary', reason: `go build ${plan.mainPackage}` },
    ],
  };
}
