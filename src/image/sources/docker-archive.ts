/**
 * `docker save` archives. Docker 25+ writes an OCI layout plus manifest.json: read through the
 * layout, which gives a manifest digest. Older engines write only manifest.json, a config JSON
 * and uncompressed layer tars: the layers' digests are then their diff ids, and there is no
 * manifest digest.
 */
import { InputError } from '../../core/errors.js';
import { sha256 } from '../../oci/digest.js';
import { MEDIA } from '../../oci/media.js';
import { assembleImage, parseJson } from '../assemble.js';
import type { Image, OpenOptions } from '../types.js';
import type { BlobStore } from './blob-store.js';
import { openOciStore } from './oci-layout.js';

interface SaveManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export async function openDockerArchiveStore(
  store: BlobStore,
  ref: string,
  options: OpenOptions,
  close?: () => Promise<void>,
): Promise<Image> {
  const what = store.what;
  if ((await store.has('index.json')) && (await store.has('oci-layout'))) {
    return openOciStore(store, 'docker-archive', ref, null, options, close);
  }
  if (!(await store.has('manifest.json'))) {
    throw new InputError(`${what}: not a docker save archive (no manifest.json)`);
  }
  const entries = parseJson<SaveManifestEntry[]>(await store.read('manifest.json'), `${what} manifest.json`);
  if (!Array.isArray(entries) || entries.length === 0)
    throw new InputError(`${what}: manifest.json lists no image`);
  if (entries.length > 1) {
    throw new InputError(
      `${what}: holds ${entries.length} images; goimg reads archives of one image`,
      'docker save one image per file',
    );
  }
  const entry = entries[0]!;
  if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) {
    throw new InputError(`${what}: manifest.json entry without Config and Layers`);
  }
  const configBytes = await store.read(entry.Config);
  const configDigest = sha256(configBytes);
  const config = parseJson<{ rootfs?: { diff_ids?: string[] } }>(configBytes, `${what} config`);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== entry.Layers.length) {
    throw new InputError(
      `${what}: the config lists ${diffIds.length} layers but manifest.json ${entry.Layers.length}`,
    );
  }
  const sizes = await Promise.all(entry.Layers.map((p) => store.size(p)));
  return assembleImage({
    source: 'docker-archive',
    ref,
    digest: null,
    manifest: null,
    configDigest,
    configBytes,
    // Legacy layer.tar files are uncompressed, so their digest is the diff id; checked on read.
    layerDescriptors: entry.Layers.map((_p, i) => ({
      digest: diffIds[i]!,
      size: sizes[i]!,
      mediaType: MEDIA.dockerLayer,
    })),
    openBlob: (_digest, i) => store.stream(entry.Layers[i]!),
    ...(store.span ? { blobSpan: (_digest: string, i: number) => store.span!(entry.Layers[i]!) } : {}),
    close,
  });
}
