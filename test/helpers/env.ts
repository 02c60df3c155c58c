/**
 * Where the test environment's services live. scripts/setup-env.sh starts a Docker engine on a
 * private socket and a registry on loopback; tests talk to those and never to the machine's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TEST_DOCKER_HOST = process.env.GOIMG_TEST_DOCKER_HOST ?? 'unix:///tmp/goimg-dockerd.sock';
export const TEST_REGISTRY = process.env.GOIMG_TEST_REGISTRY ?? '127.0.0.1:5055';
/** The 20.10 client: the only one here whose `build` runs BuildKit (no buildx plugin). */
export const BUILDKIT_DOCKER = '/usr/bin/docker';

/** Environment for docker CLI calls against the test engine. */
export function dockerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: TEST_DOCKER_HOST, DOCKER_BUILDKIT: '1', ...extra };
}

export function hasEngine(): boolean {
  const socket = TEST_DOCKER_HOST.replace(/^unix:\/\//, '');
  if (TEST_DOCKER_HOST.startsWith('unix://') && !existsSync(socket)) return false;
  const r = spawnSync(BUILDKIT_DOCKER, ['version', '--format', '{{.Server.Version}}'], {
    env: dockerEnv(),
    encoding: 'utf8',
    timeout: 10_000,
  });
  return r.status === 0;
}

export function hasImage(ref: string): boolean {
  const r = spawnSync(BUILDKIT_DOCKER, ['image', 'inspect', ref], { env: dockerEnv(), stdio: 'ignore' });
  return r.status === 0;
}

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
