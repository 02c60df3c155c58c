/**
 * Writes real OCI image layouts for tests: layer tars made with tar-stream (any entry names,
 * including hostile ones), compressed with gzip, zstd (the real zstd CLI) or not at all.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface TestEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  data?: Buffer | string;
  linkname?: string;
  mode?: number;
  /** Header size to claim (for "size larger than data" tests). */
  size?: number;
}

export async function tarOf(entries: TestEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    const data = e.data === undefined ? undefined : Buffer.from(e.data);
    const type = e.type ?? 'file';
    const header = {
      name: e.name,
      type,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      size: type === 'file' ? (data?.length ?? 0) : 0,
      mtime: new Date(0),
      ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
    };
    if (type === 'file') pack.entry(header, data ?? Buffer.alloc(0));
    else pack.entry(header, Buffer.alloc(0));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export type Compression = 'gzip' | 'zstd' | 'none';

export function compress(data: Buffer, how: Compression): Buffer {
  if (how === 'gzip') return gzipSync(data);
  if (how === 'zstd') return execFileSync('zstd', ['-c', '-q'], { input: data, maxBuffer: 1 << 30 });
  return data;
}

export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface TestLayer {
  entries?: TestEntry[];
  /** Raw uncompressed tar bytes instead of entries. */
  tar?: Buffer;
  compression?: Compression;
  /** Replace the stored blob after computing digests (tampering, truncation). */
  mutateBlob?: (blob: Buffer) => Buffer;
  createdBy?: string;
}

export interface BuiltLayout {
  dir: string;
  manifestDigest: string;
  configDigest: string;
  diffIds: string[];
  blobs: string[];
}

export interface ImageSpec {
  layers: TestLayer[];
  config?: { Entrypoint?: string[]; Cmd?: string[]; User?: string; Env?: string[]; WorkingDir?: string };
  dir?: string;
  tag?: string;
  architecture?: string;
  /** The config's `created` time. */
  created?: string;
}

const MT: Record<Compression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

export async function writeLayout(spec: ImageSpec): Promise<BuiltLayout> {
  const dir = spec.dir ?? mkdtempSync(join(tmpdir(), 'goimg-layout-'));
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Buffer | string): string => {
    const d = digestOf(data);
    writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), data);
    return d;
  };
  const diffIds: string[] = [];
  const layers = [];
  const blobs: string[] = [];
  for (const l of spec.layers) {
    const raw = l.tar ?? (await tarOf(l.entries ?? []));
    diffIds.push(digestOf(raw));
    const how = l.compression ?? 'gzip';
    const blob = compress(raw, how);
    const digest = digestOf(blob);
    const stored = l.mutateBlob ? l.mutateBlob(blob) : blob;
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), stored);
    blobs.push(digest);
    layers.push({ mediaType: MT[how], digest, size: blob.length });
  }
  const config = JSON.stringify({
    ...(spec.created ? { created: spec.created } : {}),
    architecture: spec.architecture ?? 'amd64',
    os: 'linux',
    config: spec.config ?? {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: spec.layers.map((l, i) => ({ created_by: l.createdBy ?? `layer ${i}` })),
  });
  const configDigest = put(config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: Buffer.byteLength(config),
    },
    layers,
  });
  const manifestDigest = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: Buffer.byteLength(manifest),
          annotations: { 'org.opencontainers.image.ref.name': spec.tag ?? 'latest' },
        },
      ],
    }),
  );
  return { dir, manifestDigest, configDigest, diffIds, blobs };
}

/** Puts an index of several platform images (already in `dir`) behind index.json, as buildx does. */
export function writePlatformIndex(
  dir: string,
  images: { manifestDigest: string; architecture: string }[],
  tag = 'latest',
): string {
  const manifests = images.map((i) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: i.manifestDigest,
    size: readFileSync(join(dir, 'blobs', 'sha256', i.manifestDigest.slice(7))).length,
    platform: { os: 'linux', architecture: i.architecture },
  }));
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests,
  });
  const digest = digestOf(index);
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), index);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest,
          size: Buffer.byteLength(index),
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return digest;
}
