import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseToolchain, goBuildArgs, goBuildEnv } from '../../../src/build/gobuild.js';
import type { GoimgError } from '../../../src/core/errors.js';
import { compareGoVersions, findGoToolchains } from '../../../src/env/go-toolchains.js';
import { need } from '../../helpers/requirements.js';

const REQ = {
  dir: '/src',
  main: './cmd/api',
  platform: { os: 'linux', arch: 'arm', variant: 'v7' },
  cgo: false,
  ldflags: ['-X', 'main.version=1'],
  tags: ['timetzdata', 'netgo'],
  output: '/out/api',
};

test('picks the newest toolchain at least as new as the go line; refuses when none is', (t) => {
  const all = findGoToolchains();
  if (!need(t, all.length > 0, 'a Go toolchain')) return;
  const chosen = chooseToolchain('1.19');
  assert.equal(chosen.version, all[0]!.version);
  assert.ok(compareGoVersions(chosen.version, 'go1.19') >= 0);
});

test('go.mod newer than every installed toolchain: go fetches it (GOTOOLCHAIN=auto), or exit 3 names it', (t) => {
  const all = findGoToolchains();
  if (
    !need(
      t,
      all.some((tc) => compareGoVersions(tc.version, 'go1.21') >= 0),
      'a Go 1.21+ toolchain',
    )
  )
    return;
  const saved = process.env.GOTOOLCHAIN;
  try {
    delete process.env.GOTOOLCHAIN;
    const chosen = chooseToolchain('1.99.0');
    assert.equal(chosen.switchTo, 'go1.99.0');
    assert.equal(goBuildEnv({ ...REQ, toolchain: chosen }).GOTOOLCHAIN, 'auto');
    assert.equal(
      goBuildEnv({ ...REQ, toolchain: chosen }).GOROOT,
      null,
      'the fetched Go finds its own GOROOT',
    );
    process.env.GOTOOLCHAIN = 'local';
    assert.throws(
      () => chooseToolchain('1.99.0'),
      (err: GoimgError) =>
        err.exitCode === 3 &&
        /go\.mod needs go1\.99\.0/.test(err.message) &&
        /install go1\.99\.0/.test(err.hint ?? ''),
    );
  } finally {
    if (saved === undefined) delete process.env.GOTOOLCHAIN;
    else process.env.GOTOOLCHAIN = saved;
  }
});

test("the go build line: -trimpath, -s -w before user ldflags, tags, per-platform env, the user's GOTOOLCHAIN", (t) => {
  const all = findGoToolchains();
  if (!need(t, all.length > 0, 'a Go toolchain')) return;
  const req = { ...REQ, toolchain: all[0]! };
  assert.deepEqual(goBuildArgs(req), [
    'build',
    '-trimpath',
    '-ldflags=-s -w -X main.version=1',
    '-tags=timetzdata,netgo',
    '-o',
    '/out/api',
    './cmd/api',
  ]);
  const env = goBuildEnv(req);
  assert.equal(env.CGO_ENABLED, '0');
  assert.equal(env.GOARCH, 'arm');
  assert.equal(env.GOARM, '7');
  assert.equal(env.GOTOOLCHAIN, process.env.GOTOOLCHAIN || 'auto', "the user's GOTOOLCHAIN, as go reads it");
});
