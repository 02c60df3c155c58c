/**
 * Push to the loopback registry: skopeo and the engine read it back; an unchanged image uploads
 * nothing; chunked uploads and cross-repository mounts work.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, test } from 'node:test';
import { buildImage } from '../../../src/build/build.js';
import { pushBuild } from '../../../src/registry/push.js';
import { BUILDKIT_DOCKER, dockerEnv, hasEngine, hasTool, TEST_REGISTRY } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { buildJson, copyFixture, run, tempDir } from './helpers.js';

const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));
const unique = `${process.pid}-${Date.now()}`;

async function registryUp(): Promise<boolean> {
  try {
    return (await fetch(`http://${TEST_REGISTRY}/v2/`)).status === 200;
  } catch {
    return false;
  }
}

test('push, then skopeo inspect and docker pull read the same digest; a second push uploads nothing', async (t) => {
  if (!need(t, await registryUp(), `the loopback registry at ${TEST_REGISTRY}`)) return;
  const src = await copyFixture('web', work);
  const target = `${TEST_REGISTRY}/goimg-e2e/web-${unique}:v1`;
  const first = buildJson([src, '--push', `docker://${target}`, '--insecure']);
  assert.equal(first.pushed?.reference, target);
  assert.equal(first.pushed?.uploaded, 4, 'three layers and the config');
  assert.match(first.reference, new RegExp(`^${TEST_REGISTRY}/goimg-e2e/web-${unique}@sha256:`));
  if (!need(t, hasTool('skopeo'), 'skopeo')) return;
  const inspected = run('skopeo', ['inspect', '--tls-verify=false', `docker://${target}`]);
  assert.equal(inspected.status, 0, inspected.stderr);
  assert.equal((JSON.parse(inspected.stdout) as { Digest: string }).Digest, first.digest);
  const again = buildJson([src, '--push', `docker://${target}`, '--insecure']);
  assert.equal(again.digest, first.digest);
  assert.equal(again.pushed?.uploaded, 0);
  assert.equal(again.pushed?.skipped, 4);
  assert.deepEqual(
    again.pushed?.requests,
    { HEAD: 5 },
    'four blob HEADs and one manifest HEAD, nothing else',
  );
  if (!need(t, hasEngine(), 'the test Docker engine')) return;
  const pull = run(BUILDKIT_DOCKER, ['pull', target], dockerEnv());
  assert.equal(pull.status, 0, pull.stderr);
  assert.match(pull.stdout, new RegExp(first.digest));
});

test('chunked upload (PATCH) and cross-repository mount', async (t) => {
  if (!need(t, await registryUp(), `the loopback registry at ${TEST_REGISTRY}`)) return;
  const src = await copyFixture('plain', work);
  const result = await buildImage({
    dir: src,
    base: { kind: 'auto' },
    platforms: [],
    cgo: 'auto',
    ldflags: [],
    tags: [],
  });
  try {
    const chunked = await pushBuild(result, `${TEST_REGISTRY}/goimg-e2e/chunked-${unique}:v1`, {
      insecure: true,
      chunkSize: 256 * 1024,
    });
    assert.equal(chunked.uploaded, 3);
    assert.ok(
      (chunked.requests.PATCH ?? 0) >= 2,
      `binary layer sent in several PATCHes: ${JSON.stringify(chunked.requests)}`,
    );
    const mounted = await pushBuild(result, `${TEST_REGISTRY}/goimg-e2e/mounted-${unique}:v1`, {
      insecure: true,
      mountFrom: [`goimg-e2e/chunked-${unique}`],
    });
    assert.equal(mounted.mounted, 3);
    assert.equal(mounted.uploaded, 0);
    assert.equal(mounted.bytes, 0);
    if (!need(t, hasTool('skopeo'), 'skopeo')) return;
    for (const repo of [`chunked-${unique}`, `mounted-${unique}`]) {
      const r = run('skopeo', [
        'inspect',
        '--tls-verify=false',
        `docker://${TEST_REGISTRY}/goimg-e2e/${repo}:v1`,
      ]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { Digest: string }).Digest, result.top.digest);
    }
  } finally {
    await result.dispose();
  }
});

test('a multi-platform push stores the index under the tag', async (t) => {
  if (!need(t, await registryUp(), `the loopback registry at ${TEST_REGISTRY}`)) return;
  if (!need(t, hasTool('skopeo'), 'skopeo')) return;
  const src = await copyFixture('plain', work);
  const target = `${TEST_REGISTRY}/goimg-e2e/multi:${unique}`;
  const r = buildJson([
    src,
    '--platform',
    'linux/amd64,linux/arm64',
    '--push',
    `docker://${target}`,
    '--insecure',
  ]);
  const raw = run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${target}`]);
  assert.equal(raw.status, 0, raw.stderr);
  const index = JSON.parse(raw.stdout) as {
    mediaType: string;
    manifests: { platform: { architecture: string } }[];
  };
  assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.deepEqual(
    index.manifests.map((m) => m.platform.architecture),
    ['amd64', 'arm64'],
  );
  const arm = run('skopeo', [
    '--override-arch',
    'arm64',
    'inspect',
    '--tls-verify=false',
    `docker://${target}`,
  ]);
  const armInfo = JSON.parse(arm.stdout) as { Digest: string; Architecture: string };
  assert.equal(armInfo.Architecture, 'arm64');
  assert.equal(armInfo.Digest, r.digest, 'skopeo reports the digest the tag names: the index');
});
