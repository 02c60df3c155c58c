/**
 * `goimg image docker-daemon:IMAGE` through Podman's Docker-compatible API socket. Podman exports
 * in the containers/image layout (layers as HEX.tar at the top of the archive, not ID/layer.tar):
 * the report must equal the one read from the engine's own `docker save` archive of the same image.
 * A private Podman service runs on a socket in a temporary directory, with its own storage.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { analyzeRef } from '../../../src/image/analyze-ref.js';
import { buildImageReport } from '../../../src/rules/image/report.js';
import { dockerOk } from '../../helpers/docker.js';
import { hasEngine, hasImage, hasTool, TEST_DOCKER_HOST } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';

const IMAGE = 'debian:bookworm-slim';
const work = mkdtempSync(join(tmpdir(), 'goimg-podman-'));
let service: ChildProcess | undefined;

after(async () => {
  if (service?.exitCode === null) {
    const exited = new Promise((resolve) => service!.once('exit', resolve));
    service.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

/** Podman with its storage under the test's directory, nothing shared with the machine's. */
function podmanArgs(...args: string[]): string[] {
  return [
    '--root',
    join(work, 'root'),
    '--runroot',
    join(work, 'run'),
    '--storage-driver',
    'vfs',
    '--cgroup-manager',
    'cgroupfs',
    '--events-backend',
    'none',
    ...args,
  ];
}

async function startService(socket: string): Promise<void> {
  service = spawn('podman', podmanArgs('system', 'service', '--time=0', `unix://${socket}`), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  service.stderr!.on('data', (c) => (stderr += String(c)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`podman system service exited: ${stderr}`);
    const ping = spawnSync('curl', ['-sf', '--unix-socket', socket, 'http://d/_ping'], { encoding: 'utf8' });
    if (ping.status === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`podman's socket did not answer within 30 s: ${stderr}`);
}

async function report(ref: string, dockerHost?: string): Promise<object> {
  const analysis = await analyzeRef(ref, dockerHost ? { dockerHost } : {});
  const { ref: _ref, ...rest } = buildImageReport(analysis);
  return { ...rest, files: [...analysis.fs.walk()].map((f) => `${f.path} ${f.node.size} ${f.node.layer}`) };
}

test(`docker-daemon:${IMAGE} through Podman's API socket equals the docker save archive`, async (t) => {
  if (!need(t, hasTool('podman') && hasTool('curl'), 'podman and curl (scripts/install-packages.sh)')) return;
  if (!need(t, hasEngine() && hasImage(IMAGE), `the ${IMAGE} stand-in`)) return;
  const archive = join(work, 'saved.tar');
  dockerOk(['save', '-o', archive, IMAGE], { timeoutMs: 300_000 });
  const load = spawnSync('podman', podmanArgs('load', '-i', archive), { encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  const socket = join(work, 'podman.sock');
  await startService(socket);
  assert.ok(existsSync(socket));

  const throughPodman = await report(`docker-daemon:${IMAGE}`, `unix://${socket}`);
  const fromArchive = await report(`docker-archive:${archive}`);
  assert.ok((throughPodman as { files: string[] }).files.length > 1000);
  assert.deepEqual(throughPodman, fromArchive);
  // And the engine's own export, for the same image, agrees too.
  assert.deepEqual(await report(`docker-daemon:${IMAGE}`, TEST_DOCKER_HOST), fromArchive);
});
