/**
 * Writes a build to an OCI image layout directory: `oci-layout`, `blobs/sha256/*` and an
 * `index.json` whose entry carries the tag as `org.opencontainers.image.ref.name`. Entries of
 * other tags already in the directory are kept, so one layout can hold several images.
 */

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { type Descriptor, digestHex, jsonBytes, linkOrCopy, MEDIA } from './blobs.js';
import type { BuildResult } from './build.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';

/** Every blob a build result references, top-level document first, each once. */
export function resultBlobs(result: BuildResult): Descriptor[] {
  const out = new Map<string, Descriptor>();
  const add = (d: Descriptor) => {
    if (!out.has(d.digest)) out.set(d.digest, d);
  };
  if (result.index) add(result.index);
  for (const img of result.images) {
    add(img.manifest);
    add(img.config);
    for (const l of img.layers) add(l);
  }
  return [...out.values()];
}

interface LayoutIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

async function readIndex(dir: string): Promise<LayoutIndex | undefined> {
  const path = join(dir, 'index.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LayoutIndex;
  } catch (err) {
    throw new InputError(`${path} is not an OCI index: ${(err as Error).message}`);
  }
}

export async function writeOciLayout(result: BuildResult, dir: string): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const missing = resultBlobs(result)
    .map((blob) => ({
      from: result.store.path(blob.digest),
      to: join(dir, 'blobs', 'sha256', digestHex(blob.digest)),
    }))
    .filter((blob) => !existsSync(blob.to));
  // The blobs and the layout marker at once, the index (which names them) after.
  const [previous] = await Promise.all([
    readIndex(dir),
    writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}'),
    ...missing.map((blob) => linkOrCopy(blob.from, blob.to)),
  ]);
  const kept = (previous?.manifests ?? []).filter((m) => m.annotations?.[REF_NAME] !== result.tag);
  const top: Descriptor = {
    mediaType: result.top.mediaType,
    digest: result.top.digest,
    size: result.top.size,
    annotations: { [REF_NAME]: result.tag },
  };
  const index = { schemaVersion: 2, mediaType: MEDIA.index, manifests: [...kept, top] };
  await writeFile(join(dir, 'index.json'), jsonBytes(index));
}
