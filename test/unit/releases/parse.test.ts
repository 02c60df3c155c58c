/** Go's download index and endoflife.date's v1 API, read from responses in their real formats. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundledGoReleases } from '../../../src/releases/bundled.js';
import { parseEolProduct } from '../../../src/releases/eol-api.js';
import { parseGoIndex } from '../../../src/releases/go-index.js';
import { releaseFixture } from '../../helpers/release-server.js';

const index = () => JSON.parse(releaseFixture('go-dl.json')) as unknown;

test("Go's index: stable releases by major, newest first, every patch, no release candidates", () => {
  const table = parseGoIndex(index(), bundledGoReleases(), '2026-12-05');
  assert.equal(table.date, '2026-12-05');
  assert.deepEqual(
    table.releases.map((r) => r.version),
    ['1.27', '1.26', '1.25', '1.21', '1.20', '1.2'],
  );
  assert.deepEqual(table.releases[0]!.patches, ['1.27.4', '1.27.3', '1.27.2', '1.27.1', '1.27.0']);
  // Before Go 1.21 a major's first release had no ".0".
  assert.deepEqual(table.releases.find((r) => r.version === '1.20')!.patches, ['1.20.14', '1.20']);
  // Release days: the bundled table's when it knows the major, else Go's calendar.
  assert.equal(table.releases.find((r) => r.version === '1.25')!.released, '2025-08-12');
  assert.equal(table.releases.find((r) => r.version === '1.2')!.released, '2014-02-01');
});

test("Go's index: a major the bundled table does not know gets its calendar month", () => {
  const json = [{ version: 'go1.29.0', stable: true, files: [] }, ...(index() as object[])];
  const table = parseGoIndex(json, bundledGoReleases(), '2027-09-01');
  assert.deepEqual(table.releases[0], { version: '1.29', released: '2027-08-01', patches: ['1.29.0'] });
  // Listed as stable before its calendar month: out by the day of the fetch.
  const early = parseGoIndex(json, bundledGoReleases(), '2027-07-20');
  assert.equal(early.releases[0]!.released, '2027-07-20');
});

test("Go's index: anything else is a clear error", () => {
  const known = bundledGoReleases();
  assert.throws(() => parseGoIndex({ versions: [] }, known, '2026-12-05'), /not a Go download index/);
  assert.throws(() => parseGoIndex([{ name: 'go1.27' }], known, '2026-12-05'), /lacks "version" or "stable"/);
  assert.throws(
    () => parseGoIndex([{ version: 'go1.28rc1', stable: false }], known, '2026-12-05'),
    /no stable release/,
  );
});

test('endoflife.date: releases newest first with end of life, codename and newest point release', () => {
  const alpine = parseEolProduct(JSON.parse(releaseFixture('eol-alpine-linux.json')), 'alpine');
  assert.deepEqual(alpine[0], { version: '3.24', eol: '2028-05-01', latest: '3.24.2' });
  assert.deepEqual(
    alpine.map((e) => e.version),
    ['3.24', '3.23', '3.22', '3.21', '3.16'],
  );
  const debian = parseEolProduct(JSON.parse(releaseFixture('eol-debian.json')), 'debian');
  assert.deepEqual(debian[0], { version: '13', codename: 'trixie', eol: '2030-06-30', latest: '13.2' });
});

test('endoflife.date: Ubuntu keeps its LTS releases, the ones images pin to', () => {
  const ubuntu = parseEolProduct(JSON.parse(releaseFixture('eol-ubuntu.json')), 'ubuntu');
  assert.deepEqual(
    ubuntu.map((e) => [e.version, e.codename]),
    [
      ['26.04', 'resolute'],
      ['24.04', 'noble'],
      ['20.04', 'focal'],
    ],
  );
});

test('endoflife.date: a release without an announced end of life has none; garbage is a clear error', () => {
  const doc = { result: { releases: [{ name: '3.25', eolFrom: null, latest: { name: '3.25.0' } }] } };
  assert.deepEqual(parseEolProduct(doc, 'alpine'), [{ version: '3.25', latest: '3.25.0' }]);
  assert.throws(() => parseEolProduct({ releases: [] }, 'alpine'), /not an endoflife\.date product/);
  assert.throws(
    () => parseEolProduct({ result: { releases: [{ name: '13', eolFrom: 'soon' }] } }, 'debian'),
    /end of life that is not a day/,
  );
  assert.throws(() => parseEolProduct({ result: { releases: [] } }, 'ubuntu'), /lists no release/);
});
