/** matchVulns on the fixture database's advisories and binaries described by hand. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVulnDb } from '../../../src/vuln/db.js';
import { type MatchInput, matchVulns } from '../../../src/vuln/match.js';
import { packageSymbols } from '../../../src/vuln/symbols.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const DB_DIR = join(REPO_ROOT, 'test', 'fixtures', 'vulndb');

async function entries() {
  const db = await openVulnDb(DB_DIR);
  return db.entries([...db.modules.values()].flatMap((m) => m.vulns.map((v) => v.id)));
}

const base: MatchInput = {
  goVersion: 'go1.23.5',
  goos: 'linux',
  goarch: 'amd64',
  modules: [{ path: 'example.com/vulnmod', version: 'v1.0.0', local: false }],
  functions: packageSymbols(['example.com/vulnmod/parse.Parse', 'crypto/internal/nistec.p256NegCond']),
};

test('an advisory limited to another architecture applies only there', async () => {
  const all = await entries();
  assert.equal(
    matchVulns(base, all).find((f) => f.id === 'GO-2025-3447'),
    undefined,
  );
  const ppc = matchVulns({ ...base, goarch: 'ppc64le' }, all).find((f) => f.id === 'GO-2025-3447');
  assert.equal(ppc?.level, 'symbol');
  assert.equal(ppc?.fixed, 'go1.23.6');
});

test('a module replaced by a local directory is not looked up; an unknown version counts as affected', async () => {
  const all = await entries();
  const local = matchVulns(
    { ...base, modules: [{ path: 'example.com/vulnmod', version: '', local: true }] },
    all,
  );
  assert.deepEqual(
    local.filter((f) => f.module !== 'stdlib'),
    [],
  );
  const devel = matchVulns(
    { ...base, modules: [{ path: 'example.com/vulnmod', version: '(devel)', local: false }] },
    all,
  );
  assert.deepEqual(devel.map((f) => f.id).sort(), [
    'GO-9999-0001',
    'GO-9999-0002',
    'GO-9999-0003',
    'GO-9999-0004',
  ]);
  assert.ok(devel.every((f) => f.fixed === null && f.fix === 'no fixed version yet'));
});

test('without a function table nothing can be narrowed: affected modules count as reachable', async () => {
  const found = matchVulns({ ...base, functions: null }, await entries());
  assert.deepEqual(
    found.map((f) => `${f.id} ${f.level}`),
    ['GO-9999-0001 symbol', 'GO-9999-0002 symbol', 'GO-9999-0003 symbol'],
  );
});
