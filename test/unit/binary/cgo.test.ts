/** cgo evidence: each fixture gets the right plain sentence, with and without symbols. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectBinary } from '../../../src/binary/index.js';
import {
  buildFixture,
  type FixtureName,
  type FixtureVariant,
  fixtureAvailable,
} from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';

const SENTENCES: [FixtureName, FixtureVariant, string][] = [
  ['netonly', 'cgo', 'cgo is on because of net (DNS)'],
  ['useronly', 'cgo', 'cgo is on because of os/user'],
  ['cgocall', 'cgo', 'cgo is on because of example.com/cgocall/native (import "C")'],
  ['netuser', 'cgo', 'cgo is on because of net (DNS) and os/user'],
  ['netuser', 'musl', 'cgo is on because of net (DNS) and os/user'],
  ['netonly', 'musl', 'cgo is on because of net (DNS)'],
  ['cgocall', 'go1.15-cgo', 'cgo is on because of example.com/cgocall/native (import "C")'],
  ['netuser', 'go1.15-cgo', 'cgo is on because of net (DNS) and os/user'],
  ['netuser', 'go1.19-cgo', 'cgo is on because of net (DNS) and os/user'],
  ['netuser', 'static', 'cgo is off (CGO_ENABLED=0)'],
  ['app', 'cgo', 'cgo is enabled (CGO_ENABLED=1) but no package calls C'],
];

for (const [name, variant, sentence] of SENTENCES) {
  test(`cgo sentence for ${name}/${variant}: ${sentence}`, async (t) => {
    if (!need(t, fixtureAvailable(variant) === null, `toolchain for ${variant}`)) return;
    const r = await inspectBinary((await buildFixture(name, variant)).path, { attribution: false });
    assert.ok(
      r.verdicts.some((v) => v === sentence || v.startsWith(`${sentence} — `)),
      `verdicts: ${JSON.stringify(r.verdicts)}`,
    );
  });
}

test('cgo evidence kinds: setting, packages, runtime/cgo and libc imports', async (t) => {
  if (!need(t, fixtureAvailable('cgo') === null, 'Go 1.23 and gcc')) return;
  const r = await inspectBinary((await buildFixture('netuser', 'cgo')).path, { attribution: false });
  assert.equal(r.cgo.enabled, true);
  const kinds = new Set(r.cgo.evidence.map((e) => e.kind));
  assert.deepEqual([...kinds].sort(), ['dynamic-import', 'package', 'runtime-cgo', 'setting']);
  const imports = r.cgo.evidence
    .filter((e) => e.kind === 'dynamic-import')
    .map((e) => e.detail)
    .join(' ');
  assert.match(imports, /getaddrinfo/);
  assert.match(imports, /getpwuid_r/);
});
