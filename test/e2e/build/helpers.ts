/** Shared helpers of the build end-to-end tests: run `goimg build`, read what it wrote. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import type { BuildReport } from '../../../src/cli/build.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { BUILDKIT_DOCKER, dockerEnv } from '../../helpers/env.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

export const FIXTURES = join(REPO_ROOT, 'test/fixtures/build');

export async function tempDir(prefix = 'goimg-e2e-build-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A copy of a fixture outside any git repository (no VCS stamping, no revision label). */
export async function copyFixture(name: string, into?: string): Promise<string> {
  const dest = join(into ?? (await tempDir()), name);
  await cp(join(FIXTURES, name), dest, { recursive: true });
  return dest;
}

/** Runs `goimg build ... --format json`, checks exit 0 and the schema, returns the report. */
export function buildJson(args: string[], env: NodeJS.ProcessEnv = {}): BuildReport {
  const r = runGoimg(['build', ...args, '--format', 'json'], { env });
  assert.equal(r.status, 0, `goimg build ${args.join(' ')} failed:\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as BuildReport;
  assertMatchesSchema('build.schema.json', report);
  return report;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function ociBlob(dir: string, digest: string): string {
  return join(dir, 'blobs', 'sha256', digest.replace('sha256:', ''));
}

/** The bytes of one file inside a gzip layer blob. */
export async function fileInLayer(blob: string, name: string): Promise<Buffer | undefined> {
  const extract = tarStream.extract();
  let found: Buffer | undefined;
  extract.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => {
      if (h.name === name) chunks.push(c as Buffer);
    });
    stream.on('end', () => {
      if (h.name === name) found = Buffer.concat(chunks);
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    createReadStream(blob).pipe(createGunzip()).pipe(extract);
  });
  return found;
}

/** ELF e_machine: 62 = x86-64, 183 = AArch64. */
export function elfMachine(bytes: Buffer): number {
  assert.equal(bytes.subarray(0, 4).toString('latin1'), '\x7fELF');
  return bytes.readUInt16LE(18);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** True when a socket listens on TCP `port` in this network namespace (/proc/net/tcp, tcp6). */
function listensOn(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) => {
    try {
      // local_address is "ADDR:PORT" in hex; state 0A is LISTEN.
      return readFileSync(table, 'utf8')
        .split('\n')
        .some((line) => {
          const f = line.trim().split(/\s+/);
          return f[1]?.endsWith(`:${hex}`) && f[3] === '0A';
        });
    } catch {
      return false;
    }
  });
}

/**
 * GETs `url` once its port listens (a container on the host network starting its server): the
 * socket appearing is the event waited for; `process` (the container) ending first is a failure.
 */
export async function httpGetWhenListening(url: string, alive: () => boolean): Promise<string> {
  await untilListening(url, alive);
  return (await fetch(url)).text();
}

/** The status of a GET of `url` once its port listens (see httpGetWhenListening). */
export async function httpGetStatusWhenListening(url: string, alive: () => boolean): Promise<number> {
  await untilListening(url, alive);
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

async function untilListening(url: string, alive: () => boolean): Promise<void> {
  const port = Number(new URL(url).port);
  while (!listensOn(port)) {
    if (!alive()) throw new Error(`nothing listens on ${port} and the server is gone`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export function run(
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A container of `image` on the host network, serving on `port` (PORT), run until stop(). */
export function startContainer(
  image: string,
  port: number,
): { name: string; alive(): boolean; stop(): void } {
  const name = `goimg-e2e-${process.pid}-${port}`;
  const child = spawn(
    BUILDKIT_DOCKER,
    ['run', '--rm', '--name', name, '--network=host', '-e', `PORT=${port}`, image],
    { env: dockerEnv(), stdio: 'ignore' },
  );
  return {
    name,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => {
      run(BUILDKIT_DOCKER, ['rm', '-f', name], dockerEnv());
    },
  };
}
