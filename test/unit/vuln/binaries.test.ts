/**
 * `checkBinary` on real fixture binaries (test/fixtures/go/vulnapp: a vendored module and a
 * net/netip method value) built by Go 1.19, 1.21 and 1.23, plain and stripped, against the fixture
 * database; and against Debian's govulncheck, the independent client, on the same files.
 *
 * Debian's govulncheck (a 2023 snapshot built with Go 1.19) has limits, found by running it:
 *   - it reads only the legacy database layout (index.json, <module>.json), so the test writes
 *     that layout from the same advisories;
 *   - it refuses binaries built by Go 1.20 or later ("unsupported Go Version");
 *   - it locates inline trees through the `go.func.*` symbol and fails on stripped binaries.
 * So the comparison runs on the Go 1.19 binaries with symbols. Both read the functions inlined
 * into others from the inline trees (test/fixtures/go/inlineapp's module is only inlined), and
 * they agree exactly: advisories, modules, versions and the functions present.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { checkBinary, openVulnDb, type VulnReport } from '../../../src/vuln/index.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { hasTool } from '../../helpers/env.js';
import { buildFixture, type FixtureSpec, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { writeLegacyVulnDb } from '../../helpers/legacy-vulndb.js';
import { need } from '../../helpers/requirements.js';

const run = promisify(execFile);
const DB_DIR = join(REPO_ROOT, 'test', 'fixtures', 'vulndb');

const spec = (go: string, extra: Partial<FixtureSpec> = {}): FixtureSpec => ({
  go,
  goarch: 'amd64',
  cgo: false,
  ...extra,
});

function levels(r: VulnReport): Record<string, string> {
  return Object.fromEntries(r.findings.map((f) => [f.id, f.level]));
}

const MODULE_FINDINGS = { 'GO-9999-0001': 'symbol', 'GO-9999-0002': 'symbol', 'GO-9999-0003': 'package' };

const EXPECTED: Record<string, Record<string, string>> = {
  // Go 1.19.x: the runtime advisory (whole package), net/netip's Addr.IsPrivate, gob not linked.
  '1.19': {
    'GO-2023-1840': 'symbol',
    'GO-2024-2887': 'symbol',
    'GO-2024-3106': 'module',
    ...MODULE_FINDINGS,
  },
  '1.21': { 'GO-2024-3106': 'module', ...MODULE_FINDINGS },
  // Go 1.23.5 is in GO-2025-3447's range, but that advisory is for ppc64le only.
  '1.23': MODULE_FINDINGS,
};

for (const go of ['1.19', '1.21', '1.23']) {
  test(`Go ${go} fixture: findings by level, stripped binary the same`, async (t) => {
    if (!need(t, fixtureAvailable(spec(go)) === null, `Go ${go}`)) return;
    const db = await openVulnDb(DB_DIR);
    const plain = await checkBinary((await buildFixture('vulnapp', spec(go))).path, db, 'app');
    const stripped = await checkBinary(
      (await buildFixture('vulnapp', spec(go, { ldflags: '-s -w' }))).path,
      db,
      'app',
    );
    assert.equal(plain.status, 'checked');
    assert.deepEqual(levels(plain), EXPECTED[go]);
    assert.deepEqual(stripped, plain);
    const decode = plain.findings.find((f) => f.id === 'GO-9999-0002');
    assert.deepEqual(decode?.packages, [
      { path: 'example.com/vulnmod/parse', vulnerable: ['Decoder.Decode'], present: ['Decoder.Decode'] },
    ]);
    assert.equal(decode?.fix, 'go get example.com/vulnmod@v1.2.0');
    const unsafe = plain.findings.find((f) => f.id === 'GO-9999-0003');
    assert.equal(unsafe?.severity, 'info');
    assert.deepEqual(unsafe?.packages[0]?.present, []);
  });
}

test('stdlib findings carry the Go release that fixes them', async (t) => {
  if (!need(t, fixtureAvailable(spec('1.19')) === null, 'Go 1.19')) return;
  const db = await openVulnDb(DB_DIR);
  const r = await checkBinary((await buildFixture('vulnapp', spec('1.19'))).path, db);
  const netip = r.findings.find((f) => f.id === 'GO-2024-2887');
  assert.equal(netip?.module, 'stdlib');
  assert.equal(netip?.found, r.goVersion);
  assert.equal(netip?.fixed, 'go1.21.11');
  assert.equal(netip?.fix, 'build with go1.21.11 or later');
  assert.deepEqual(netip?.aliases, ['CVE-2024-24790']);
  assert.deepEqual(netip?.packages[0]?.present, ['Addr.IsPrivate']);
});

test('a UPX-packed binary is checked as the original it unpacks to', async (t) => {
  if (!need(t, fixtureAvailable(spec('1.23', { upx: true })) === null, 'Go 1.23 and upx')) return;
  const db = await openVulnDb(DB_DIR);
  const packed = await checkBinary((await buildFixture('vulnapp', spec('1.23', { upx: true }))).path, db);
  const plain = await checkBinary((await buildFixture('vulnapp', spec('1.23'))).path, db);
  assert.equal(packed.status, 'checked');
  assert.ok(packed.findings.length > 0, 'the fixture has findings');
  assert.deepEqual({ ...packed, file: '' }, { ...plain, file: '' });
});

/** The same advisories in the layout older clients read: index.json and one file per module. */
function legacyDb(): string {
  const dir = writeLegacyVulnDb(DB_DIR);
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface GovulncheckJson {
  Vulns: {
    OSV: { id: string };
    Modules: {
      Path: string;
      FoundVersion: string;
      Packages: { Path: string; CallStacks: { Symbol: string }[] }[];
    }[];
  }[];
}

async function govulncheck(
  binary: string,
  db: string,
): Promise<{ ok: true; json: GovulncheckJson } | { ok: false; text: string }> {
  const env = { ...process.env, GOVULNDB: `file://${db}`, PATH: `/usr/lib/go-1.19/bin:${process.env.PATH}` };
  try {
    const { stdout } = await run('govulncheck', ['-json', binary], { env, maxBuffer: 64 << 20 });
    return { ok: true, json: JSON.parse(stdout) as GovulncheckJson };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, text: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

for (const fixture of ['vulnapp', 'inlineapp'] as const) {
  test(`goimg's reachable findings equal Debian govulncheck's on the Go 1.19 ${fixture} binary`, async (t) => {
    if (
      !need(t, hasTool('govulncheck') && fixtureAvailable(spec('1.19')) === null, 'govulncheck and Go 1.19')
    )
      return;
    const file = (await buildFixture(fixture, spec('1.19'))).path;
    const legacy = legacyDb();
    const theirs = await govulncheck(file, legacy);
    assert.ok(theirs.ok, `govulncheck failed: ${theirs.ok ? '' : theirs.text}`);
    const ours = await checkBinary(file, await openVulnDb(DB_DIR));
    const reachable = ours.findings.filter((f) => f.level === 'symbol');
    // Same advisories, modules and versions found.
    const key = (id: string, mod: string, found: string) => `${id} ${mod} ${found}`;
    assert.deepEqual(
      reachable.map((f) => key(f.id, f.module, f.found)).sort(),
      theirs.json.Vulns.flatMap((v) => v.Modules.map((m) => key(v.OSV.id, m.Path, m.FoundVersion))).sort(),
    );
    // Same functions present, for advisories naming functions and for whole packages alike.
    for (const v of theirs.json.Vulns) {
      const mine = reachable.find((f) => f.id === v.OSV.id);
      for (const p of v.Modules.flatMap((m) => m.Packages)) {
        const ourPackage = mine?.packages.find((x) => x.path === p.Path);
        assert.ok(ourPackage, `${v.OSV.id} ${p.Path}`);
        assert.deepEqual(ourPackage.present, [...new Set(p.CallStacks.map((c) => c.Symbol))].sort());
      }
    }
  });
}

test('functions inlined everywhere are found, stripped or not (Go 1.19, 1.21, 1.23)', async (t) => {
  for (const go of ['1.19', '1.21', '1.23']) {
    if (!need(t, fixtureAvailable(spec(go)) === null, `Go ${go}`)) return;
    const db = await openVulnDb(DB_DIR);
    const plain = await checkBinary((await buildFixture('inlineapp', spec(go))).path, db, 'app');
    const stripped = await checkBinary(
      (await buildFixture('inlineapp', spec(go, { ldflags: '-s -w' }))).path,
      db,
      'app',
    );
    const inlined = plain.findings.find((f) => f.id === 'GO-9999-0006');
    assert.equal(inlined?.level, 'symbol', `Go ${go}`);
    assert.deepEqual(inlined?.packages, [
      {
        path: 'example.com/inlinemod/clean',
        vulnerable: ['Counter.Add', 'Trim'],
        present: ['Counter.Add', 'Trim'],
      },
    ]);
    assert.deepEqual(stripped, plain);
  }
});

test('Debian govulncheck refuses newer and stripped binaries (why the comparison is on Go 1.19)', async (t) => {
  if (!need(t, hasTool('govulncheck') && fixtureAvailable(spec('1.23')) === null, 'govulncheck and Go 1.23'))
    return;
  const legacy = legacyDb();
  const newer = await govulncheck((await buildFixture('vulnapp', spec('1.23'))).path, legacy);
  assert.ok(!newer.ok && /unsupported Go Version/.test(newer.text), 'a Go 1.23 binary is refused');
  if (fixtureAvailable(spec('1.19')) !== null) return;
  const stripped = await govulncheck(
    (await buildFixture('vulnapp', spec('1.19', { ldflags: '-s -w' }))).path,
    legacy,
  );
  assert.ok(!stripped.ok && /go\.func\.\*/.test(stripped.text), 'a stripped binary is refused');
});

test("Debian's dockerd (externally linked PIE, table inside .data.rel.ro): functions found, stripped or not", async (t) => {
  const dockerd = '/usr/sbin/dockerd';
  const go = findGoToolchain('1.23')?.go;
  if (!need(t, go !== undefined, 'Go 1.23 (for go version, the reference)')) return;
  if (!need(t, existsSync(dockerd), `Debian's dockerd at ${dockerd}`)) return;
  const db = await openVulnDb(DB_DIR);
  const r = await checkBinary(dockerd, db);
  assert.equal(r.status, 'checked');
  const { stdout } = await run(go as string, ['version', dockerd]);
  assert.equal(r.goVersion, stdout.trim().split(' ').at(-1));
  // Whatever its Go release, every finding on the standard library names functions the binary
  // holds or none; the runtime advisory, when it applies, sees hundreds of runtime functions.
  const runtime = r.findings.find((f) => f.id === 'GO-2023-1840');
  if (runtime) {
    assert.equal(runtime.level, 'symbol');
    assert.ok((runtime.packages[0]?.present.length ?? 0) > 500, 'runtime functions read from the table');
  }
  for (const f of r.findings) assert.ok(f.level !== 'symbol' || f.packages.some((p) => p.present.length > 0));
});
