/**
 * Talks to a Docker Engine over its API (DOCKER_HOST: unix:// or tcp:// on loopback) and finds
 * a docker client whose `build` uses BuildKit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';

export interface EngineEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export function parseDockerHost(value: string | undefined = process.env.DOCKER_HOST): EngineEndpoint {
  const text = value && value !== '' ? value : DEFAULT_DOCKER_HOST;
  if (text.startsWith('unix://')) return { socketPath: text.slice('unix://'.length) };
  const m = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(text);
  if (m) return { host: m[1]!, port: Number(m[2]) };
  throw new Error(`DOCKER_HOST "${text}" is neither unix:///PATH nor tcp://HOST:PORT`);
}

export interface EngineResponse {
  status: number;
  body: Buffer;
}

/** One request to the engine API; resolves with status and body. */
export function engineRequest(
  endpoint: EngineEndpoint,
  method: string,
  path: string,
  timeoutMs = 5000,
): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { ...endpoint, method, path, timeout: timeoutMs, headers: { Host: 'docker' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`engine did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export interface EngineInfo {
  reachable: boolean;
  version?: string;
  apiVersion?: string;
  error?: string;
}

export async function probeEngine(endpoint: EngineEndpoint = parseDockerHost()): Promise<EngineInfo> {
  try {
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
