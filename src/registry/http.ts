/**
 * The registry client's HTTP, on node:http and node:https. Not fetch: Node 20 loads fetch's
 * machinery (undici, its WebAssembly parser) on first use and waits at exit for V8 to finish
 * optimising it, a cost every push and pull would pay; node:http is part of Node's start-up
 * snapshot.
 *
 * - Keep-alive agents (idle sockets never hold the process open).
 * - Proxies: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (either case) and NO_PROXY, as curl and npm
 *   read them (proxy-from-env decides): plain HTTP goes to the proxy as absolute-URI requests
 *   (http-proxy-agent), HTTPS through a CONNECT tunnel (https-proxy-agent). Loopback hosts are
 *   proxied like any other unless NO_PROXY names them. The agents are loaded only when a proxy
 *   applies to a request.
 * - Redirects of requests whose body can be sent again are followed (registries send blob GETs
 *   to storage); the Authorization header is dropped when one leaves the origin, as fetch does.
 */
import { type Agent, Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { type ConnectionOptions, checkServerIdentity } from 'node:tls';
import { getProxyForUrl } from 'proxy-from-env';
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
  /** Aborts the request (and a body being read) when it fires: a caller's overall time limit. */
  signal?: AbortSignal;
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

/** One keep-alive agent per proxy URL and scheme of the target. */
const proxyAgents = new Map<string, Agent>();

async function proxyAgent(proxy: string, secure: boolean): Promise<Agent> {
  const key = `${secure ? 'https' : 'http'} ${proxy}`;
  let agent = proxyAgents.get(key);
  if (agent) return agent;
  let proxyUrl: URL;
  try {
    proxyUrl = new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
  } catch {
    throw new EnvironmentError(
      'the proxy named by HTTP_PROXY, HTTPS_PROXY or ALL_PROXY is not a URL',
      'set it to http://HOST:PORT',
    );
  }
  if (secure) {
    // A CONNECT tunnel is the registry's own connection: it stays open between requests.
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    agent = new HttpsProxyAgent(proxyUrl, { keepAlive: true });
  } else {
    // A forwarding proxy may close its side after each answer without saying so (tinyproxy
    // does): a fresh connection per request, never one the proxy is closing.
    const { HttpProxyAgent } = await import('http-proxy-agent');
    agent = new HttpProxyAgent(proxyUrl, { keepAlive: false });
  }
  proxyAgents.set(key, agent);
  return agent;
}

/** The proxy the environment names for a URL (HTTP(S)_PROXY, ALL_PROXY, NO_PROXY), or null. */
export function proxyFor(url: string | URL): string | null {
  return getProxyForUrl(typeof url === 'string' ? url : url.href) || null;
}

/** A proxy URL fit to print: scheme, host and port, never its user or password. */
export function proxyLabel(proxy: string): string {
  try {
    const u = new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the proxy named in the environment';
  }
}

/** TLS options a request carries itself (through a proxy's tunnel, the agent is not the registry's). */
type RequestTls = Pick<ConnectionOptions, 'ca' | 'checkServerIdentity'>;

/** The agent for a URL: a proxy's when the environment names one for it, else a direct one. */
async function agentFor(url: URL): Promise<{ agent: Agent; tls: RequestTls }> {
  const secure = url.protocol === 'https:';
  const proxy = proxyFor(url);
  if (!proxy) return { agent: secure ? httpsAgent : httpAgent, tls: {} };
  const agent = await proxyAgent(proxy, secure);
  if (!secure) return { agent, tls: {} };
  // The tunnel's TLS is set up without the target's host name when it is an IP address; check
  // the certificate against the registry's own host, as a direct connection does.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    agent,
    tls: { checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert) },
  };
}

function headersOf(res: IncomingMessage): ResponseHeaders {
  return {
    get(name: string) {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * One request, no redirects. Network and TLS failures reject with Node's error (its `code`).
 * A kept-alive connection that the server closed while it was being reused is not a failure:
 * the request goes again at once on a new one, when its body can be sent again.
 */
async function once(url: URL, req: HttpRequest): Promise<HttpResponse> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') throw new Error(`unsupported URL ${url.href}`);
  const { agent, tls } = await agentFor(url);
  try {
    return await attempt(url, req, agent, tls);
  } catch (err) {
    const { code, reusedSocket } = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
    if (!reusedSocket || !isReplayable(req.body) || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw err;
    return attempt(url, req, agent, tls);
  }
}

function attempt(url: URL, req: HttpRequest, agent: Agent, tls: RequestTls): Promise<HttpResponse> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    // Lower-case names: one spelling of each (a caller's Content-Length and ours are one header).
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    if (isReplayable(req.body)) headers['content-length'] = String(req.body?.length ?? 0);
    const send = secure ? httpsRequest : httpRequest;
    // Through a proxy the target's TLS options travel with the request (the tunnel's agent is shared).
    const options = {
      method: req.method,
      headers,
      agent,
      ...tls,
      ...(req.signal ? { signal: req.signal } : {}),
    };
    const r = send(url, options, (res) =>
      resolve({ status: res.statusCode ?? 0, url: url.href, headers: headersOf(res), body: res }),
    );
    r.setTimeout(IDLE_TIMEOUT_MS, () =>
      r.destroy(Object.assign(new Error(`no answer in ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })),
    );
    r.on('error', (err) => reject(Object.assign(err, { reusedSocket: r.reusedSocket })));
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

/**
 * A whole body, up to `max` bytes. More is an error (a misbehaving server, not a reason to fill
 * memory): `tooLarge` makes it, by default an EnvironmentError.
 */
export async function readBody(
  body: Readable,
  max = MAX_SMALL_BODY,
  tooLarge: () => Error = () =>
    new EnvironmentError(`the server answered with more than ${max} bytes where a short answer was due`),
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    size += (c as Buffer).length;
    if (size > max) {
      body.destroy();
      throw tooLarge();
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
