/**
 * Pull side of the OCI distribution API over a RegistryTransport: manifests (with Accept headers
 * for OCI and Docker v2 types and digest verification) and blobs (streamed, verified by the
 * caller's DigestStream or by `getBlobBytes`).
 */
import type { Readable } from 'node:stream';
import { EnvironmentError, InputError } from '../core/errors.js';
import { sha256 } from '../oci/digest.js';
import { MANIFEST_MEDIA_TYPES } from '../oci/media.js';
import { readBody } from './http.js';
import { RegistryTransport, type TransportOptions, type TransportResponse } from './transport.js';

export const MANIFEST_ACCEPT: string[] = [...MANIFEST_MEDIA_TYPES];

const MAX_MANIFEST = 4 * 1024 * 1024;

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string | undefined;
  digest: string;
}

function readLimited(res: TransportResponse, max: number, what: string): Promise<Buffer> {
  return readBody(res.body, max, () => new InputError(`${what}: larger than ${max} bytes`));
}

async function explain(res: TransportResponse, what: string): Promise<never> {
  let detail = '';
  try {
    const body = JSON.parse(await res.text()) as { errors?: { code?: string; message?: string }[] };
    detail = (body.errors ?? []).map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
  } catch {
    /* not a distribution error document */
  }
  const suffix = detail ? `: ${detail}` : '';
  if (res.status === 404) throw new InputError(`${what}: not found (HTTP 404${suffix})`);
  if (res.status >= 500) throw new EnvironmentError(`${what}: registry error HTTP ${res.status}${suffix}`);
  throw new InputError(`${what}: HTTP ${res.status}${suffix}`);
}

export class RegistryClient {
  readonly transport: RegistryTransport;

  constructor(
    transport: RegistryTransport | TransportOptions,
    readonly repository: string,
  ) {
    this.transport = transport instanceof RegistryTransport ? transport : new RegistryTransport(transport);
  }

  get pullScope(): string {
    return `repository:${this.repository}:pull`;
  }

  /** GET a manifest or index by tag or digest; verifies the digest it was asked for or was told. */
  async getManifest(reference: string): Promise<FetchedManifest> {
    const what = `${this.transport.registry}/${this.repository}:${reference}`;
    const res = await this.transport.request({
      method: 'GET',
      path: `/v2/${this.repository}/manifests/${reference}`,
      scope: this.pullScope,
      accept: MANIFEST_ACCEPT,
    });
    if (res.status !== 200) return explain(res, `manifest ${what}`);
    const bytes = await readLimited(res, MAX_MANIFEST, `manifest ${what}`);
    const digest = sha256(bytes);
    const expected = reference.startsWith('sha256:') ? reference : res.headers.get('docker-content-digest');
    if (expected?.startsWith('sha256:') && expected !== digest) {
      throw new InputError(`manifest ${what}: digest mismatch (expected ${expected}, got ${digest})`);
    }
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim();
    return { bytes, mediaType, digest };
  }

  /** GET a blob as a stream; the caller verifies its digest (DigestStream). */
  async getBlob(digest: string): Promise<Readable> {
    const res = await this.transport.request({
      method: 'GET',
      path: `/v2/${this.repository}/blobs/${digest}`,
      scope: this.pullScope,
    });
    if (res.status !== 200) return explain(res, `blob ${this.repository}@${digest}`);
    return res.body;
  }

  /** GET a small blob (a config) whole and verify it. */
  async getBlobBytes(digest: string, max = 8 * 1024 * 1024): Promise<Buffer> {
    const res = await this.transport.request({
      method: 'GET',
      path: `/v2/${this.repository}/blobs/${digest}`,
      scope: this.pullScope,
    });
    if (res.status !== 200) return explain(res, `blob ${this.repository}@${digest}`);
    const bytes = await readLimited(res, max, `blob ${digest}`);
    const actual = sha256(bytes);
    if (actual !== digest) throw new InputError(`blob ${digest}: digest mismatch (got ${actual})`);
    return bytes;
  }
}
