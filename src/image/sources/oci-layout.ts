/**
 * OCI image layouts (oci:DIR[:TAG], oci-archive:FILE[:TAG]) and the Docker 25+ `docker save`
 * archive, which is an OCI layout plus a legacy manifest.json.
 */
import { InputError } from '../../core/errors.js';
import { REF_NAME } from '../../oci/descriptor.js';
import { assembleImage, classifyDocument, parseJson, selectPlatform } from '../assemble.js';
import type { Descriptor, Image, ImageIndex, OpenOptions, SourceKind } from '../types.js';
import { assertDigest } from '../verify.js';
import type { BlobStore } from './blob-store.js';

export function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  return `blobs/${alg}/${hex}`;
}

const CONTAINERD_NAME = 'io.containerd.image.name';

/** Picks the index entry named by `tag` (ref.name annotation), or the only image there is. */
function selectByTag(index: ImageIndex, tag: string | null, what: string): Descriptor[] {
  if (tag === null) return index.manifests;
  const named = index.manifests.filter((m) => {
    const a = m.annotations ?? {};
    return a[REF_NAME] === tag || a[CONTAINERD_NAME] === tag || a[CONTAINERD_NAME]?.endsWith(`:${tag}`);
  });
  if (named.length === 0) {
    const tags = index.manifests.map((m) => m.annotations?.[REF_NAME]).filter(Boolean);
    throw new InputError(
      `${what}: no image tagged "${tag}"`,
      tags.length ? `tags here: ${tags.join(', ')}` : undefined,
    );
  }
  return named;
}

export async function openOciStore(
  store: BlobStore,
  source: SourceKind,
  ref: string,
  tag: string | null,
  options: OpenOptions,
  close?: () => Promise<void>,
): Promise<Image> {
  const what = store.what;
  if (!(await store.has('index.json'))) throw new InputError(`${what}: not an OCI layout (no index.json)`);
  const top = parseJson<ImageIndex>(await store.read('index.json'), `${what} index.json`);
  if (!Array.isArray(top.manifests)) throw new InputError(`${what}: index.json without manifests`);
  let candidates = selectByTag(top, tag, what);
  let desc: Descriptor;
  if (candidates.length === 1) desc = candidates[0]!;
  else desc = selectPlatform({ schemaVersion: 2, manifests: candidates }, options.platform, what);
  // Follow nested indexes (Docker 25+/buildx write an index pointing at an index) to one manifest.
  for (let depth = 0; depth < 4; depth++) {
    const bytes = await store.read(blobPath(desc.digest));
    assertDigest(desc.digest, bytes, `${what} ${desc.digest}`);
    const doc = classifyDocument(bytes, desc.mediaType, `${what} ${desc.digest}`);
    if (doc.kind === 'manifest') {
      const m = doc.manifest;
      const configBytes = await store.read(blobPath(m.config.digest));
      assertDigest(m.config.digest, configBytes, `${what} config`);
      return assembleImage({
        source,
        ref,
        digest: desc.digest,
        manifest: m,
        configDigest: m.config.digest,
        configBytes,
        layerDescriptors: m.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
        openBlob: (digest) => store.stream(blobPath(digest)),
        ...(store.span ? { blobSpan: (digest: string) => store.span!(blobPath(digest)) } : {}),
        close,
      });
    }
    candidates = doc.index.manifests;
    desc = selectPlatform(doc.index, options.platform, what);
  }
  throw new InputError(`${what}: indexes nested too deeply`);
}
