/** openImage(ref): one entry point over every image source. */
import { stat } from 'node:fs/promises';
import { InputError, UsageError } from '../core/errors.js';
import type { TransportOptions } from '../registry/transport.js';
import { parseSourceRef } from './ref.js';
import { DirStore, TarStore } from './sources/blob-store.js';
import { openDockerArchiveStore } from './sources/docker-archive.js';
import { openDaemonImage } from './sources/docker-daemon.js';
import { openOciStore } from './sources/oci-layout.js';
import { openRegistryImage } from './sources/registry.js';
import type { Image, OpenOptions } from './types.js';

export interface OpenImageOptions extends OpenOptions {
  /** Registry transport tuning (retries, backoff, credentials), mostly for tests. */
  transport?: Partial<TransportOptions>;
}

async function requireFile(path: string, dir: boolean, what: string): Promise<void> {
  if (path === '-')
    throw new UsageError(
      `${what}: standard input can be read by goimg image only`,
      'save the archive to a file',
    );
  try {
    const s = await stat(path);
    if (dir ? !s.isDirectory() : !s.isFile())
      throw new InputError(`${what}: ${path} is not a ${dir ? 'directory' : 'file'}`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${what}: ${path} does not exist`);
  }
}

/** Opens an image by reference; metadata is read now, layers when walked or opened. */
export async function openImage(ref: string, options: OpenImageOptions = {}): Promise<Image> {
  const parsed = parseSourceRef(ref);
  switch (parsed.kind) {
    case 'docker-archive': {
      await requireFile(parsed.path, false, ref);
      return openDockerArchiveStore(await TarStore.open(parsed.path, ref), ref, options);
    }
    case 'oci': {
      await requireFile(parsed.path, true, ref);
      return openOciStore(new DirStore(parsed.path, ref), 'oci', ref, parsed.tag, options);
    }
    case 'oci-archive': {
      await requireFile(parsed.path, false, ref);
      return openOciStore(await TarStore.open(parsed.path, ref), 'oci-archive', ref, parsed.tag, options);
    }
    case 'docker':
      return openRegistryImage(ref, parsed.ref, options);
    case 'docker-daemon':
      return openDaemonImage(ref, parsed.name, options);
  }
}
