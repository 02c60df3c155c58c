/**
 * The docker CLI calls a benchmark needs, through a BuildKit-capable client. Every tag and
 * container made here is recorded in a Throwaways list so that it is removed at the end, on
 * failure and on Ctrl-C.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { EnvironmentError } from '../core/errors.js';
import type { BuildKitClient } from '../env/docker-engine.js';

export interface BuildResult {
  ok: boolean;
  seconds: number;
  /** Last lines of the build log when it failed. */
  errorTail?: string;
}

export class DockerCli {
  readonly client: BuildKitClient;
  readonly env: NodeJS.ProcessEnv;
  /** Builds under way, so an interrupt can stop them before cleaning up. */
  readonly active = new Set<ChildProcess>();

  constructor(client: BuildKitClient, env: NodeJS.ProcessEnv = process.env) {
    this.client = client;
    this.env = { ...env, DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' };
  }

  /** Runs a docker command to completion; throws EnvironmentError on failure unless `allowFail`. */
  run(args: string[], allowFail = false): { status: number; stdout: string; stderr: string } {
    const r = spawnSync(this.client.path, args, {
      env: this.env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const status = r.status ?? -1;
    if (status !== 0 && !allowFail) {
      throw new EnvironmentError(
        `docker ${args[0]} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`,
      );
    }
    return { status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Builds `dockerfile` with `context` into `tag`; streams step names to `onStep`. */
  build(
    opts: { context: string; dockerfile: string; tag: string; noCache?: boolean; platform?: string },
    onStep: (step: string) => void,
  ): Promise<BuildResult> {
    const args =
      this.client.mode === 'buildx'
        ? ['buildx', 'build', '--load', '--progress=plain']
        : ['build', '--progress=plain'];
    args.push('--network=host', '-f', opts.dockerfile, '-t', opts.tag);
    if (opts.noCache) args.push('--no-cache');
    if (opts.platform) args.push('--platform', opts.platform);
    args.push(opts.context);
    const started = process.hrtime.bigint();
    return new Promise((resolve) => {
      const child = spawn(this.client.path, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      this.active.add(child);
      const tail: string[] = [];
      let partial = '';
      const onData = (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 40) tail.shift();
          const step = /^#\d+ \[([^\]]+)\] (.*)$/.exec(line);
          if (step) onStep(`[${step[1]}] ${step[2]!.replace(/\s+/g, ' ').slice(0, 100)}`);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', (err) => resolve({ ok: false, seconds: 0, errorTail: err.message }));
      child.on('close', (code) => {
        this.active.delete(child);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (code === 0) resolve({ ok: true, seconds });
        else
          resolve({
            ok: false,
            seconds,
            errorTail: [...tail, partial].filter(Boolean).slice(-12).join('\n'),
          });
      });
    });
  }

  /** Stops the builds under way (the client cancels its BuildKit session) and waits for them. */
  async stopBuilds(timeoutMs = 15_000): Promise<void> {
    const waits = [...this.active].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGINT');
        }),
    );
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, timeoutMs))]);
  }

  imageSize(tag: string): number {
    return Number(this.run(['image', 'inspect', '--format', '{{.Size}}', tag]).stdout.trim());
  }

  imageConfig(tag: string): { Entrypoint?: string[] | null; Cmd?: string[] | null; WorkingDir?: string } {
    return JSON.parse(this.run(['image', 'inspect', '--format', '{{json .Config}}', tag]).stdout) as {
      Entrypoint?: string[] | null;
      Cmd?: string[] | null;
      WorkingDir?: string;
    };
  }

  /** Copies one file out of an image (docker create + cp -L), returning its bytes. */
  copyFileOut(tag: string, path: string, throwaways: Throwaways): Buffer | undefined {
    const cid = this.run(['create', tag]).stdout.trim();
    throwaways.containers.add(cid);
    try {
      const r = spawnSync(this.client.path, ['cp', '-L', `${cid}:${path}`, '-'], {
        env: this.env,
        maxBuffer: 1024 * 1024 * 1024,
      });
      if (r.status !== 0 || !r.stdout) return undefined;
      return firstTarEntry(r.stdout);
    } finally {
      this.run(['rm', '-f', cid], true);
      throwaways.containers.delete(cid);
    }
  }

  /** Whether `path` (symbolic links followed) exists in the image. */
  pathExists(tag: string, path: string, throwaways: Throwaways): boolean {
    return this.copyFileOut(tag, path, throwaways) !== undefined;
  }
}

/** The data of the first regular file in a tar stream (docker cp output). */
function firstTarEntry(tar: Buffer): Buffer | undefined {
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) return undefined;
    const size = Number.parseInt(
      header.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim() || '0',
      8,
    );
    const type = String.fromCharCode(header[156]!);
    const start = off + 512;
    if (type === '0' || type === '\0') return tar.subarray(start, start + size);
    off = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** Tags and containers to remove whatever happens. */
export class Throwaways {
  readonly tags = new Set<string>();
  readonly containers = new Set<string>();

  cleanup(docker: DockerCli): void {
    for (const c of this.containers) docker.run(['rm', '-f', c], true);
    this.containers.clear();
    if (this.tags.size > 0) docker.run(['rmi', '-f', ...this.tags], true);
    this.tags.clear();
  }
}
