/**
 * contextSize() against the real thing: BuildKit's "transferring context: N" for the same
 * directory, with the same .dockerignore, must agree within 1% (the audit's missing-dockerignore
 * figure is this number). Contexts: the seed article with a .git and a host binary, the
 * orders service with the .dockerignore goimg suggests, and a Go source tree with exceptions.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { contextSize, loadDockerignore, suggestDockerignore } from '../../../src/context/index.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { scanProject } from '../../../src/project/index.js';
import { followedContextPaths } from '../../../src/rules/audit/context.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { buildkitBuild, DockerResources } from '../../helpers/docker.js';
import { hasEngine } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-ctx-e2e-'));
const made = new DockerResources();
after(() => {
  made.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const DOCKERFILE = join(scratch, 'Dockerfile.copy-all');
writeFileSync(DOCKERFILE, 'FROM scratch\nCOPY . /ctx\n');

const UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

/** The context transfer BuildKit reports (the last "transferring context" step is the context). */
function reportedContextBytes(output: string): number {
  const byStep = new Map<number, number>();
  for (const m of output.matchAll(/^#(\d+) transferring context: ([\d.]+)(B|kB|MB|GB)/gm)) {
    byStep.set(Number(m[1]), Number(m[2]) * UNITS[m[3]!]!);
  }
  assert.ok(byStep.size > 0, `no "transferring context" line in:\n${output}`);
  return byStep.get(Math.max(...byStep.keys()))!;
}

async function compare(
  dir: string,
  dockerfile = DOCKERFILE,
  followPaths?: string[],
): Promise<{ ours: number; buildkit: number }> {
  const ours = contextSize(dir, loadDockerignore(dir), followPaths ? { followPaths } : {}).transferBytes;
  const tag = made.imageTag('ctx-size');
  const r = await buildkitBuild(dir, tag, { dockerfile });
  assert.equal(r.status, 0, r.output);
  const buildkit = reportedContextBytes(r.output);
  const diff = Math.abs(ours - buildkit) / buildkit;
  assert.ok(diff <= 0.01, `goimg ${ours} B vs BuildKit ${buildkit} B (${(diff * 100).toFixed(2)}%)`);
  return { ours, buildkit };
}

test('seed-article with a .git and a host binary, no .dockerignore', async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine with BuildKit')) return;
  const dir = join(scratch, 'seed');
  cpSync(join(REPO_ROOT, 'examples/seed-article'), dir, { recursive: true });
  mkdirSync(join(dir, '.git/objects/pack'), { recursive: true });
  writeFileSync(join(dir, '.git/objects/pack/pack-1.pack'), randomBytes(700_000));
  writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'main'), randomBytes(1_500_000));
  const r = await compare(dir);
  t.diagnostic(`goimg ${r.ours} B, BuildKit ${r.buildkit} B`);
});

test('orders-service with the .dockerignore goimg suggests', async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine with BuildKit')) return;
  const dir = join(scratch, 'orders');
  cpSync(join(REPO_ROOT, 'examples/orders-service'), dir, { recursive: true });
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, '.git/index'), randomBytes(50_000));
  writeFileSync(join(dir, 'orders.test'), randomBytes(300_000));
  const s = suggestDockerignore(await scanProject(dir));
  writeFileSync(join(dir, '.dockerignore'), s.text);
  const r = await compare(dir);
  t.diagnostic(`goimg ${r.ours} B, BuildKit ${r.buildkit} B`);
});

test('many small files with exceptions inside excluded directories', async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine with BuildKit')) return;
  const go = findGoToolchain();
  if (!need(t, go !== undefined, 'a Go toolchain (its source tree is the corpus)')) return;
  const dir = join(scratch, 'gosrc');
  cpSync(join(go!.goroot, 'src/net/http'), dir, { recursive: true, dereference: true });
  writeFileSync(join(dir, '.dockerignore'), '**/*_test.go\n!httptest/*_test.go\ntestdata\n!testdata/*.pem\n');
  const r = await compare(dir);
  t.diagnostic(`goimg ${r.ours} B, BuildKit ${r.buildkit} B`);
});

test('a build that names its sources (a glob over platform directories): BuildKit sends only those', async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine with BuildKit')) return;
  const dir = join(scratch, 'named');
  mkdirSync(join(dir, 'dist/app_linux_amd64_v1'), { recursive: true });
  mkdirSync(join(dir, 'dist/app_linux_arm64'), { recursive: true });
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, 'dist/app_linux_amd64_v1/app'), randomBytes(200_000));
  writeFileSync(join(dir, 'dist/app_linux_arm64/app'), randomBytes(150_000));
  writeFileSync(join(dir, 'dist/app_linux_arm64/notes.txt'), 'left out');
  writeFileSync(join(dir, '.git/pack'), randomBytes(900_000));
  writeFileSync(join(dir, 'README.md'), 'left out too');
  const text = 'FROM scratch\nARG TARGETARCH\nCOPY dist/app_linux_${TARGETARCH}*/app /usr/bin/app\n';
  const dockerfile = join(scratch, 'Dockerfile.named');
  writeFileSync(dockerfile, text);
  const followed = followedContextPaths(parseDockerfile(text).model);
  assert.deepEqual(followed, ['dist/app_linux_**/app']);
  // With the platform BuildKit builds for (this machine's), the same bytes.
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const r = await compare(dir, dockerfile, [`dist/app_linux_${arch}*/app`]);
  // The audit does not know the platform: its glob counts every platform's binary, never .git.
  const anyPlatform = contextSize(dir, loadDockerignore(dir), { followPaths: followed! }).transferBytes;
  assert.ok(anyPlatform >= r.buildkit && anyPlatform < 400_000, `${anyPlatform} B for any platform`);
  t.diagnostic(`goimg ${r.ours} B (any platform ${anyPlatform} B), BuildKit ${r.buildkit} B`);
});
