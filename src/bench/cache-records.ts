/**
 * Removes the BuildKit cache-mount records a benchmark created, and nothing else. The engine's
 * BuildKit does not record a cache mount's id, so a record is ours when it did not exist before
 * the run, is a cache mount, is not in use, and was made by one of the RUN commands we built
 * (its description reads "cached mount TARGET from exec /bin/sh -c COMMAND").
 * The user's own records existed before the run and are never candidates.
 */
import { engineRequest } from '../env/docker-engine.js';
import type { EngineEndpoint } from '../env/docker-host.js';
import type { DockerCli } from './docker.js';

interface CacheRecord {
  ID: string;
  Type: string;
  InUse: boolean;
  Description: string;
}

async function cacheMountRecords(endpoint: EngineEndpoint): Promise<CacheRecord[]> {
  const res = await engineRequest(endpoint, 'GET', '/system/df', 60_000);
  if (res.status !== 200) return [];
  const df = JSON.parse(res.body.toString('utf8')) as { BuildCache?: CacheRecord[] | null };
  return (df.BuildCache ?? []).filter((r) => r.Type === 'exec.cachemount');
}

export async function snapshotCacheMounts(endpoint: EngineEndpoint): Promise<Set<string>> {
  try {
    return new Set((await cacheMountRecords(endpoint)).map((r) => r.ID));
  } catch {
    return new Set();
  }
}

/** Prunes the cache-mount records made since `before` by our commands; returns how many. */
export async function removeOurCacheMounts(
  endpoint: EngineEndpoint,
  docker: DockerCli,
  before: Set<string>,
  ourCommands: string[],
): Promise<number> {
  let records: CacheRecord[];
  try {
    records = await cacheMountRecords(endpoint);
  } catch {
    return 0;
  }
  const commands = new Set(ourCommands.map((c) => c.replace(/\s+/g, ' ').trim()));
  let removed = 0;
  for (const r of records) {
    if (before.has(r.ID) || r.InUse) continue;
    const m = /^cached mount \S+ from exec \/bin\/sh -c (.*)$/s.exec(r.Description.replace(/\s+/g, ' '));
    if (!m || !commands.has(m[1]!.trim())) continue;
    if (docker.run(['builder', 'prune', '-f', '--filter', `id=${r.ID}`], true).status === 0) removed++;
  }
  return removed;
}
