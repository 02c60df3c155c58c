/**
 * Where the Docker Engine API is (DOCKER_HOST), read without loading any HTTP code: a build checks
 * it up front, before it needs the client (docker-engine.ts).
 */
import { EnvironmentError } from '../core/errors.js';

export interface EngineEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The engine DOCKER_HOST names; other schemes (ssh://, npipe://) are an EnvironmentError. */
export function parseDockerHost(value: string | undefined = process.env.DOCKER_HOST): EngineEndpoint {
  const text = value && value !== '' ? value : DEFAULT_DOCKER_HOST;
  if (text.startsWith('unix://')) return { socketPath: text.slice('unix://'.length) };
  const m = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(text);
  if (m) return { host: m[1]!, port: Number(m[2]) };
  throw new EnvironmentError(
    `DOCKER_HOST "${text}" is neither unix:///PATH nor tcp://HOST:PORT, the engine addresses goimg speaks to`,
    text.startsWith('ssh://')
      ? 'forward the remote socket (ssh -NL /tmp/docker.sock:/var/run/docker.sock HOST) and set DOCKER_HOST=unix:///tmp/docker.sock'
      : 'set DOCKER_HOST to unix:///var/run/docker.sock or tcp://HOST:PORT',
  );
}
