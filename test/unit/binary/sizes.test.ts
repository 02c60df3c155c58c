/**
 * Size attribution: per-package function bytes against `go tool nm -size` (within 2 %), the same
 * figures from a stripped build (within 5 %), and the -s -w estimate against a real -s -w build.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { type BinaryReport, bufferSource, inspectBinary } from '../../../src/binary/index.js';
import { C_CODE, packageOf } from '../../../src/binary/symbol-package.js';
import {
  buildFixture,
  type FixtureName,
  type FixtureVariant,
  fixtureAvailable,
} from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { GO, nmTextSymbols } from './tools.js';

/** Packages big enough that 2 % is more than a single small function. */
const MIN_PACKAGE = 2048;

function nmByPackage(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const [name, size] of nmTextSymbols(file)) {
    const pkg = packageOf(name);
    if (pkg !== C_CODE) m.set(pkg, (m.get(pkg) ?? 0) + size);
  }
  return m;
}

const textOf = (r: BinaryReport): Map<string, number> =>
  new Map((r.sizes?.packages ?? []).map((p) => [p.name, p.text]));

const within = (a: number, b: number, share: number): boolean => Math.abs(a - b) <= share * Math.max(a, b);

const NM_CASES: [FixtureName, FixtureVariant][] = [
  ['app', 'static'],
  ['netuser', 'cgo'],
  ['app', 'go1.15'],
  ['app', 'go1.19'],
  ['app', '386'],
  ['app', 's390x'],
  ['app', 'arm64'],
  ['app', 'arm'],
  ['app', 'ppc64le'],
  ['app', 'riscv64'],
  ['netuser', 'pie'],
];

for (const [name, variant] of NM_CASES) {
  test(`per-package text agrees with go tool nm -size within 2 % for ${name}/${variant}`, async (t) => {
    if (
      !need(t, GO !== undefined && fixtureAvailable(variant) === null, `Go 1.23 and the ${variant} toolchain`)
    )
      return;
    const fx = await buildFixture(name, variant);
    const ours = textOf(await inspectBinary(fx.path));
    const nm = nmByPackage(fx.path);
    let compared = 0;
    for (const [pkg, size] of nm) {
      if (size < MIN_PACKAGE) continue;
      const got = ours.get(pkg) ?? 0;
      assert.ok(within(got, size, 0.02), `${pkg}: goimg ${got} vs nm ${size}`);
      compared++;
    }
    assert.ok(compared >= 10, `compared ${compared} packages`);
  });
}

test('stripped binary: per-package text within 5 % of the unstripped build', async (t) => {
  if (!need(t, fixtureAvailable('stripped') === null, 'Go 1.23')) return;
  const full = await inspectBinary((await buildFixture('app', 'static')).path);
  const stripped = await inspectBinary((await buildFixture('app', 'stripped')).path);
  assert.equal(stripped.stripped, true);
  assert.equal(stripped.debugInfo.dwarf, false);
  const a = textOf(full);
  const b = textOf(stripped);
  for (const [pkg, size] of a) {
    if (size < MIN_PACKAGE) continue;
    assert.ok(within(b.get(pkg) ?? 0, size, 0.05), `${pkg}: stripped ${b.get(pkg)} vs unstripped ${size}`);
  }
  assert.ok((stripped.sizes?.packages.length ?? 0) > 20);
});

for (const name of ['app', 'netuser'] as FixtureName[]) {
  test(`strip savings estimate within 5 % of a real -s -w build (${name})`, async (t) => {
    if (!need(t, fixtureAvailable('stripped') === null, 'Go 1.23')) return;
    const full = await buildFixture(name, 'static');
    const stripped = await buildFixture(name, 'stripped');
    const real = statSync(full.path).size - statSync(stripped.path).size;
    const r = await inspectBinary(full.path, { attribution: false });
    assert.ok(
      r.stripSavings !== null && within(r.stripSavings, real, 0.05),
      `estimate ${r.stripSavings} vs real ${real}`,
    );
  });
}

test('modules: std, main module and the replaced dependency are told apart', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const r = await inspectBinary((await buildFixture('app', 'stripped')).path);
  const mods = new Map((r.sizes?.modules ?? []).map((m) => [m.path, m]));
  assert.equal(mods.get('std')?.version, r.goVersion);
  assert.ok((mods.get('example.com/app')?.text ?? 0) > 0, 'main module has code');
  assert.ok((mods.get('example.com/greet')?.text ?? 0) > 0, 'dependency has code');
  const s = r.sizes;
  assert.ok(s && s.attributed + s.unattributed === r.size);
});

test('packages option keeps the N largest, totals unchanged', async (t) => {
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const file = (await buildFixture('app', 'static')).path;
  const all = await inspectBinary(file);
  const top = await inspectBinary(file, { packages: 3 });
  assert.equal(top.sizes?.packages.length, 3);
  assert.deepEqual(top.sizes?.packages, all.sizes?.packages.slice(0, 3));
  assert.equal(top.sizes?.attributed, all.sizes?.attributed);
});

test('real binary: /usr/local/bin/docker (Go 1.24, static-pie) per-package text within 2 % of go tool nm', async (t) => {
  const file = '/usr/local/bin/docker';
  if (!need(t, GO !== undefined && existsSync(file), `Go 1.23 and ${file}`)) return;
  const ours = textOf(await inspectBinary(file));
  let compared = 0;
  for (const [pkg, size] of nmByPackage(file)) {
    if (size < MIN_PACKAGE) continue;
    assert.ok(within(ours.get(pkg) ?? 0, size, 0.02), `${pkg}: goimg ${ours.get(pkg)} vs nm ${size}`);
    compared++;
  }
  assert.ok(compared > 200, `compared ${compared} packages`);
});

test('real binary: stripped dockerd (no symbol table, pclntab inside .data.rel.ro) is attributed', async (t) => {
  const file = '/usr/sbin/dockerd';
  if (!need(t, existsSync(file), file)) return;
  const r = await inspectBinary(file);
  assert.equal(r.stripped, true);
  assert.ok((r.sizes?.packages.length ?? 0) > 500);
  const daemon = r.sizes?.packages.find((p) => p.name === 'github.com/docker/docker/daemon');
  assert.ok(daemon && daemon.text > 100_000, 'the daemon package has its code');
});

test('no section headers at all (as sstrip leaves a binary): the function table is found in the segments', async (t) => {
  if (!need(t, fixtureAvailable('stripped') === null, 'Go 1.23')) return;
  const file = (await buildFixture('app', 'stripped')).path;
  const withSections = await inspectBinary(file);
  const bytes = readFileSync(file);
  bytes.writeBigUInt64LE(0n, 40); // e_shoff
  bytes.writeUInt16LE(0, 60); // e_shnum
  bytes.writeUInt16LE(0, 62); // e_shstrndx
  const r = await inspectBinary(bufferSource(bytes), { name: file });
  assert.deepEqual(r.sizes?.packages, withSections.sizes?.packages);
  assert.equal(r.goVersion, withSections.goVersion);
  assert.deepEqual(r.buildInfo, withSections.buildInfo);
});
