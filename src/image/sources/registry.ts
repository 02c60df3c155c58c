/** docker://REGISTRY/NAME:TAG|@DIGEST through the OCI distribution API. */

import { InputError } from '../../core/errors.js';
import type { Reference } from '../../oci/reference.js';
import { RegistryClient } from '../../registry/client.js';
import type { TransportOptions } from '../../registry/transport.js';
import { assembleImage, classifyDocument, selectPlatform } from '../assemble.js';
import type { Image, OpenOptions } from '../types.js';

export async function openRegistryImage(
  ref: string,
  target: Reference,
  options: OpenOptions & { transport?: Partial<TransportOptions> },
): Promise<Image> {
  const client = new RegistryClient(
    { registry: target.registry, insecure: options.insecure, ...options.transport },
    target.repository,
  );
  let fetched = await client.getManifest(target.identifier);
  for (let depth = 0; depth < 4; depth++) {
    const what = `${target.registry}/${target.repository}@${fetched.digest}`;
    const doc = classifyDocument(fetched.bytes, fetched.mediaType, what);
    if (doc.kind === 'manifest') {
      const m = doc.manifest;
      const configBytes = await client.getBlobBytes(m.config.digest);
      return assembleImage({
        source: 'docker',
        ref,
        digest: fetched.digest,
        manifest: m,
        configDigest: m.config.digest,
        configBytes,
        layerDescriptors: m.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
        openBlob: (digest) => client.getBlob(digest),
      });
    }
    const chosen = selectPlatform(doc.index, options.platform, what);
    fetched = await client.getManifest(chosen.digest);
  }
  throw new InputError(`${ref}: indexes nested too deeply`);
}
