/**
 * `goimg image --vuln`: every Go binary visible in the final file system is checked as `goimg vuln`
 * checks the file itself; a binary a later layer replaces is not reported.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspectImage } from '../../../src/rules/image/report.js';
import { checkBinary, openVulnDb } from '../../../src/vuln/index.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { buildFixture, type FixtureSpec, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { assertValidSarif } from '../../helpers/sarif.js';
import { writeLayout } from './layout.js';

const DB_DIR = join(REPO_ROOT, 'test', 'fixtures', 'vulndb');
const GO123: FixtureSpec = { go: '1.23', goarch: 'amd64', cgo: false };

/** An image with the vulnerable fixture at /app, and a copy at /usr/bin/old that layer 1 replaces. */
async function vulnerableImage(): Promise<{ dir: string; binary: string }> {
  const binary = (await buildFixture('vulnapp', GO123)).path;
  const data = readFileSync(binary);
  const layout = await writeLayout({
    config: { Entrypoint: ['/app'], User: '65532' },
    layers: [
      {
        entries: [
          { name: 'app', data, mode: 0o755 },
          { name: 'usr/bin/old', data, mode: 0o755 },
        ],
      },
      { entries: [{ name: 'usr/bin/old', data: '#!/bin/sh\necho replaced\n', mode: 0o755 }] },
    ],
  });
  return { dir: layout.dir, binary };
}

test('each visible Go binary gets the findings goimg vuln gives its file; a replaced one none', async (t) => {
  if (!need(t, fixtureAvailable(GO123) === null, 'Go 1.23')) return;
  const { dir, binary } = await vulnerableImage();
  const db = await openVulnDb(DB_DIR);
  const direct = await checkBinary(binary, db, '/app');
  assert.ok(direct.findings.length > 0, 'the fixture matches the fixture database');

  const report = await inspectImage(`oci:${dir}`, { vulnDb: db });
  assert.deepEqual(
    report.goBinaries.map((b) => b.path),
    ['/app'],
  );
  assert.deepEqual(report.goBinaries[0]!.vulnerabilities, direct);
  const vulns = report.findings.filter((f) => f.rule === 'go-vulnerability');
  assert.deepEqual(
    vulns.map((f) => [f.path, f.severity, f.message.split(':')[0]]).sort(),
    direct.findings.map((f) => ['/app', f.severity, f.id]).sort(),
  );
  for (const f of vulns) assert.ok(!f.path?.startsWith('/usr/bin/old'));

  const plain = await inspectImage(`oci:${dir}`);
  assert.equal(plain.findings.filter((f) => f.rule === 'go-vulnerability').length, 0, 'only with a database');
  assert.equal(plain.goBinaries[0]!.vulnerabilities, undefined);
});

test('goimg image --vuln: --fail-on applies, SARIF and JSON carry the findings, --vuln-db alone is refused', async (t) => {
  if (!need(t, fixtureAvailable(GO123) === null, 'Go 1.23')) return;
  const { dir } = await vulnerableImage();
  const ref = `oci:${dir}`;
  const withVulns = (...more: string[]) => runGoimg(['image', ref, '--vuln', '--vuln-db', DB_DIR, ...more]);
  const text = withVulns();
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stdout, /error \[go-vulnerability\] \/app: GO-9999-0002/);
  assert.match(text.stdout, /vulnerability database/i);

  const never = withVulns('--fail-on', 'never');
  assert.equal(never.status, 0, never.stderr);

  const json = withVulns('--format', 'json', '--fail-on', 'never');
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.goBinaries[0].vulnerabilities.status, 'checked');
  assert.ok(parsed.vulnerabilityDb.source.length > 0);

  const sarif = withVulns('--format', 'sarif', '--fail-on', 'never');
  const log = JSON.parse(sarif.stdout);
  assertValidSarif(log);
  const ids = log.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
  assert.ok(ids.includes('go-vulnerability'));

  const without = runGoimg(['image', ref, '--format', 'json', '--fail-on', 'never']);
  assert.equal(JSON.parse(without.stdout).vulnerabilityDb, undefined);

  const alone = runGoimg(['image', ref, '--vuln-db', DB_DIR]);
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /--vuln-db needs --vuln/);
});
