/**
 * What this machine offers goimg: Go toolchains, a Docker engine and a BuildKit client, helper
 * tools. The report behind `goimg doctor` (src/cli/doctor.ts) and the library's doctor().
 */
import { spawnSync } from 'node:child_process';
import { findBuildKitClient, probeEngine } from './docker-engine.js';
import { findGoToolchains } from './go-toolchains.js';

const OPTIONAL_TOOLS = ['skopeo', 'umoci', 'upx', 'readelf', 'git', 'chromium'] as const;

function which(tool: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export interface DoctorReport {
  version: 1;
  node: string;
  /**
   * Milliseconds from the process's start to `goimg doctor` running, and whether Node parsed a
   * NODE_EXTRA_CA_CERTS bundle while it started (Node 20 does, which slows every start-up).
   */
  startup: { millis: number; extraCaCerts: 'unset' | 'parsed-at-startup' };
  go: { version: string; go: string }[];
  docker: {
    host: string;
    reachable: boolean;
    engineVersion: string | null;
    error: string | null;
    buildkitClient: { path: string; mode: 'buildx' | 'classic' } | null;
  };
  tools: Record<string, string | null>;
  ok: boolean;
}

function startup(): DoctorReport['startup'] {
  const millis = Math.round(performance.now());
  return { millis, extraCaCerts: process.env.NODE_EXTRA_CA_CERTS ? 'parsed-at-startup' : 'unset' };
}

export async function doctor(): Promise<DoctorReport> {
  const started = startup();
  const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  const engine = await probeEngine();
  const client = findBuildKitClient();
  const go = findGoToolchains().map((t) => ({ version: t.version, go: t.go }));
  const tools: Record<string, string | null> = {};
  for (const t of OPTIONAL_TOOLS) tools[t] = which(t);
  return {
    version: 1,
    node: process.version,
    startup: started,
    go,
    docker: {
      host,
      reachable: engine.reachable,
      engineVersion: engine.version ?? null,
      error: engine.error ?? null,
      buildkitClient: client ?? null,
    },
    tools,
    ok: go.length > 0 && engine.reachable && client !== undefined,
  };
}
