/**
 * goimg's one Docker Engine API client (DOCKER_HOST: unix:// or tcp://), used to probe the
 * engine, export images (docker-daemon:), load builds (--load) and read disk usage; and the
 * search for a docker client whose `build` uses BuildKit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { EnvironmentError } from '../core/errors.js';
import { type EngineEndpoint, parseDockerHost } from './docker-host.js';
import { type EngineStream, engineStream } from './engine-http.js';

export { type EngineCall, type EngineStream, engineStream } from './engine-http.js';

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
  return { status: res.status, body: await res.bytes() };
}

/** The engine's explanation of a failed request: its JSON `message`, else the text. */
export async function engineErrorText(res: EngineStream): Promise<string> {
  const text = (await res.bytes()).toString('utf8').trim();
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
