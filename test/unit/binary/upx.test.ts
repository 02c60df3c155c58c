/** UPX detection cross-checked with `upx -l` and `upx --fileinfo` on really packed fixtures. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ElfFile } from '../../../src/binary/elf.js';
import { fileSource, inspectBinary } from '../../../src/binary/index.js';
import { detectUpx } from '../../../src/binary/upx.js';
import { buildFixture, type FixtureName, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { tool } from './tools.js';

for (const name of ['app', 'netuser'] as FixtureName[]) {
  test(`UPX fields of ${name}/upx agree with upx -l and upx --fileinfo`, async (t) => {
    if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
    const fx = await buildFixture(name, 'upx');
    const list = tool('upx', ['-l', fx.path]).stdout;
    const m = /^\s*(\d+)\s+->\s+(\d+)\s+[\d.]+%\s+(\S+)/m.exec(list);
    assert.ok(m, `upx -l output: ${list}`);
    const info = tool('upx', ['--fileinfo', fx.path]).stdout;
    const fi = /compressed by UPX (\d+), method (\d+), level (\d+)/.exec(info);
    assert.ok(fi, `upx --fileinfo output: ${info}`);

    const r = await inspectBinary(fx.path);
    assert.equal(r.upx.packed, true);
    assert.equal(r.upx.unpackedSize, Number(m[1]));
    assert.equal(r.size, Number(m[2]));
    assert.match(r.upx.version ?? '', /^\d+\.\d+/);
    assert.equal(r.buildInfo?.path, `example.com/${name}`, 'build info is read from the unpacked original');
    assert.match(
      r.verdicts[0] as string,
      /^UPX-packed .*go version -m and SBOM\/vulnerability scanners see nothing/,
    );

    const src = await fileSource(fx.path);
    try {
      const d = await detectUpx(await ElfFile.open(src));
      assert.deepEqual([d.formatVersion, d.methodId, d.level], [Number(fi[1]), Number(fi[2]), Number(fi[3])]);
    } finally {
      await src.close();
    }
  });
}

test('unpacked fixtures are not reported as UPX', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const r = await inspectBinary((await buildFixture('app', 'static')).path, { attribution: false });
  assert.deepEqual(r.upx, { packed: false, version: null, method: null, unpackedSize: null });
});
