import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NODE_LTS_MAJOR, nodeImage } from '../../../src/generate/asset-stage.js';
import { REPO_ROOT } from '../../helpers/cli.js';

test('without an engines field init picks the LTS line; the test environment has a stand-in under that tag', () => {
  const { image } = nodeImage({ kind: 'npm', dir: '.', output: 'dist', lockfile: true, script: 'build' });
  assert.equal(image, `node:${NODE_LTS_MAJOR}-bookworm-slim`);
  const script = readFileSync(join(REPO_ROOT, 'scripts/build-standins.sh'), 'utf8');
  assert.ok(script.includes(`\nbuild_tag ${image} `), `scripts/build-standins.sh builds ${image}`);
});

test('an engines field newer than the LTS line wins; an older one keeps the LTS line', () => {
  const base = { kind: 'npm', dir: '.', output: 'dist', lockfile: true, script: 'build' } as const;
  assert.equal(
    nodeImage({ ...base, nodeMajor: NODE_LTS_MAJOR + 1 }).image,
    `node:${NODE_LTS_MAJOR + 1}-bookworm-slim`,
  );
  assert.equal(nodeImage({ ...base, nodeMajor: 18 }).image, `node:${NODE_LTS_MAJOR}-bookworm-slim`);
});
