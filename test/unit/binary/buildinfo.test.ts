/** Build info and the `go version -m` text, checked against Go's own output for every fixture. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoVersionM, inspectBinary } from '../../../src/binary/index.js';
import {
  buildFixture,
  FIXTURE_VARIANTS,
  type FixtureName,
  type FixtureVariant,
  fixtureAvailable,
} from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { GO, goVersionM, REAL_BINARIES } from './tools.js';

// go version -m reads nothing from a packed file: packed fixtures are compared in upx-unpack.test.ts.
const LINUX_VARIANTS = (Object.keys(FIXTURE_VARIANTS) as FixtureVariant[]).filter(
  (v) => !('goos' in FIXTURE_VARIANTS[v]) && !('upx' in FIXTURE_VARIANTS[v]),
);

for (const name of ['app', 'netuser'] as FixtureName[]) {
  for (const variant of LINUX_VARIANTS) {
    test(`go version -m matches for fixture ${name}/${variant}`, async (t) => {
      if (
        !need(
          t,
          GO !== undefined && fixtureAvailable(variant) === null,
          `Go toolchains and compilers for ${variant}`,
        )
      )
        return;
      const fx = await buildFixture(name, variant);
      const r = await inspectBinary(fx.path);
      assert.ok(r.goVersion, 'has a Go version');
      assert.equal(formatGoVersionM(fx.path, r.goVersion, r.buildInfo), goVersionM(fx.path));
      assert.equal(r.goVersion, fx.toolchain.version);
    });
  }
}

test('pointer-based build info (Go 1.15): replaced dependency parsed', async (t) => {
  if (!need(t, fixtureAvailable('go1.15') === null, 'Go 1.15')) return;
  const r = await inspectBinary((await buildFixture('app', 'go1.15')).path);
  assert.equal(r.goVersion, 'go1.15.15');
  assert.deepEqual(r.buildInfo?.main, { path: 'example.com/app', version: '(devel)', sum: '' });
  assert.deepEqual(r.buildInfo?.deps, [
    {
      path: 'example.com/greet',
      version: 'v1.2.3',
      sum: '',
      replace: { path: './greet', version: '', sum: '' },
    },
  ]);
});

test('inline build info: settings in order, -ldflags quoted like go version -m', async (t) => {
  if (!need(t, fixtureAvailable('stripped') === null, 'Go 1.23')) return;
  const fx = await buildFixture('app', 'stripped');
  const r = await inspectBinary(fx.path);
  assert.equal(r.buildInfo?.settings['-ldflags'], '-s -w');
  assert.match(formatGoVersionM(fx.path, r.goVersion as string, r.buildInfo), /\tbuild\t-ldflags="-s -w"\n/);
  assert.equal(r.buildInfo?.settings.CGO_ENABLED, '0');
});

for (const file of REAL_BINARIES) {
  test(`go version -m matches for the real binary ${file}`, async (t) => {
    if (!need(t, GO !== undefined, 'Go 1.23')) return;
    const r = await inspectBinary(file, { attribution: false });
    assert.equal(formatGoVersionM(file, r.goVersion as string, r.buildInfo), goVersionM(file));
  });
}
