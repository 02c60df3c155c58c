/**
 * `--load`: streams the docker-archive into a Docker engine's `POST /images/load` (DOCKER_HOST,
 * unix socket or loopback tcp). No docker CLI is involved.
 */
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { EnvironmentError } from '../core/errors.js';
import { type EngineEndpoint, parseDockerHost } from '../env/docker-engine.js';
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
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(
      {
        ...endpoint,
        method: 'POST',
        path: '/images/load?quiet=1',
        headers: { Host: 'docker', 'Content-Type': 'application/x-tar' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300)
            reject(
              new EnvironmentError(
                `the engine answered HTTP ${res.statusCode} to /images/load: ${text.trim()}`,
              ),
            );
          else resolve(text);
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err) =>
      reject(
        new EnvironmentError(
          `cannot reach the Docker engine: ${err.message}`,
          'check DOCKER_HOST (goimg doctor)',
        ),
      ),
    );
    pipeline(dockerArchiveStream(result, image, mtime), req).catch(reject);
  });
  return parseLoadResponse(body);
}
