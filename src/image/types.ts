/**
 * The image model, after go-containerregistry's v1.Image / v1.Layer: metadata is read eagerly
 * (manifest, config: a few KB), layer bytes only when asked for, as streams.
 */
import type { Readable } from 'node:stream';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

/** The runtime part of an image config (`config` in the OCI config JSON). */
export interface ContainerConfig {
  User?: string;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  ExposedPorts?: Record<string, object> | null;
  Labels?: Record<string, string> | null;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ConfigFile {
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
}

export type SourceKind = 'docker-archive' | 'oci' | 'oci-archive' | 'docker' | 'docker-daemon';

/** One layer: its identity up front, its bytes on demand. */
export interface Layer {
  /** Stored blob digest (compressed where the source compresses). */
  digest: string;
  /** Digest of the uncompressed tar (from the config's rootfs.diff_ids). */
  diffId: string;
  /** Stored blob size in bytes, when the source knows it before reading. */
  size: number | null;
  mediaType: string;
  /** The stored blob as a stream; fails with InputError at its end when the digest does not match. */
  open(): Promise<Readable>;
}

export interface Image {
  source: SourceKind;
  ref: string;
  /** Manifest digest where the source has a manifest (registry, OCI layout, Docker 25+ archive). */
  digest: string | null;
  manifest: ImageManifest | null;
  configDigest: string;
  configBytes: Buffer;
  config: ConfigFile;
  layers: Layer[];
  /**
   * Visits every distinct layer blob once (a blob used twice is visited once), in the order
   * cheapest for the source: manifest order for files and registries, export order for a daemon
   * stream. The visitor must consume the stream. Resolves when all are visited.
   */
  walkLayers(visit: (layer: Layer, blob: Readable) => Promise<void>): Promise<void>;
  /** Releases what the source holds open (file handles, sockets). */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Preferred platform for multi-platform indexes, e.g. linux/amd64. */
  platform?: { os: string; arch: string; variant?: string };
  /** Allow plain HTTP to a loopback registry. */
  insecure?: boolean;
  /** Engine endpoint for docker-daemon: (defaults to DOCKER_HOST). */
  dockerHost?: string;
}
