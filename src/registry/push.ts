/**
 * Pushes a build to an OCI registry (distribution spec): blobs first (HEAD to skip what is there,
 * cross-repository mount where a source repository is known, else a monolithic PUT or chunked
 * PATCHes), then manifests by digest, then the tag. Every request is counted, so a caller can
 * prove that an unchanged image re-uploads nothing.
 */
import { open, readFile } from 'node:fs/promises';
import { EnvironmentError, UsageError } from '../core/errors.js';
import { trace } from '../core/trace.js';
import type { Descriptor } from '../oci/descriptor.js';
import { parseReference } from '../oci/reference.js';
import { type StoredImages, storedBlobs } from '../oci/stored-images.js';
import type { ResponseHeaders } from './http.js';
import { RegistryTransport, type TransportRequest } from './transport.js';

export interface PushOptions {
  /** Plain HTTP to a loopback registry. */
  insecure?: boolean;
  /** Blobs larger than this go up in PATCH chunks of this size; smaller ones in one PUT. */
  chunkSize?: number;
  /** Repositories on the same registry that may hold some blobs already (cross-repo mount). */
  mountFrom?: string[];
  /** A transport to reuse (tests, or a caller that already authenticated). */
  transport?: RegistryTransport;
}

export interface PushResult {
  /** REGISTRY/NAME, as a reference prefix. */
  repository: string;
  /** REGISTRY/NAME:TAG */
  reference: string;
  digest: string;
  uploaded: number;
  skipped: number;
  mounted: number;
  /** Blob bytes sent. */
  bytes: number;
  /** HTTP requests made, by method (retries and token requests not included). */
  requests: Record<string, number>;
}

export const DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

interface Answer {
  status: number;
  headers: ResponseHeaders;
  text: string;
}

/** The registry transport (auth, retries) plus a count of requests by method. */
class Session {
  readonly requests: Record<string, number> = {};

  constructor(
    private readonly transport: RegistryTransport,
    private readonly scope: string,
  ) {}

  /** Upload locations may be relative to the registry or absolute. */
  url(pathOrLocation: string): string {
    return new URL(pathOrLocation, this.transport.baseUrl).toString();
  }

  async send(
    method: TransportRequest['method'],
    url: string,
    headers: Record<string, string> = {},
    body?: Buffer,
  ): Promise<Answer> {
    this.requests[method] = (this.requests[method] ?? 0) + 1;
    const res = await this.transport.request({
      method,
      path: url,
      scope: this.scope,
      headers,
      ...(body ? { body } : {}),
    });
    let text = '';
    if (method === 'HEAD') res.body.destroy();
    else text = await res.text();
    return { status: res.status, headers: res.headers, text };
  }
}

function fail(what: string, a: Answer): never {
  throw new EnvironmentError(`registry failed ${what}: HTTP ${a.status} ${a.text.trim().slice(0, 400)}`);
}

function withDigest(location: string, digest: string): string {
  const u = new URL(location);
  u.searchParams.set('digest', digest);
  return u.toString();
}

async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    if (bytesRead !== length) throw new EnvironmentError(`${path} is shorter than its descriptor`);
    return buf;
  } finally {
    await fh.close();
  }
}

