/**
 * The registry client's HTTP, on node:http and node:https. Not fetch: Node 20 loads fetch's
 * machinery (undici, its WebAssembly parser) on first use, ~20 ms before the first request and
 * ~12 ms more in it, and then waits at exit for V8 to finish optimising that parser; node:http
 * is part of Node's start-up snapshot and costs ~3 ms to load (measured: BENCHMARKS.md).
 *
 * - Keep-alive agents (idle sockets never hold the process open).
 * - Redirects of requests whose body can be sent again are followed (registries send blob GETs
 *   to storage); the Authorization header is dropped when one leaves the origin, as fetch does.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { EnvironmentError } from '../core/errors.js';

export interface ResponseHeaders {
  /** A header's value (several joined with ", "), or null; names are case-insensitive. */
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  headers: ResponseHeaders;
  /** Consume it, or drain() it. */
  body: Readable;
}

export interface HttpRequest {
  method: string;
  headers?: Record<string, string>;
  /** A Buffer can be sent again (retries, redirects); a stream is sent once, chunked. */
  body?: Buffer | Readable;
}

/** A body that can be sent again (retries, redirects): none, or bytes in memory. */
export function isReplayable(body: HttpRequest['body']): body is Buffer | undefined {
  return body === undefined || Buffer.isBuffer(body);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** A connection silent this long (no response, or a stalled body) fails with ETIMEDOUT. */
const IDLE_TIMEOUT_MS = 60_000;

const httpAgent = new HttpAgent({ keepAlive: true });
// NODE_EXTRA_CA_CERTS is Node's own: its certificates are in every TLS context's default roots.
const httpsAgent = new HttpsAgent({ keepAlive: true });

function headersOf(res: IncomingMessage): ResponseHeaders {
  return {
    get(name: string) {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** One request, no redirects. Network and TLS failures reject with Node's error (its `code`). */
function once(url: URL, req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return reject(new Error(`unsupported URL ${url.href}`));
    // Lower-case names: one spelling of each (a caller's Content-Length and ours are one header).
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    if (isReplayable(req.body)) headers['content-length'] = String(req.body?.length ?? 0);
    const send = secure ? httpsRequest : httpRequest;
    const r = send(url, { method: req.method, headers, agent: secure ? httpsAgent : httpAgent }, (res) =>
      resolve({ status: res.statusCode ?? 0, url: url.href, headers: headersOf(res), body: res }),
    );
    r.setTimeout(IDLE_TIMEOUT_MS, () =>
      r.destroy(Object.assign(new Error(`no answer in ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })),
    );
    r.on('error', reject);
    if (isReplayable(req.body)) r.end(req.body);
    else {
      req.body.on('error', (err) => r.destroy(err));
      req.body.pipe(r);
    }
  });
}

/** Reads and discards the rest of a body, so that its connection can serve the next request. */
export async function drain(body: Readable): Promise<void> {
  try {
    for await (const _ of body);
  } catch {
    // A body that fails while being thrown away needs nothing more.
  }
}

/** Small answers only (tokens, error documents, upload replies): a larger one is refused. */
export const MAX_SMALL_BODY = 4 * 1024 * 1024;

/** A whole body, up to `max` bytes (more is an error: a misbehaving server, not a reason to fill memory). */
export async function readBody(body: Readable, max = MAX_SMALL_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    size += (c as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new EnvironmentError(
        `the server answered with more than ${max} bytes where a short answer was due`,
      );
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request, following redirects when its body can be sent again. */
export async function request(input: string | URL, req: HttpRequest): Promise<HttpResponse> {
  let url = new URL(input);
  let current = req;
  for (let hop = 0; ; hop++) {
    const res = await once(url, current);
    const location = res.headers.get('location');
    if (!REDIRECTS.has(res.status) || !location || !isReplayable(current.body) || hop === MAX_REDIRECTS)
      return res;
    await drain(res.body);
    const next = new URL(location, url);
    const headers = Object.fromEntries(
      Object.entries(current.headers ?? {}).filter(
        ([name]) => next.origin === url.origin || name.toLowerCase() !== 'authorization',
      ),
    );
    // 303, and 301/302 after a POST, turn into a GET without a body (as browsers and fetch do).
    const asGet =
      res.status === 303 || ((res.status === 301 || res.status === 302) && current.method === 'POST');
    current = asGet ? { method: 'GET', headers } : { ...current, headers };
    url = next;
  }
}
