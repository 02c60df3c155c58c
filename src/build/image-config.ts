/**
 * The OCI image config, manifest and index documents. Pure functions: same inputs, same bytes.
 */
import type { Descriptor } from './blobs.js';
import { MEDIA } from './blobs.js';
import { ociPlatform, type Platform } from './platform.js';

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
  author?: string;
}

/** The parts of an image config goimg reads from a base and writes back. */
export interface ImageConfigDoc {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, object>;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

export interface ConfigInput {
  platform: Platform;
  /** RFC 3339 time derived from SOURCE_DATE_EPOCH (or the epoch). */
  created: string;
  entrypoint: string[];
  user: string;
  env: string[];
  labels: Record<string, string>;
  ports: number[];
  /** diff_ids and history of the base, in order (empty for auto and scratch). */
  base?: ImageConfigDoc;
  layers: { diffId: string; createdBy: string }[];
}

export function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** Merges env lists: later entries override earlier ones with the same name, order kept. */
export function mergeEnv(...lists: string[][]): string[] {
  const out = new Map<string, string>();
  for (const list of lists) {
    for (const item of list) {
      const name = item.split('=')[0]!;
      out.delete(name);
      out.set(name, item);
    }
  }
  return [...out.values()];
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function imageConfig(input: ConfigInput): ImageConfigDoc {
  const base = input.base;
  const baseEnv = base?.config?.Env ?? [DEFAULT_PATH];
  const labels = { ...(base?.config?.Labels ?? {}), ...input.labels };
  const sortedLabels = Object.fromEntries(
    Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const ports = [...new Set(input.ports)].sort((a, b) => a - b);
  const p = ociPlatform(input.platform);
  const history: HistoryEntry[] = [...(base?.history ?? [])];
  for (const l of input.layers)
    history.push({ created: input.created, created_by: l.createdBy, comment: 'goimg build' });
  const doc: ImageConfigDoc = {
    architecture: p.architecture,
    os: p.os,
    ...(p.variant ? { variant: p.variant } : {}),
    created: input.created,
    config: {
      User: input.user,
      Env: mergeEnv(baseEnv, input.env),
      Entrypoint: input.entrypoint,
      WorkingDir: '/',
      Labels: sortedLabels,
      ...(ports.length > 0 ? { ExposedPorts: Object.fromEntries(ports.map((n) => [`${n}/tcp`, {}])) } : {}),
    },
    rootfs: {
      type: 'layers',
      diff_ids: [...(base?.rootfs.diff_ids ?? []), ...input.layers.map((l) => l.diffId)],
    },
    history,
  };
  return doc;
}

export function imageManifest(
  config: Descriptor,
  layers: Descriptor[],
  annotations?: Record<string, string>,
): object {
  return {
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

export function imageIndex(manifests: Descriptor[]): object {
  return {
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: manifests.map((m) => ({
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.size,
      ...(m.platform ? { platform: m.platform } : {}),
    })),
  };
}
