/** Shared helpers of the build end-to-end tests: run `goimg build`, read what it wrote. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import type { BuildReport } from '../../../src/cli/build.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
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

/** GETs a URL until it answers (the container needs a moment to start). */
export async function httpGetRetry(url: string, tries = 40): Promise<string> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    try {
      const res = await fetch(url);
      return await res.text();
    } catch (err) {
      last = (err as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} never answered: ${last}`);
}

export function run(
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
