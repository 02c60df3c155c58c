/**
 * `--load`: streams the docker-archive into a Docker engine's `POST /images/load` (DOCKER_HOST,
 * unix socket or loopback tcp). No docker CLI is involved.
 */
import { EnvironmentError } from '../core/errors.js';
import { type EngineStream, engineErrorText, engineStream, engineUnreachable } from '../env/docker-engine.js';
import { type EngineEndpoint, parseDockerHost } from '../env/docker-host.js';
import type { BuildResult } from './build.js';
import { dockerArchiveStream, singleImage } from './docker-archive.js';

/** Reads the engine's JSON-lines answer; returns the "Loaded image" lines or throws its error. */
export function parseLoadResponse(body: string): string[] {
  const loaded: string[] = [];
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue;
    let msg: { stream?: string; error?: string; errorDetail?: { message?: string } };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      continue;
    }
    if (msg.error || msg.errorDetail)
      throw new EnvironmentError(`the engine refused the image: ${msg.error ?? msg.errorDetail?.message}`);
    if (msg.stream?.startsWith('Loaded image')) loaded.push(msg.stream.trim());
  }
  return loaded;
}

export async function loadIntoEngine(
  result: BuildResult,
  mtime: number,
  endpoint: EngineEndpoint = parseDockerHost(),
): Promise<string[]> {
  const image = singleImage(result, '--load');
  let res: EngineStream;
  try {
    res = await engineStream(endpoint, {
      method: 'POST',
      path: '/images/load?quiet=1',
      headers: { 'Content-Type': 'application/x-tar' },
      body: dockerArchiveStream(result, image, mtime),
    });
  } catch (err) {
    throw engineUnreachable(err as Error, '--load');
  }
  if (res.status >= 300)
    throw new EnvironmentError(
      `the engine answered HTTP ${res.status} to /images/load: ${await engineErrorText(res)}`,
    );
  return parseLoadResponse((await res.bytes()).toString('utf8'));
}
