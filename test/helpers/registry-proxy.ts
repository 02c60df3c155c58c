/**
 * A fault-injecting HTTP proxy in front of the real loopback registry, for tests of the
 * distribution client: it counts every request, can answer chosen requests with an error status
 * a number of times (401, 404, 429, 5xx), and can demand the bearer-token flow with its own small
 * token service (`/token`, Basic credentials in, a random token out).
 *
 *   const proxy = await startRegistryProxy({ upstream: '127.0.0.1:5055', bearer: { username, password } });
 *   proxy.faults.push({ match: /\/blobs\//, status: 503, times: 2 });
 *   ... docker://127.0.0.1:${proxy.port}/name:tag --insecure ...
 *   proxy.requests  // [{ method, path, status }]
 *   await proxy.close();
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  match: RegExp;
  status: number;
  /** How many matching requests get the fault (then they pass). */
  times: number;
  headers?: Record<string, string>;
  /** Body to send instead of a distribution error document. */
  body?: string;
}

export interface ProxyRequest {
  method: string;
  path: string;
  status: number;
}

export interface RegistryProxy {
  port: number;
  host: string;
  faults: Fault[];
  requests: ProxyRequest[];
  tokenRequests: number;
  close(): Promise<void>;
}

export async function startRegistryProxy(options: {
  upstream: string;
  bearer?: { username: string; password: string };
}): Promise<RegistryProxy> {
  const [upHost, upPort] = options.upstream.split(':');
  const tokens = new Set<string>();
  const state: Omit<RegistryProxy, 'port' | 'host' | 'close'> = {
    faults: [],
    requests: [],
    tokenRequests: 0,
  };
  let port = 0;

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string> = {},
    body = '',
  ) => {
    state.requests.push({ method: req.method ?? '', path: req.url ?? '', status });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/token')) {
      state.tokenRequests++;
      const expected = options.bearer
        ? `Basic ${Buffer.from(`${options.bearer.username}:${options.bearer.password}`).toString('base64')}`
        : '';
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"details":"bad credentials"}');
        return;
      }
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    if (options.bearer) {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) {
        const repo = /^\/v2\/(.+?)\/(manifests|blobs)\//.exec(url)?.[1];
        answer(
          req,
          res,
          401,
          {
            'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="goimg-test"${repo ? `,scope="repository:${repo}:pull"` : ''}`,
          },
          '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
        );
        return;
      }
    }
    const fault = state.faults.find((f) => f.times > 0 && f.match.test(url));
    if (fault) {
      fault.times--;
      answer(
        req,
        res,
        fault.status,
        fault.headers,
        fault.body ?? `{"errors":[{"code":"INJECTED","message":"injected ${fault.status}"}]}`,
      );
      return;
    }
    const headers = { ...req.headers, host: options.upstream };
    delete headers.authorization;
    const up = request(
      { host: upHost, port: Number(upPort), method: req.method, path: url, headers },
      (upRes) => {
        state.requests.push({ method: req.method ?? '', path: url, status: upRes.statusCode ?? 0 });
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => answer(req, res, 502));
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    ...state,
    get faults() {
      return state.faults;
    },
    get requests() {
      return state.requests;
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    port,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
