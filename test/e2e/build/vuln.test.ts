/**
 * `goimg build --vuln`: the built binary is checked before anything is written. A finding at
 * --fail-on stops the build with no output; below it, the report carries each platform's result,
 * the same as `goimg vuln` gives for the binary taken out of the written image.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { buildJson, fileInLayer, ociBlob, tempDir } from './helpers.js';

const DB_DIR = join(REPO_ROOT, 'test', 'fixtures', 'vulndb');
const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));

/** The vulnerable fixture (a vendored module with an invented advisory) outside any repository. */
async function vulnerableProject(): Promise<string> {
  const dir = join(work, 'vulnapp');
  if (!existsSync(dir))
    await cp(join(REPO_ROOT, 'test', 'fixtures', 'go', 'vulnapp'), dir, { recursive: true });
  return dir;
}

test('a vulnerable function in the built binary stops the build: exit 1, nothing written', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const dir = await vulnerableProject();
    const oci = join(work, 'refused-oci');
    const args = ['build', dir, '--base', 'scratch', '--oci', oci, '--vuln', '--vuln-db', DB_DIR];
    const text = runGoimg(args);
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stderr, /GO-9999-0002/);
    assert.match(text.stderr, /no image was written/);
    assert.equal(existsSync(oci), false, 'no OCI layout');

    const json = runGoimg([...args, '--format', 'json']);
    assert.equal(json.status, 1, json.stderr);
    const report = JSON.parse(json.stdout);
    assertMatchesSchema('vuln.schema.json', report);
    assert.equal(report.binaries[0].platform, 'linux/amd64');
    assert.ok(report.summary.reachable > 0);
    assert.equal(existsSync(oci), false);
  })();
});

test('below --fail-on the image is written and its report equals goimg vuln on the image binary', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const dir = await vulnerableProject();
    const oci = join(work, 'oci');
    const report = buildJson([
      dir,
      '--base',
      'scratch',
      '--oci',
      oci,
      '--vuln',
      '--vuln-db',
      DB_DIR,
      '--fail-on',
      'never',
    ]);
    const vulns = report.vulnerabilities;
    assert.ok(vulns, 'the report has a vulnerabilities section');
    assert.equal(vulns.binaries.length, 1);
    const checked = vulns.binaries[0]!;
    assert.equal(checked.platform, 'linux/amd64');
    assert.equal(checked.file, report.images[0]!.binary.path);

    // The binary as the image holds it, checked by goimg vuln on its own.
    const inImage = join(work, 'from-image');
    let bytes: Buffer | undefined;
    for (const layer of report.images[0]!.layers)
      bytes ??= await fileInLayer(ociBlob(oci, layer.digest), checked.file.replace(/^\//, ''));
    assert.ok(bytes, 'the binary is in a layer');
    writeFileSync(inImage, bytes);
    const alone = runGoimg(['vuln', inImage, '--vuln-db', DB_DIR, '--format', 'json', '--fail-on', 'never']);
    assert.equal(alone.status, 0, alone.stderr);
    const expected = JSON.parse(alone.stdout).binaries[0];
    const { platform, ...fromBuild } = checked;
    assert.deepEqual({ ...fromBuild, file: inImage }, expected);
    assert.ok(expected.findings.some((f: { id: string }) => f.id === 'GO-9999-0002'));
    assert.deepEqual(vulns.summary, JSON.parse(alone.stdout).summary);
    assert.equal(typeof platform, 'string');
  })();
});

test('--vuln-db and --fail-on without --vuln are usage errors', () => {
  const r = runGoimg(['build', '.', '--vuln-db', DB_DIR]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /need --vuln/);
});
