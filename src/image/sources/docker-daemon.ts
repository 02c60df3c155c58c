/**
 * docker-daemon:NAME[:TAG] through the Engine API: GET /images/{name}/get streams a
 * `docker save` tar. `goimg image` analyses that stream in one pass (daemon-export.ts, read
 * by archive-stream.ts). As an Image with lazy layers (what a build reads a base through), the
 * stream cannot seek and its manifest.json comes after the layers, so opening reads one export
 * keeping only small files (manifests, configs) and sizes, and each layer is read from a fresh
 * export. Nothing goes to disk.
 */
import { PassThrough, Readable } from 'node:stream';
import tar from 'tar-stream';
import { EnvironmentError, InputError } from '../../core/errors.js';
import { type EngineEndpoint, parseDockerHost } from '../../env/docker-host.js';
import type { Image, Layer, OpenOptions } from '../types.js';
import { DigestStream } from '../verify.js';
import type { BlobStore } from './blob-store.js';
import { exportImage } from './daemon-export.js';
import { openDockerArchiveStore } from './docker-archive.js';

const SMALL = 4 * 1024 * 1024;

function cleanName(name: string): string {
  return name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/** Consumes one member; resolving `true` stops the export early. */
type EntryHandler = (name: string, size: number, stream: Readable) => Promise<boolean | undefined>;

/** Runs one export, calling `onEntry` for each regular file in order; it must consume the stream. */
async function forEachEntry(endpoint: EngineEndpoint, image: string, onEntry: EntryHandler): Promise<void> {
  // tar-stream keeps what it is given: the lent pieces are copied.
  const lent = await exportImage(endpoint, image);
  const res = Readable.from(
    (async function* () {
      for await (const piece of lent.pieces) yield Buffer.from(piece);
    })(),
  );
  res.on('close', () => lent.close());
  const extract = tar.extract();
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      res.destroy();
      extract.destroy();
      reject(
        err instanceof InputError || err instanceof EnvironmentError
          ? err
          : new InputError(`docker-daemon: bad export stream (${err.message})`),
      );
    };
    extract.on('entry', (header, stream, next) => {
      const node = Readable.from(stream as AsyncIterable<Buffer>);
      const done = () => {
        node.resume();
        node.once('end', () => next());
        if (node.readableEnded) next();
      };
      if (header.type !== 'file') {
        done();
        return;
      }
      onEntry(cleanName(header.name), header.size ?? 0, node).then((stop) => {
        if (!stop) {
          done();
          return;
        }
        failed = true;
        res.destroy();
        extract.destroy();
        resolve();
      }, fail);
    });
    extract.on('finish', resolve);
    extract.on('error', fail);
    res.on('error', fail);
    res.pipe(extract);
  });
}

/** The small files of an export and every file's size, posing as an archive store. */
class ExportStore implements BlobStore {
  readonly what: string;
  readonly small = new Map<string, Buffer>();
  readonly sizes = new Map<string, number>();

  constructor(
    private readonly endpoint: EngineEndpoint,
    private readonly image: string,
  ) {
    this.what = `docker-daemon:${image}`;
  }

  async load(): Promise<void> {
    await forEachEntry(this.endpoint, this.image, async (name, size, stream) => {
      this.sizes.set(name, size);
      if (size > SMALL) return false;
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      this.small.set(name, Buffer.concat(chunks));
      return false;
    });
  }

  async has(name: string): Promise<boolean> {
    return this.sizes.has(cleanName(name));
  }

  async size(name: string): Promise<number> {
    const s = this.sizes.get(cleanName(name));
    if (s === undefined) throw new InputError(`${this.what}: ${name} is missing from the export`);
    return s;
  }

  async read(name: string, max = SMALL): Promise<Buffer> {
    const data = this.small.get(cleanName(name));
    if (!data) throw new InputError(`${this.what}: ${name} is missing or larger than ${max} bytes`);
    return data;
  }

  /** Random access to one member: a fresh export, read up to that member. */
  async stream(name: string): Promise<Readable> {
    const wanted = cleanName(name);
    const out = new PassThrough({ highWaterMark: 256 * 1024 });
    let found = false;
    forEachEntry(this.endpoint, this.image, async (entry, _size, stream) => {
      if (entry !== wanted) return false;
      found = true;
      stream.on('error', (err) => out.destroy(err));
      stream.pipe(out);
      await new Promise<void>((resolve) => {
        out.once('finish', resolve);
        out.once('close', resolve);
      });
      return true;
    }).then(
      () => {
        if (!found) out.destroy(new InputError(`${this.what}: ${name} is missing from the export`));
      },
      (err: Error) => out.destroy(err),
    );
    return out;
  }
}

export async function openDaemonImage(ref: string, name: string, options: OpenOptions): Promise<Image> {
  const endpoint = parseDockerHost(options.dockerHost ?? process.env.DOCKER_HOST);
  const store = new ExportStore(endpoint, name);
  await store.load();
  const image = await openDockerArchiveStore(store, ref, options);
  // Where each layer lives in the export: legacy `ID/layer.tar` or OCI `blobs/sha256/HEX`.
  const manifest = JSON.parse((await store.read('manifest.json')).toString('utf8')) as { Layers: string[] }[];
  const paths = manifest[0]!.Layers;
  const byPath = new Map<string, Layer>();
  image.layers.forEach((layer, i) => {
    if (!byPath.has(cleanName(paths[i]!))) byPath.set(cleanName(paths[i]!), layer);
  });
  image.walkLayers = async (visit) => {
    await forEachEntry(endpoint, name, async (entry, _size, stream) => {
      const layer = byPath.get(entry);
      if (!layer) return false;
      const check = new DigestStream(layer.digest, `${ref} layer ${entry}`, layer.size);
      stream.on('error', (err) => check.destroy(err));
      await visit(layer, stream.pipe(check));
      return false;
    });
  };
  return image;
}
