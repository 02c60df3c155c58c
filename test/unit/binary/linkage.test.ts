/** Linkage cross-checked with readelf and file(1), on fixtures and on the real Debian binaries. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectBinary } from '../../../src/binary/index.js';
import { hasTool } from '../../helpers/env.js';
import {
  buildFixture,
  type FixtureName,
  type FixtureVariant,
  fixtureAvailable,
} from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { hasReadelf, REAL_BINARIES, readelfLinkage, tool } from './tools.js';

const CASES: [FixtureName, FixtureVariant][] = [
  ['app', 'static'],
  ['netuser', 'cgo'],
  ['netuser', 'musl'],
  ['netuser', 'pie'],
  ['cgocall', 'cgo'],
  ['netonly', 'musl'],
  ['netuser', 'go1.15-cgo'],
  ['app', '386'],
  ['app', 's390x'],
];

async function checkAgainstTools(file: string): Promise<void> {
  const r = await inspectBinary(file, { attribution: false });
  const re = readelfLinkage(file);
  assert.equal(r.linkage.interpreter, re.interpreter, 'interpreter');
  assert.deepEqual(r.linkage.needed, re.needed, 'NEEDED');
  assert.deepEqual(r.linkage.rpath, re.rpath, 'RPATH');
  assert.deepEqual(r.linkage.runpath, re.runpath, 'RUNPATH');
  assert.equal(r.type === 'DYN', re.dyn, 'ELF type');
  const f = tool('file', ['-b', file]).stdout;
  assert.equal(r.linkage.kind === 'static', /statically linked/.test(f), `static per file(1): ${f}`);
  if (/pie executable/.test(f)) assert.equal(r.linkage.pie, true);
}

for (const [name, variant] of CASES) {
  test(`linkage matches readelf and file for ${name}/${variant}`, async (t) => {
    if (
      !need(
        t,
        hasReadelf() && hasTool('file') && fixtureAvailable(variant) === null,
        'readelf, file and the fixture toolchain',
      )
    )
      return;
    await checkAgainstTools((await buildFixture(name, variant)).path);
  });
}

for (const file of REAL_BINARIES) {
  test(`linkage matches readelf and file for the real binary ${file}`, async (t) => {
    if (!need(t, hasReadelf() && hasTool('file'), 'readelf and file')) return;
    await checkAgainstTools(file);
  });
}

test('libc family: glibc loader, musl loader, none when static', async (t) => {
  if (!need(t, fixtureAvailable('musl') === null, 'Go 1.23, gcc and musl-gcc')) return;
  const glibc = await inspectBinary((await buildFixture('netuser', 'cgo')).path, { attribution: false });
  const musl = await inspectBinary((await buildFixture('netuser', 'musl')).path, { attribution: false });
  const none = await inspectBinary((await buildFixture('netuser', 'static')).path, { attribution: false });
  assert.equal(glibc.linkage.libc, 'glibc');
  assert.equal(musl.linkage.libc, 'musl');
  assert.equal(none.linkage.libc, null);
  assert.match(
    glibc.verdicts[0] as string,
    /needs glibc loader \/lib64\/ld-linux-x86-64\.so\.2 — will NOT run on alpine or distroless\/static/,
  );
  assert.match(musl.verdicts[0] as string, /needs musl loader \/lib\/ld-musl-x86_64\.so\.1 — runs on alpine/);
  assert.equal(none.verdicts[0], 'static — runs on scratch');
});

test('format: class, byte order and machine of cross-compiled fixtures', async (t) => {
  if (!need(t, fixtureAvailable('s390x') === null, 'Go 1.23')) return;
  const expect: [FixtureVariant, 32 | 64, 'little' | 'big', string][] = [
    ['static', 64, 'little', 'amd64'],
    ['arm64', 64, 'little', 'arm64'],
    ['386', 32, 'little', '386'],
    ['s390x', 64, 'big', 's390x'],
    ['arm', 32, 'little', 'arm'],
    ['ppc64le', 64, 'little', 'ppc64le'],
    ['riscv64', 64, 'little', 'riscv64'],
  ];
  for (const [variant, cls, endianness, arch] of expect) {
    const r = await inspectBinary((await buildFixture('app', variant)).path, { attribution: false });
    assert.deepEqual([r.class, r.endianness, r.arch, r.type], [cls, endianness, arch, 'EXEC'], variant);
    assert.equal(r.buildInfo?.settings.GOARCH, arch);
  }
});
