/**
 * Docker CLI calls against the test engine (scripts/setup-env.sh), for end-to-end tests that
 * build and run real images. Everything a test creates gets a unique name and is recorded in a
 * `DockerResources`, whose `cleanup()` (call it from `after()`) removes exactly those by name.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { BUILDKIT_DOCKER, dockerEnv } from './env.js';

export interface DockerResult {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what a user would see. */
  output: string;
}

/** Runs the 20.10 docker client against the test engine and waits for it. */
export function docker(
  args: string[],
  options: { timeoutMs?: number; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): DockerResult {
  const r = spawnSync(BUILDKIT_DOCKER, args, {
    env: dockerEnv(options.env),
    encoding: 'utf8',
    input: options.input,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const stdout = r.stdout ?? '';
  const stderr = (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '');
  return { status: r.status ?? -1, stdout, stderr, output: stdout + stderr };
}

/** Like docker() but throws, with the client's output, when the command fails. */
export function dockerOk(args: string[], options: { timeoutMs?: number } = {}): string {
  const r = docker(args, options);
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed (${r.status}):\n${r.output}`);
  return r.stdout.trim();
}

/** A name no other test run uses: `prefix-<pid>-<random>`, valid as tag and container name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Images and containers one test file made; cleanup() removes them, and only them. */
export class DockerResources {
  private readonly images = new Set<string>();
  private readonly containers = new Set<string>();

  /** A fresh image tag `goimg-test/<prefix>-...:t` recorded for removal. */
  imageTag(prefix: string): string {
    const tag = `goimg-test/${uniqueName(prefix)}:t`;
    this.images.add(tag);
    return tag;
  }

  /** A fresh container name recorded for removal. */
  containerName(prefix: string): string {
    const name = uniqueName(`goimg-test-${prefix}`);
    this.containers.add(name);
    return name;
  }

  cleanup(): void {
    for (const c of this.containers) docker(['rm', '-f', c], { timeoutMs: 60_000 });
    // Removing by tag drops the tag, and the image when no other tag holds it.
    for (const i of this.images) docker(['rmi', '-f', i], { timeoutMs: 60_000 });
    this.containers.clear();
    this.images.clear();
  }
}

/**
 * BuildKit build on the test engine: `DOCKER_BUILDKIT=1 docker build --network=host`
 * (the engine has no bridge). Async so a test's other timers keep running.
 */
export function buildkitBuild(
  contextDir: string,
  tag: string,
  options: { dockerfile?: string; buildArgs?: Record<string, string>; timeoutMs?: number } = {},
): Promise<DockerResult> {
  const args = ['build', '--network=host', '--progress=plain', '-t', tag];
  if (options.dockerfile) args.push('-f', options.dockerfile);
  for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  args.push(contextDir);
  return new Promise((resolve) => {
    const child = spawn(BUILDKIT_DOCKER, args, { env: dockerEnv({ DOCKER_BUILDKIT: '1' }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr, output: stdout + stderr });
    });
  });
}

/** A TCP port free on loopback right now (containers use --network=host, so ports are shared). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers (any HTTP status) or `timeoutMs` passes; returns the answer. */
export async function waitForHttp(
  url: string,
  timeoutMs = 20_000,
): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return { status: r.status, body: await r.text() };
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(last)}`);
}

/** The paths in an image's filesystem (via `docker create` + `docker export`), without running it. */
export function imageFiles(resources: DockerResources, image: string): Set<string> {
  const name = resources.containerName('files');
  dockerOk(['create', '--name', name, image, '/nonexistent']);
  const exported = spawnSync(BUILDKIT_DOCKER, ['export', name], {
    env: dockerEnv(),
    maxBuffer: 2 * 1024 * 1024 * 1024,
  });
  docker(['rm', '-f', name]);
  if (exported.status !== 0) throw new Error(`docker export ${image} failed: ${exported.stderr}`);
  const list = spawnSync('tar', ['-t'], {
    input: exported.stdout,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (list.status !== 0) throw new Error(`tar -t of ${image} failed: ${list.stderr}`);
  return new Set(
    list.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => '/' + l.replace(/^\.?\//, '').replace(/\/$/, '')),
  );
}
