import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runGoimg } from '../../helpers/cli.js';
import { hasEngine, hasImage, TEST_DOCKER_HOST } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

test('docker-daemon: an unknown image is exit 2, no engine is exit 3', (t) => {
  if (!need(t, hasEngine(), 'the test engine')) return;
  const missing = runGoimg(['image', 'docker-daemon:goimg-test/does-not-exist:nope'], {
    env: { DOCKER_HOST: TEST_DOCKER_HOST },
  });
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /no such image/);
  const down = runGoimg(['image', 'docker-daemon:alpine:3.20'], {
    env: { DOCKER_HOST: 'unix:///tmp/goimg-no-engine-here.sock' },
  });
  assert.equal(down.status, 3, down.stderr);
  assert.match(down.stderr, /engine unreachable/);
});

test('docker-daemon: the entrypoint binary report matches the goimg binary schema', (t) => {
  if (!need(t, hasEngine() && hasImage('alpine:3.20'), 'the alpine stand-in')) return;
  const r = runGoimg(['image', 'docker-daemon:alpine:3.20', '--format', 'json'], {
    env: { DOCKER_HOST: TEST_DOCKER_HOST },
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertMatchesSchema('image.schema.json', report);
  assert.equal(report.entrypoint.resolved, '/bin/busybox');
  assert.equal(report.entrypoint.binary.file, '/bin/busybox');
  assertMatchesSchema('binary.schema.json', report.entrypoint.binary);
  assert.equal(report.layers[0].compression, 'none');
  assert.equal(report.digest, null);
});

test('docker-daemon: a layer opened on its own streams its verified bytes', async (t) => {
  if (!need(t, hasEngine() && hasImage('alpine:3.20'), 'the alpine stand-in')) return;
  const { openImage } = await import('../../../src/image/index.js');
  const image = await openImage('docker-daemon:alpine:3.20', { dockerHost: TEST_DOCKER_HOST });
  const layer = image.layers[0]!;
  let bytes = 0;
  for await (const chunk of await layer.open()) bytes += (chunk as Buffer).length;
  assert.equal(bytes, layer.size);
  assert.equal(layer.digest, layer.diffId);
});
