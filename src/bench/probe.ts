/**
 * Does the image start? For a service with a known port: run it on the host network with PORT set
 * to a free port and wait for any HTTP answer. Otherwise: it runs for a while without crashing.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { DockerCli, Throwaways } from './docker.js';

export interface StartResult {
  starts: boolean;
  /** "http 200 on :PORT", "running after 2 s", "exited 1: ..." */
  detail: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function probeStart(
  docker: DockerCli,
  throwaways: Throwaways,
  tag: string,
  knownPorts: number[],
  waitMs = 15_000,
): Promise<StartResult> {
  const port = await freePort();
  // A known port that already answers belongs to someone else: only trust our own PORT then.
  const candidates = [port];
  for (const p of knownPorts) if ((await httpStatus(p)) === undefined) candidates.push(p);
  const run = docker.run(['run', '-d', '--network=host', '-e', `PORT=${port}`, tag], true);
  if (run.status !== 0)
    return { starts: false, detail: `docker run failed: ${run.stderr.trim().split('\n').pop()}` };
  const cid = run.stdout.trim();
  throwaways.containers.add(cid);
  try {
    const deadline = Date.now() + (knownPorts.length > 0 ? waitMs : 2000);
    while (Date.now() < deadline) {
      if (knownPorts.length > 0) {
        for (const p of candidates) {
          const status = await httpStatus(p);
          if (status !== undefined) return { starts: true, detail: `HTTP ${status} on :${p}` };
        }
      }
      const state = docker
        .run(['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', cid], true)
        .stdout.trim();
      if (state.startsWith('false')) {
        const code = Number(state.split(' ')[1]);
        const logs = docker.run(['logs', '--tail', '3', cid], true);
        const last = `${logs.stdout}${logs.stderr}`.trim().split('\n').pop() ?? '';
        return {
          starts: code === 0 && knownPorts.length === 0,
          detail: `exited ${code}${last ? `: ${last}` : ''}`,
        };
      }
      await sleep(250);
    }
    return knownPorts.length > 0
      ? { starts: false, detail: `no HTTP answer on ${candidates.map((p) => `:${p}`).join(', ')}` }
      : { starts: true, detail: 'still running after 2 s' };
  } finally {
    docker.run(['rm', '-f', cid], true);
    throwaways.containers.delete(cid);
  }
}