async function uploadBlob(
  s: Session,
  repo: string,
  blob: Descriptor,
  file: string,
  chunkSize: number,
): Promise<void> {
  const start = await s.send('POST', s.url(`/v2/${repo}/blobs/uploads/`), { 'Content-Length': '0' });
  if (start.status !== 202) fail(`starting the upload of ${blob.digest}`, start);
  let location = s.url(start.headers.get('location') ?? fail('an upload location', start));
  if (blob.size <= chunkSize) {
    const body = await readRange(file, 0, blob.size);
    const put = await s.send(
      'PUT',
      withDigest(location, blob.digest),
      { 'Content-Type': 'application/octet-stream' },
      body,
    );
    if (put.status !== 201) fail(`uploading ${blob.digest}`, put);
    return;
  }
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    const length = Math.min(chunkSize, blob.size - offset);
    const chunk = await readRange(file, offset, length);
    const patch = await s.send(
      'PATCH',
      location,
      { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${offset + length - 1}` },
      chunk,
    );
    if (patch.status !== 202)
      fail(`uploading bytes ${offset}-${offset + length - 1} of ${blob.digest}`, patch);
    location = s.url(patch.headers.get('location') ?? location);
  }
  const done = await s.send('PUT', withDigest(location, blob.digest), { 'Content-Length': '0' });
  if (done.status !== 201) fail(`completing the upload of ${blob.digest}`, done);
}

/** Tries a cross-repository mount; true when the registry mounted the blob. */
async function mountBlob(s: Session, repo: string, digest: string, from: string): Promise<boolean> {
  const a = await s.send(
    'POST',
    s.url(`/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`),
    {
      'Content-Length': '0',
    },
  );
  if (a.status === 201) return true;
  // 202: the registry opened an ordinary upload instead; cancel it and upload normally.
  const loc = a.headers.get('location');
  if (a.status === 202 && loc) await s.send('DELETE', s.url(loc));
  return false;
}

interface ManifestPut {
  reference: string;
  doc: Descriptor;
  path: string;
}

/** Whether the registry already has `m.doc` under `m.reference`. */
async function manifestStored(s: Session, repo: string, m: ManifestPut): Promise<boolean> {
  const head = await s.send('HEAD', s.url(`/v2/${repo}/manifests/${m.reference}`), {
    Accept: m.doc.mediaType,
  });
  return head.status === 200 && head.headers.get('docker-content-digest') === m.doc.digest;
}

async function putManifest(s: Session, repo: string, m: ManifestPut): Promise<void> {
  const put = await s.send(
    'PUT',
    s.url(`/v2/${repo}/manifests/${m.reference}`),
    { 'Content-Type': m.doc.mediaType },
    await readFile(m.path),
  );
  if (put.status !== 201) fail(`storing manifest ${m.reference}`, put);
}

/** Pushes images whose blobs are on disk (a build's result) to `target`, a REGISTRY/NAME:TAG reference. */
export async function pushBuild(
  result: StoredImages,
  target: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const ref = parseReference(target);
  if (ref.digest) throw new UsageError('--push needs a tag, not a digest');
  const tag = ref.identifier;
  const repo = ref.repository;
  const transport =
    options.transport ??
    new RegistryTransport({ registry: ref.registry, insecure: options.insecure ?? false });
  const s = new Session(transport, `repository:${repo}:pull,push`);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const out: PushResult = {
    repository: `${ref.registry}/${repo}`,
    reference: `${ref.registry}/${repo}:${tag}`,
    digest: result.top.digest,
    uploaded: 0,
    skipped: 0,
    mounted: 0,
    bytes: 0,
    requests: s.requests,
  };
  const all = storedBlobs(result);
  const documents = new Set<string>([
    ...(result.index ? [result.index.digest] : []),
    ...result.images.map((i) => i.manifest.digest),
  ]);
  const blobs = all.filter((d) => !documents.has(d.digest));
  // With an index, each platform's manifest goes up by digest, then the index with the tag; alone,
  // the manifest carries the tag.
  const manifests: ManifestPut[] = result.images.map((img) => ({
    reference: result.index ? img.manifest.digest : tag,
    doc: img.manifest,
    path: result.store.path(img.manifest.digest),
  }));
  if (result.index)
    manifests.push({
      reference: tag,
      doc: result.index,
      path: result.store.path(result.index.digest),
    });

  // What the registry has: the first HEAD alone (it settles authentication), the rest at once.
  const present = async (blob: Descriptor) =>
    (await s.send('HEAD', s.url(`/v2/${repo}/blobs/${blob.digest}`))).status === 200;
  trace('push: start');
  const known = blobs.length > 0 ? [await present(blobs[0]!)] : [];
  const [rest, stored] = await Promise.all([
    Promise.all(blobs.slice(1).map(present)),
    Promise.all(manifests.map((m) => manifestStored(s, repo, m))),
  ]);
  known.push(...rest);
  trace('push: checked');
  for (const [i, blob] of blobs.entries()) {
    if (known[i]) {
      out.skipped++;
      continue;
    }
    let mounted = false;
    for (const from of options.mountFrom ?? []) {
      if (from !== repo && (await mountBlob(s, repo, blob.digest, from))) {
        mounted = true;
        break;
      }
    }
    if (mounted) {
      out.mounted++;
      continue;
    }
    await uploadBlob(s, repo, blob, result.store.path(blob.digest), chunkSize);
    out.uploaded++;
    out.bytes += blob.size;
  }
  // In order: the platforms' manifests before the index that names them.
  for (const [i, m] of manifests.entries()) if (!stored[i]) await putManifest(s, repo, m);
  trace('push: manifests up');
  return out;
}
