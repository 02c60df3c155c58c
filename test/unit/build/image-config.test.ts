import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEDIA } from '../../../src/build/blobs.js';
import {
  imageConfig,
  imageIndex,
  imageManifest,
  isoTime,
  mergeEnv,
} from '../../../src/build/image-config.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;

test('config: exec-form entrypoint, user, sorted labels, ports, diff_ids after the base', () => {
  const doc = imageConfig({
    platform: { os: 'linux', arch: 'arm64' },
    created: isoTime(1700000000),
    entrypoint: ['/app/srv'],
    user: '65532:65532',
    env: ['SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'],
    labels: { 'org.opencontainers.image.title': 'srv', 'org.opencontainers.image.revision': 'abc' },
    ports: [8080, 8080],
    base: {
      architecture: 'arm64',
      os: 'linux',
      config: { Env: ['PATH=/bin', 'SSL_CERT_FILE=/old'] },
      rootfs: { type: 'layers', diff_ids: [D('a')] },
      history: [{ created_by: 'base' }],
    },
    layers: [{ diffId: D('b'), createdBy: 'goimg build: binary' }],
  });
  assert.equal(doc.created, '2023-11-14T22:13:20Z');
  assert.equal(doc.architecture, 'arm64');
  assert.deepEqual(doc.config?.Entrypoint, ['/app/srv']);
  assert.equal(doc.config?.User, '65532:65532');
  assert.deepEqual(doc.config?.Env, ['PATH=/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt']);
  assert.deepEqual(Object.keys(doc.config?.Labels ?? {}), [
    'org.opencontainers.image.revision',
    'org.opencontainers.image.title',
  ]);
  assert.deepEqual(doc.config?.ExposedPorts, { '8080/tcp': {} });
  assert.deepEqual(doc.rootfs.diff_ids, [D('a'), D('b')]);
  assert.equal(doc.history?.length, 2);
  assert.match(doc.history?.[1]?.created_by ?? '', /goimg/);
});

test('env merge: later wins, first position kept', () => {
  assert.deepEqual(mergeEnv(['A=1', 'B=2'], ['A=3']), ['B=2', 'A=3']);
});

test('manifest and index carry OCI media types and platforms', () => {
  const m = imageManifest({ mediaType: MEDIA.config, digest: D('c'), size: 10 }, [
    { mediaType: MEDIA.layerGzip, digest: D('d'), size: 20 },
  ]) as {
    mediaType: string;
    config: { mediaType: string };
    layers: unknown[];
  };
  assert.equal(m.mediaType, MEDIA.manifest);
  assert.equal(m.config.mediaType, MEDIA.config);
  const idx = imageIndex([
    { mediaType: MEDIA.manifest, digest: D('e'), size: 5, platform: { os: 'linux', architecture: 'amd64' } },
  ]) as {
    manifests: { platform: unknown }[];
  };
  assert.deepEqual(idx.manifests[0]?.platform, { os: 'linux', architecture: 'amd64' });
});

test('push mounts base blobs only from the same registry', async () => {
  const { mountSources } = await import('../../../src/cli/build.js');
  assert.deepEqual(mountSources('127.0.0.1:5055/base/img:1', '127.0.0.1:5055/app/x:2'), ['base/img']);
  assert.deepEqual(
    mountSources('docker://127.0.0.1:5055/base/img@sha256:' + 'a'.repeat(64), '127.0.0.1:5055/app/x'),
    ['base/img'],
  );
  assert.deepEqual(mountSources('gcr.io/distroless/static-debian12:nonroot', '127.0.0.1:5055/app/x'), []);
  assert.deepEqual(mountSources('oci:/tmp/layout:base', '127.0.0.1:5055/app/x'), []);
  assert.deepEqual(mountSources('127.0.0.1:5055/app/x:base', '127.0.0.1:5055/app/x:2'), []);
  assert.deepEqual(mountSources(undefined, '127.0.0.1:5055/app/x'), []);
});
