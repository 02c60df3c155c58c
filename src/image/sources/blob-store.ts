/**
 * Named byte blobs inside a directory or an archive on disk: the common ground of the OCI
 * layout, OCI archive and docker-archive sources.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { InputError } from '../../core/errors.js';
import type { FileSpan } from '../../core/lent-chunks.js';
import { cleanEntryPath } from '../tar-path.js';
import { indexTar, type TarMember } from './tar-index.js';

export interface BlobStore {
  /** Human name for messages. */
  what: string;
  has(name: string): Promise<boolean>;
  /** Reads a small file whole (JSON documents); refuses ones past `max` bytes. */
  read(name: string, max?: number): Promise<Buffer>;
  stream(name: string): Promise<Readable>;
  size(name: string): Promise<number>;
  /** Where a blob's bytes lie on disk, for stores that keep them in a file. */
  span?(name: string): Promise<FileSpan>;
}

const MAX_JSON = 8 * 1024 * 1024;

export class DirStore implements BlobStore {
  constructor(
    private readonly dir: string,
    readonly what: string,
  ) {}

  private path(name: string): string {
    return join(this.dir, cleanEntryPath(name, this.what));
  }

  async has(name: string): Promise<boolean> {
    try {
      return (await stat(this.path(name))).isFile();
    } catch {
      return false;
    }
  }

  async size(name: string): Promise<number> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.path(name));
    } catch {
      throw new InputError(`${this.what}: ${name} is missing`);
    }
    // A FIFO or a device would block the read or never end.
    if (!info.isFile()) throw new InputError(`${this.what}: ${name} is not a regular file`);
    return info.size;
  }

  async read(name: string, max = MAX_JSON): Promise<Buffer> {
    if ((await this.size(name)) > max)
      throw new InputError(`${this.what}: ${name} is larger than ${max} bytes`);
    return readFile(this.path(name));
  }

  async stream(name: string): Promise<Readable> {
    await this.size(name);
    return createReadStream(this.path(name), { highWaterMark: 256 * 1024 });
  }

  async span(name: string): Promise<FileSpan> {
    return { path: this.path(name), offset: 0, length: await this.size(name) };
  }
}

export class TarStore implements BlobStore {
  private constructor(
    private readonly file: string,
    private readonly members: Map<string, TarMember>,
    readonly what: string,
  ) {}

  static async open(file: string, what: string): Promise<TarStore> {
    return new TarStore(file, await indexTar(file, what), what);
  }

  names(): string[] {
    return [...this.members.keys()];
  }

  /** Follows links between members: `docker save` links a repeated layer.tar to the first. */
  private member(name: string): TarMember {
    let clean = cleanEntryPath(name, this.what);
    let m = this.members.get(clean);
    for (let hops = 0; m && (m.type === '1' || m.type === '2') && hops < 8; hops++) {
      clean = cleanEntryPath(
        m.type === '2' ? posix.join(posix.dirname(clean), m.linkname) : m.linkname,
        this.what,
      );
      m = this.members.get(clean);
    }
    if (!m) throw new InputError(`${this.what}: ${name} is missing from the archive`);
    return m;
  }

  async has(name: string): Promise<boolean> {
    return this.members.has(cleanEntryPath(name, this.what));
  }

  async size(name: string): Promise<number> {
    return this.member(name).size;
  }

  async read(name: string, max = MAX_JSON): Promise<Buffer> {
    const m = this.member(name);
    if (m.size > max) throw new InputError(`${this.what}: ${name} is larger than ${max} bytes`);
    if (m.size === 0) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const c of createReadStream(this.file, { start: m.offset, end: m.offset + m.size - 1 })) {
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async span(name: string): Promise<FileSpan> {
    const m = this.member(name);
    return { path: this.file, offset: m.offset, length: m.size };
  }

  async stream(name: string): Promise<Readable> {
    const m = this.member(name);
    if (m.size === 0) return Readable.from([]);
    return createReadStream(this.file, {
      start: m.offset,
      end: m.offset + m.size - 1,
      highWaterMark: 256 * 1024,
    });
  }
}
