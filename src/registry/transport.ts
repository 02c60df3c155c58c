/**
 * The HTTP transport of the OCI distribution client, shared by pulls (src/registry/client.ts)
 * and pushes (src/registry/push.ts):
 *
 *   const t = new RegistryTransport({ registry: '127.0.0.1:5055', insecure: true });
 *   const res = await t.request({ method: 'GET', path: '/v2/NAME/manifests/TAG',
 *                                 scope: 'repository:NAME:pull', accept: [...] });
 *
 * - Scheme: https, or plain http only with `insecure` and a loopback host.
 * - Auth: the first 401 is answered from its WWW-Authenticate challenge: Bearer (token service
 *   at `realm`, with `service` and the request's `scope`, Basic credentials when known, or an
 *   identity token as an OAuth2 refresh token) or Basic. Tokens are cached per scope, so each
 *   later request sends its token up front. Credentials come from the docker config
 *   ($DOCKER_CONFIG/config.json, else ~/.docker/config.json; see credentials.ts) and are never
 *   printed.
 * - Retries: 429, 500, 502, 503, 504 and connection errors are retried `retries` times with
 *   exponential backoff, waiting at least what that answer's Retry-After asks (capped), only for
 *   requests whose body can be sent again (none or a Buffer). A streamed upload body is never
 *   retried here. Each request keeps its own wait: concurrent requests never share one.
 * - Errors: unreachable registry, 401/403 after auth, and exhausted retries are
 *   EnvironmentError (exit 3); 404 and other 4xx are returned to the caller to explain.
 */
import type { Readable } from 'node:stream';
import { EnvironmentError, UsageError } from '../core/errors.js';
import { type Credentials, dockerConfigPath, findCredentials } from './credentials.js';
import {
  drain,
  type HttpResponse,
  isReplayable,
  proxyFor,
  proxyLabel,
  type ResponseHeaders,
  readBody,
  request,
} from './http.js';

export interface TransportOptions {
  /** host[:port] */
  registry: string;
  insecure?: boolean;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff delay in ms (default 200), doubled each retry, capped at 5 s. */
  backoffMs?: number;
  /** Credentials to use instead of looking them up in the docker config. */
  credentials?: Credentials | null;
  /** How a wait between attempts is spent (default: a timer); `request` is "METHOD PATH". */
  wait?: (ms: number, request: string) => Promise<void>;
}

export interface TransportRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** Path starting with /v2/, or an absolute URL on the same registry (upload locations). */
  path: string;
  /** e.g. `repository:NAME:pull` or `repository:NAME:pull,push`. */
  scope: string;
  accept?: string[];
  headers?: Record<string, string>;
  body?: Buffer | Readable;
}

export interface TransportResponse {
  status: number;
  headers: ResponseHeaders;
  url: string;
  /** The body as a Node stream (empty for HEAD). Consume or destroy it. */
  body: Readable;
  text(): Promise<string>;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;

export function isLoopbackRegistry(registry: string): boolean {
  return LOOPBACK.test(registry);
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: m[1]!.toLowerCase(), params };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The longest Retry-After goimg waits for. */
const MAX_RETRY_AFTER_MS = 10_000;

/** A Retry-After value (seconds, or an HTTP date) in ms from `now`, capped; 0 when absent or past. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : 0;
}

/** OpenSSL's verification failures, as Node names them (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...). */
const CERTIFICATE_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
/** TLS failures that a retry will not heal: a plain HTTP server, or an untrusted certificate. */
const TLS_FAILURE = new RegExp(`^ERR_SSL|${CERTIFICATE_FAILURE.source}`);

export class RegistryTransport {
  readonly registry: string;
  readonly baseUrl: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private credentials: Credentials | null | undefined;
  private readonly wait: (ms: number, request: string) => Promise<void>;
  /** Authorization header value per scope ('' = no auth needed). */
  private readonly authByScope = new Map<string, string>();
  private challenge: Challenge | null = null;
  /** Requests sent, for tests and diagnostics. */
  requests = 0;

  constructor(options: TransportOptions) {
    this.registry = options.registry;
    if (options.insecure && !isLoopbackRegistry(options.registry)) {
      throw new UsageError(
        `--insecure (plain HTTP) is allowed only for loopback registries, not ${options.registry}`,
      );
    }
    this.baseUrl = `${options.insecure ? 'http' : 'https'}://${options.registry}`;
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 200;
    this.credentials = options.credentials;
    this.wait = options.wait ?? sleep;
  }

  private async getCredentials(): Promise<Credentials | null> {
    if (this.credentials === undefined) this.credentials = await findCredentials(this.registry);
    return this.credentials;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    let res = await this.send(req, this.authByScope.get(req.scope) ?? this.defaultAuth());
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      await drain(res.body);
      if (!challenge)
        throw new EnvironmentError(`${this.registry}: 401 Unauthorized without an auth challenge`);
      this.challenge = challenge;
      const auth = await this.authorize(challenge, req.scope);
      this.authByScope.set(req.scope, auth);
      res = await this.send(req, auth);
    }
    if (res.status === 401 || res.status === 403) {
      await drain(res.body);
      throw new EnvironmentError(
        `${this.registry}: access denied (${res.status}) for ${req.scope}`,
        `log in with docker login ${this.registry}, or check the credentials in ${dockerConfigPath()}`,
      );
    }
    return {
      status: res.status,
      headers: res.headers,
      url: res.url,
      body: res.body,
      text: async () => (await readBody(res.body)).toString('utf8'),
    };
  }

