import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseToolchain, goBuildArgs, goBuildEnv } from '../../../src/build/gobuild.js';
import { compareGoVersions, findGoToolchains } from '../../../src/env/go-toolchains.js';
import { need } from '../../helpers/requirements.js';

test('picks the newest toolchain at least as new as the go line; refuses when none is', (t) => {
  const all = findGoToolchains();
  if (!need(t, all.length > 0, 'a Go toolchain')) return;
  const chosen = chooseToolchain('1.19');
  assert.equal(chosen.version, all[0]!.version);
  assert.ok(compareGoVersions(chosen.version, 'go1.19') >= 0);
  assert.throws(() => chooseToolchain('1.99'), /no Go toolchain satisfies go.mod \(go1.99\)/);
});

test('the go build line: -trimpath, -s -w before user ldflags, tags, per-platform env, no toolchain download', (t) => {
  const all = findGoToolchains();
  if (!need(t, all.length > 0, 'a Go toolchain')) return;
  const req = {
    toolchain: all[0]!,
    dir: '/src',
    main: './cmd/api',
    platform: { os: 'linux', arch: 'arm', variant: 'v7' },
    cgo: false,
    ldflags: ['-X', 'main.version=1'],
    tags: ['timetzdata', 'netgo'],
    output: '/out/api',
  };
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
  assert.equal(env.GOTOOLCHAIN, 'local');
});
