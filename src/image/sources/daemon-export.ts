/**
 * The export `goimg image docker-daemon:NAME` analyses: the engine's inspect answer (the image's
 * runtime config) and its `docker save` stream (GET /images/{name}/get), asked for at once. Kept
 * apart from the analysis, with only the engine client's imports, so that the command can ask
 * for it before it loads anything else: an engine takes from half a second to several seconds
 * before the first byte of an export.
 */
import { EnvironmentError, InputError } from '../../core/errors.js';
import { trace } from '../../core/trace.js';
import {
  type EngineStream,
  engineErrorText,
  engineStream,
  engineUnreachable,
} from '../../env/docker-engine.js';
import { type EngineEndpoint, parseDockerHost } from '../../env/docker-host.js';
import type { ContainerConfig, OpenOptions } from '../types.js';
import type { LentArchive } from './archive-stream.js';

export interface DaemonExport {
  config: ContainerConfig;
  body: LentArchive;
}

/** The export's bytes, lent from the client's read buffer (env/engine-http.ts). */
export async function exportImage(endpoint: EngineEndpoint, name: string): Promise<LentArchive> {
  let res: EngineStream;
  trace('engine: export asked for');
  try {
    res = await engineStream(endpoint, { method: 'GET', path: `/images/${encodeURIComponent(name)}/get` });
  } catch (err) {
    throw engineUnreachable(err as Error, 'docker-daemon');
  }
  trace(`engine: export answered (HTTP ${res.status})`);
  if (res.status === 200) return { pieces: { [Symbol.asyncIterator]: () => res.pieces() }, close: res.close };
  const message = await engineErrorText(res);
  if (res.status === 404) throw new InputError(`docker-daemon: no such image "${name}" (${message})`);
  throw new EnvironmentError(
    `docker-daemon: the engine refused to export "${name}" (HTTP ${res.status}: ${message})`,
  );
}

/**
 * The image's runtime config (from the engine's inspect answer, before the export: it names
 * the entry point, so the export's executables can be inspected knowing it) and its export.
 * Both are asked for at once: the engine takes seconds to start an export of a large image.
 */
export async function exportForAnalysis(name: string, options: OpenOptions): Promise<DaemonExport> {
  const endpoint = parseDockerHost(options.dockerHost ?? process.env.DOCKER_HOST);
  const exporting = exportImage(endpoint, name);
  exporting.catch(() => undefined); // seen where awaited below
  const abandon = () =>
    exporting.then(
      (body) => body.close(),
      () => undefined,
    );
  let inspect: { Config?: ContainerConfig | null };
  try {
    inspect = await inspectImage(endpoint, name);
  } catch (err) {
    await abandon();
    throw err;
  }
  return { config: inspect.Config ?? {}, body: await exporting };
}

async function inspectImage(
  endpoint: EngineEndpoint,
  name: string,
): Promise<{ Config?: ContainerConfig | null }> {
  let res: EngineStream;
  try {
    res = await engineStream(endpoint, { method: 'GET', path: `/images/${encodeURIComponent(name)}/json` });
  } catch (err) {
    throw engineUnreachable(err as Error, 'docker-daemon');
  }
  if (res.status !== 200) {
    const message = await engineErrorText(res);
    if (res.status === 404) throw new InputError(`docker-daemon: no such image "${name}" (${message})`);
    throw new EnvironmentError(
      `docker-daemon: the engine refused to inspect "${name}" (HTTP ${res.status}: ${message})`,
    );
  }
  const body = await res.bytes();
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new InputError(`docker-daemon:${name} inspect: not valid JSON (${(err as Error).message})`);
  }
}
