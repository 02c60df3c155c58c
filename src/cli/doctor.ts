/**
 * `goimg doctor`: what this machine offers goimg (Go toolchains, Docker engine and a BuildKit
 * client, helper tools). Exit 0 when the essentials are there, 3 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { ExitCode } from '../core/errors.js';
import { findBuildKitClient, parseDockerHost, probeEngine } from '../env/docker-engine.js';
import { findGoToolchains } from '../env/go-toolchains.js';
import type { Command } from './command.js';

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
  const engine = await probeEngine(parseDockerHost(host));
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

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check what this machine offers goimg: Go toolchains, Docker engine, BuildKit client, tools',
  usage: 'goimg doctor [--format text|json]',
  help: [
    'Looks for Go toolchains (PATH, GOROOT, /usr/local/go, /usr/lib/go-*), a Docker engine at',
    'DOCKER_HOST and a docker client that runs BuildKit builds, and the optional tools the',
    'tests cross-check against. Exits 0 when Go, an engine and a BuildKit client are found, 3 if not.',
  ].join('\n'),
  formats: ['text', 'json'],
  options: {},
  async run({ format, out }) {
    const report = await doctor();
    if (format === 'json') {
      out.result(JSON.stringify(report, null, 2));
    } else {
      const { green, red, yellow, bold } = out.paint;
      const mark = (ok: boolean) => (ok ? green('ok  ') : red('miss'));
      const lines = [bold('goimg doctor'), `  ${mark(true)} node ${report.node}`];
      const { millis, extraCaCerts } = report.startup;
      lines.push(
        extraCaCerts === 'parsed-at-startup'
          ? `  ${mark(true)} start-up ${millis} ms (Node parsed the NODE_EXTRA_CA_CERTS bundle while it started)`
          : `  ${mark(true)} start-up ${millis} ms`,
      );
      if (report.go.length === 0) lines.push(`  ${mark(false)} Go toolchain (none found)`);
      for (const g of report.go) lines.push(`  ${mark(true)} ${g.version}  ${g.go}`);
      const d = report.docker;
      lines.push(
        d.reachable
          ? `  ${mark(true)} Docker engine ${d.engineVersion} at ${d.host}`
          : `  ${mark(false)} Docker engine at ${d.host}: ${d.error}`,
      );
      lines.push(
        d.buildkitClient
          ? `  ${mark(true)} BuildKit client ${d.buildkitClient.path} (${d.buildkitClient.mode})`
          : `  ${mark(false)} BuildKit client (no docker with buildx, nor a 20.10-22.x client)`,
      );
      for (const [name, path] of Object.entries(report.tools)) {
        lines.push(path ? `  ${mark(true)} ${name}  ${path}` : `  ${yellow('opt ')} ${name} (not found)`);
      }
      out.result(lines.join('\n'));
    }
    return report.ok ? ExitCode.Clean : ExitCode.Environment;
  },
};
