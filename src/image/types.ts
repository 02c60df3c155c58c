/**
 * The image model, after go-containerregistry's v1.Image / v1.Layer: metadata is read eagerly
 * (manifest, config: a few KB), layer bytes only when asked for, as streams.
 */
import type { Readable } from 'node:stream';
import type { FileSpan } from '../core/lent-chunks.js';
import type { ConfigFile, ContainerConfig, HistoryEntry } from '../oci/config.js';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/descriptor.js';
import type { Platform } from '../oci/platform.js';

export type { ConfigFile, ContainerConfig, Descriptor, HistoryEntry, ImageIndex, ImageManifest };

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
  /**
   * Where the stored blob lies in a local file, for sources that read files (layouts, archives):
   * a reader may take the bytes from there instead of through open(), and checks the digest itself.
   */
  span?(): Promise<FileSpan>;
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
  platform?: Platform;
  /** Allow plain HTTP to a loopback registry. */
  insecure?: boolean;
  /** Engine endpoint for docker-daemon: (defaults to DOCKER_HOST). */
  dockerHost?: string;
}
