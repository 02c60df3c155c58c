/**
 * goimg's one Docker Engine API client (DOCKER_HOST: unix:// or tcp://), used to probe the
 * engine, export images (docker-daemon:), load builds (--load) and read disk usage; and the
 * search for a docker client whose `build` uses BuildKit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EnvironmentError } from '../core/errors.js';
import { type EngineEndpoint, parseDockerHost } from './docker-host.js';

export interface EngineCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Streamed to the engine (e.g. a tar for /images/load). */
  body?: Readable;
  /** Fails when the connection is silent this long (default: no limit). */
  timeoutMs?: number;
}

/** An answer whose body is still to be read (an export streams for as long as it takes). */
export interface EngineStream {
  status: number;
  body: IncomingMessage;
}

/** One request to the engine API; the answer's body as a stream. Network failures reject with Node's error. */
export function engineStream(endpoint: EngineEndpoint, call: EngineCall): Promise<EngineStream> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...endpoint,
        method: call.method,
        path: call.path,
        headers: { Host: 'docker', ...call.headers },
        ...(call.timeoutMs ? { timeout: call.timeoutMs } : {}),
      },
      (res) => resolve({ status: res.statusCode ?? 0, body: res }),
    );
    if (call.timeoutMs)
      req.on('timeout', () => req.destroy(new Error(`engine did not answer within ${call.timeoutMs} ms`)));
    req.on('error', reject);
    if (call.body) pipeline(call.body, req).catch(reject);
    else req.end();
  });
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface EngineResponse {
  status: number;
  body: Buffer;
}

/** One request to the engine API; resolves with status and whole body. */
export async function engineRequest(
  endpoint: EngineEndpoint,
  method: string,
  path: string,
  timeoutMs = 5000,
): Promise<EngineResponse> {
  const res = await engineStream(endpoint, { method, path, timeoutMs });
  return { status: res.status, body: await readAll(res.body) };
}

/** The engine's explanation of a failed request: its JSON `message`, else the text. */
export async function engineErrorText(res: EngineStream): Promise<string> {
  const text = (await readAll(res.body)).toString('utf8').trim();
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text;
  }
}

/** The error for an engine that cannot be reached. */
export function engineUnreachable(err: Error, what: string): EnvironmentError {
  return new EnvironmentError(
    `${what}: Docker engine unreachable (${err.message})`,
    'start Docker or set DOCKER_HOST (goimg doctor)',
  );
}

export interface EngineInfo {
  reachable: boolean;
  version?: string;
  apiVersion?: string;
  error?: string;
}

export async function probeEngine(endpoint?: EngineEndpoint): Promise<EngineInfo> {
  try {
    endpoint ??= parseDockerHost();
    const res = await engineRequest(endpoint, 'GET', '/version');
    if (res.status !== 200) return { reachable: false, error: `engine answered HTTP ${res.status}` };
    const v = JSON.parse(res.body.toString('utf8')) as { Version?: string; ApiVersion?: string };
    return { reachable: true, version: v.Version, apiVersion: v.ApiVersion };
  } catch (err) {
    return { reachable: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export interface BuildKitClient {
  /** The docker executable. */
  path: string;
  /** 'buildx' when `docker buildx build` works, 'classic' when DOCKER_BUILDKIT=1 docker build does. */
  mode: 'buildx' | 'classic';
}

/**
 * Finds a docker client that can run BuildKit builds: one with buildx, else one whose classic
 * `build` honours DOCKER_BUILDKIT=1 (the 20.10 client). Clients 23+ without buildx cannot.
 */
export function findBuildKitClient(explicit?: string): BuildKitClient | undefined {
  const candidates = explicit ? [explicit] : ['docker', '/usr/bin/docker', '/usr/local/bin/docker'];
  for (const path of candidates) {
    if (path.includes('/') && !existsSync(path)) continue;
    const buildx = spawnSync(path, ['buildx', 'version'], { encoding: 'utf8', timeout: 10_000 });
    if (buildx.status === 0) return { path, mode: 'buildx' };
    const ver = spawnSync(path, ['version', '--format', '{{.Client.Version}}'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    const major = Number.parseInt((ver.stdout ?? '').trim().split('.')[0] ?? '', 10);
    if (Number.isFinite(major) && major > 0 && major < 23) return { path, mode: 'classic' };
  }
  return undefined;
}