  /** Basic auth known from an earlier challenge is sent up front for new scopes. */
  private defaultAuth(): string {
    if (this.challenge?.scheme === 'basic') return this.authByScope.values().next().value ?? '';
    return '';
  }

  private async authorize(challenge: Challenge, scope: string): Promise<string> {
    const creds = await this.getCredentials();
    if (challenge.scheme === 'basic') {
      if (creds?.kind !== 'basic') {
        throw new EnvironmentError(
          `${this.registry} asks for a password and none is configured`,
          `docker login ${this.registry}`,
        );
      }
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) {
      throw new EnvironmentError(`${this.registry}: unsupported auth challenge "${challenge.scheme}"`);
    }
    const realm = new URL(challenge.params.realm);
    const service = challenge.params.service;
    const token = await this.fetchToken(realm, service, scope, creds);
    return `Bearer ${token}`;
  }

  private async fetchToken(
    realm: URL,
    service: string | undefined,
    scope: string,
    creds: Credentials | null,
  ): Promise<string> {
    let res: HttpResponse;
    try {
      if (creds?.kind === 'identity-token') {
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: creds.token,
          client_id: 'goimg',
          scope,
        });
        if (service) form.set('service', service);
        res = await request(realm, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from(form.toString()),
        });
      } else {
        const url = new URL(realm);
        if (service) url.searchParams.set('service', service);
        url.searchParams.set('scope', scope);
        const headers: Record<string, string> = {};
        if (creds?.kind === 'basic') {
          headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
        }
        res = await request(url, { method: 'GET', headers });
      }
    } catch (err) {
      throw new EnvironmentError(`token service ${realm.origin} unreachable (${(err as Error).message})`);
    }
    if (res.status !== 200) {
      await drain(res.body);
      throw new EnvironmentError(
        `token service ${realm.origin} refused a token for ${scope} (HTTP ${res.status})`,
        creds ? `check the credentials in ${dockerConfigPath()}` : `docker login ${this.registry}`,
      );
    }
    const body = (await readBody(res.body)
      .then((b) => JSON.parse(b.toString('utf8')))
      .catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new EnvironmentError(`token service ${realm.origin} answered without a token`);
    return token;
  }

  private async send(req: TransportRequest, auth: string): Promise<HttpResponse> {
    const url = req.path.startsWith('http') ? req.path : `${this.baseUrl}${req.path}`;
    const attempts = isReplayable(req.body) ? this.retries + 1 : 1;
    let lastError = '';
    // What the last answer asked this request to wait (its own: never shared with other requests).
    let askedWait = 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0)
        await this.wait(Math.max(this.backoff(attempt), askedWait), `${req.method} ${new URL(url).pathname}`);
      askedWait = 0;
      const headers: Record<string, string> = { 'user-agent': 'goimg', ...req.headers };
      if (req.accept) headers.accept = req.accept.join(', ');
      if (auth) headers.authorization = auth;
      let res: HttpResponse;
      try {
        this.requests++;
        res = await request(url, { method: req.method, headers, ...(req.body ? { body: req.body } : {}) });
      } catch (err) {
        if (err instanceof EnvironmentError) throw err;
        lastError = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        // A TLS handshake failure (plain HTTP server, bad certificate) will not heal by retrying.
        if (TLS_FAILURE.test(lastError)) break;
        continue;
      }
      if (RETRY_STATUS.has(res.status) && attempt + 1 < attempts) {
        lastError = `HTTP ${res.status}`;
        askedWait = retryAfterMs(res.headers.get('retry-after'));
        await drain(res.body);
        continue;
      }
      if (RETRY_STATUS.has(res.status)) {
        await drain(res.body);
        throw new EnvironmentError(
          `${this.registry}: ${req.method} ${new URL(url).pathname} failed with HTTP ${res.status} after ${attempts} attempts`,
          res.status === 429 ? 'the registry is rate limiting; try again later' : undefined,
        );
      }
      return res;
    }
    if (CERTIFICATE_FAILURE.test(lastError))
      throw new EnvironmentError(
        `registry ${this.registry}: its TLS certificate is not trusted (${lastError})`,
        'if a private CA signed it, point NODE_EXTRA_CA_CERTS at that CA certificate (PEM)',
      );
    const proxy = proxyFor(url);
    throw new EnvironmentError(
      `registry ${this.registry} unreachable (${lastError})${proxy ? ` through the proxy ${proxyLabel(proxy)}` : ''}`,
      proxy
        ? 'check HTTP_PROXY / HTTPS_PROXY, or list the registry in NO_PROXY to reach it directly'
        : this.baseUrl.startsWith('https') && isLoopbackRegistry(this.registry)
          ? 'a loopback registry usually speaks plain HTTP: add --insecure'
          : undefined,
    );
  }

  /** Exponential backoff before retry `attempt` (1-based), capped at 5 s. */
  private backoff(attempt: number): number {
    return Math.min(this.backoffMs * 2 ** (attempt - 1), 5000);
  }
}
