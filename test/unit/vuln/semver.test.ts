/** Versions as the Go vulnerability database compares them, on ranges of real advisories. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OsvAffected } from '../../../src/vuln/osv.js';
import {
  fixedVersion,
  goTagToSemver,
  isAffected,
  moduleSemver,
  semverToGoTag,
} from '../../../src/vuln/semver.js';

const range = (...events: Record<string, string>[]): OsvAffected => ({
  package: { name: 'stdlib', ecosystem: 'Go' },
  ranges: [{ type: 'SEMVER', events }],
});

// GO-2024-2887's ranges.
const NETIP = range(
  { introduced: '0' },
  { fixed: '1.21.11' },
  { introduced: '1.22.0-0' },
  { fixed: '1.22.4' },
);

test('Go release tags map to the semver the database uses for stdlib', () => {
  assert.equal(goTagToSemver('go1.21.3'), '1.21.3');
  assert.equal(goTagToSemver('go1.19'), '1.19.0');
  assert.equal(goTagToSemver('go1.21rc2'), '1.21.0-rc.2');
  assert.equal(goTagToSemver('go1.19beta1'), '1.19.0-beta.1');
  assert.equal(goTagToSemver('go1.21.3 X:boringcrypto'), '1.21.3');
  assert.equal(goTagToSemver('devel go1.23-abcdef'), null);
  assert.equal(semverToGoTag('1.21.11'), 'go1.21.11');
  assert.equal(semverToGoTag('1.19.0'), 'go1.19');
  assert.equal(semverToGoTag('1.22.0'), 'go1.22.0');
  assert.equal(semverToGoTag('1.21.0-rc.2'), 'go1.21rc2');
});

test('ranges: introduced up to fixed, several ranges, prereleases of a line', () => {
  for (const v of ['1.18.0', '1.19.8', '1.21.10', '1.22.0-rc.1', '1.22.0', '1.22.3'])
    assert.ok(isAffected(NETIP, v), v);
  for (const v of ['1.21.11', '1.21.13', '1.22.4', '1.23.5']) assert.ok(!isAffected(NETIP, v), v);
  assert.equal(fixedVersion(NETIP, '1.19.8'), '1.21.11');
  assert.equal(fixedVersion(NETIP, '1.22.1'), '1.22.4');
  assert.ok(isAffected({ package: { name: 'x', ecosystem: 'Go' } }, '1.0.0'), 'no ranges: every version');
});

test('module versions: pseudo-versions and +incompatible compare as Go compares them', () => {
  const r = range({ introduced: '0' }, { fixed: '0.0.0-20230301000000-abcdefabcdef' });
  assert.ok(isAffected(r, moduleSemver('v0.0.0-20220101000000-123456789012') as string));
  assert.ok(!isAffected(r, moduleSemver('v0.1.0') as string));
  const inc = range({ introduced: '2.0.0+incompatible' }, { fixed: '2.5.0+incompatible' });
  assert.ok(isAffected(inc, moduleSemver('v2.3.1+incompatible') as string));
  assert.ok(!isAffected(inc, moduleSemver('v2.5.0+incompatible') as string));
  assert.equal(moduleSemver('(devel)'), null);
  assert.equal(moduleSemver(''), null);
});
