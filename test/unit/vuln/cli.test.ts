/** `goimg vuln` as users run it: formats, exit codes, errors, the database over HTTP and offline. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { GOIMG_BIN, goimgEnv, REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { buildFixture, type FixtureSpec, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { assertValidSarif } from '../../helpers/sarif.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const DB_DIR = join(REPO_ROOT, 'test', 'fixtures', 'vulndb');
const GO123: FixtureSpec = { go: '1.23', goarch: 'amd64', cgo: false };

/** goimg run without blocking this process, which serves the database meanwhile. */
async function runAsync(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)(GOIMG_BIN, args, { env: goimgEnv(env), maxBuffer: 64 << 20 });
  return stdout;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-vuln-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('text, JSON and SARIF carry the same findings; reachable ones fail, --fail-on never does not', async (t) => {
  if (!need(t, fixtureAvailable(GO123) === null, 'Go 1.23')) return;
  const bin = (await buildFixture('vulnapp', GO123)).path;
  const text = runGoimg(['vuln', '--vuln-db', DB_DIR, bin]);
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stdout, /2 vulnerabilities with vulnerable functions present/);
  assert.match(text.stdout, /GO-9999-0002 example\.com\/vulnmod v1\.0\.0, fixed in v1\.2\.0/);
  assert.match(text.stdout, /in the binary: example\.com\/vulnmod\/parse Decoder\.Decode/);
  assert.match(text.stdout, /1 more: module affected, function not present/);
  assert.match(text.stdout, /fix: go get example\.com\/vulnmod@v1\.1\.0/);

  const json = runGoimg(['vuln', '--vuln-db', DB_DIR, '--format', 'json', '--fail-on', 'never', bin]);
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as {
    summary: { reachable: number; notPresent: number };
    binaries: { findings: { id: string; level: string }[] }[];
  };
  assert.deepEqual(report.summary, { reachable: 2, notPresent: 1, unchecked: 0 });
  assertMatchesSchema('vuln.schema.json', report);

  const sarif = runGoimg(['vuln', '--vuln-db', DB_DIR, '--format', 'sarif', bin]);
  const log = JSON.parse(sarif.stdout) as {
    runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: { id: string }[] } } }[];
  };
  assertValidSarif(log);
  const results = log.runs[0]?.results ?? [];
  assert.deepEqual(
    results.map((r) => `${r.ruleId} ${r.level}`).sort(),
    report.binaries[0]?.findings.map((f) => `${f.id} ${f.level === 'symbol' ? 'error' : 'note'}`).sort(),
  );
});

test('the database from a loopback server, cached, then read offline', async (t) => {
  if (!need(t, fixtureAvailable(GO123) === null, 'Go 1.23')) return;
  const bin = (await buildFixture('vulnapp', GO123)).path;
  const server = createServer((req, res) => {
    try {
      res.end(readFileSync(join(DB_DIR, new URL(req.url ?? '/', 'http://x').pathname)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = { GOIMG_CACHE_DIR: tempDir() };
  const fromDir = runGoimg(['vuln', '--vuln-db', DB_DIR, '--format', 'json', bin]);
  // The helpers run goimg offline by default; this run is the one that fetches.
  const online = await runAsync(['vuln', '--vuln-db', url, '--format', 'json', '--fail-on', 'never', bin], {
    ...env,
    GOIMG_OFFLINE: '0',
  }).finally(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const offline = runGoimg(['vuln', '--vuln-db', url, '--format', 'json', bin], {
    env: { ...env, GOIMG_OFFLINE: '1' },
  });
  const findings = (out: string) => (JSON.parse(out) as { binaries: unknown }).binaries;
  assert.deepEqual(findings(online), findings(fromDir.stdout));
  assert.deepEqual(findings(offline.stdout), findings(fromDir.stdout));
  const never = runGoimg(['vuln', '--vuln-db', url, '--offline', bin], {
    env: { GOIMG_CACHE_DIR: tempDir() },
  });
  assert.equal(never.status, 3);
  assert.match(never.stderr, /no cached copy of the vulnerability database .* \(offline\)/);
});

test('bad input: clear errors, no stack traces', () => {
  const none = runGoimg(['vuln', '--vuln-db', DB_DIR]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /needs at least one FILE/);
  const notDb = runGoimg(['vuln', '--vuln-db', tempDir(), join(REPO_ROOT, 'package.json')]);
  assert.equal(notDb.status, 2);
  assert.match(notDb.stderr, /is not a Go vulnerability database/);
  const notElf = runGoimg(['vuln', '--vuln-db', DB_DIR, join(REPO_ROOT, 'package.json')]);
  assert.equal(notElf.status, 2);
  assert.match(notElf.stderr, /package\.json: not an ELF file/);
  for (const r of [none, notDb, notElf]) assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('goimg binary --vuln adds the same section to the binary report', async (t) => {
  if (!need(t, fixtureAvailable(GO123) === null, 'Go 1.23')) return;
  const bin = (await buildFixture('vulnapp', GO123)).path;
  const vuln = JSON.parse(runGoimg(['vuln', '--vuln-db', DB_DIR, '--format', 'json', bin]).stdout) as {
    binaries: unknown[];
  };
  const r = runGoimg(['binary', '--vuln', '--vuln-db', DB_DIR, '--format', 'json', bin]);
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { vulnerabilities: unknown };
  assertMatchesSchema('binary.schema.json', report);
  assert.deepEqual(report.vulnerabilities, vuln.binaries[0]);
  const never = runGoimg(['binary', '--vuln', '--vuln-db', DB_DIR, '--fail-on', 'never', bin]);
  assert.equal(never.status, 0);
  assert.match(never.stdout, /verdict[\s\S]*2 vulnerabilities with vulnerable functions present/);
  const plain = runGoimg(['binary', '--format', 'json', bin]);
  assert.equal((JSON.parse(plain.stdout) as { vulnerabilities?: unknown }).vulnerabilities, undefined);
});
