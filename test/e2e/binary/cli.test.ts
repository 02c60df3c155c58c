/** `goimg binary` as users run it: text starts with `go version -m`, JSON matches the schema. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runGoimg } from '../../helpers/cli.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { GO, goVersionM, REAL_BINARIES } from '../../unit/binary/tools.js';

test('text output starts with exactly what go version -m prints', async (t) => {
  if (!need(t, GO !== undefined && fixtureAvailable('cgo') === null, 'Go 1.23 and gcc')) return;
  const file = (await buildFixture('netuser', 'cgo')).path;
  const r = runGoimg(['binary', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.startsWith(goVersionM(file)), r.stdout.slice(0, 400));
  assert.match(r.stdout, /cgo is on because of net \(DNS\) and os\/user/);
  assert.match(
    r.stdout,
    /needs glibc loader \/lib64\/ld-linux-x86-64\.so\.2 — will NOT run on alpine or distroless\/static/,
  );
});

test('JSON for one file is an object matching schemas/binary.schema.json', async (t) => {
  if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
  for (const variant of ['static', 'upx', 'musl', 'go1.15-386', 's390x'] as const) {
    const file = (await buildFixture('netuser', variant)).path;
    const r = runGoimg(['binary', '--format', 'json', file]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assertMatchesSchema('binary.schema.json', report);
    assert.equal(report.version, 1);
    assert.equal(report.file, file);
  }
});

test('JSON for several files is an array; --packages limits the lists', async (t) => {
  if (!need(t, fixtureAvailable('stripped') === null, 'Go 1.23')) return;
  const a = (await buildFixture('app', 'static')).path;
  const b = (await buildFixture('app', 'stripped')).path;
  const r = runGoimg(['binary', '--format', 'json', '--packages', '4', a, b]);
  assert.equal(r.status, 0, r.stderr);
  const reports = JSON.parse(r.stdout);
  assertMatchesSchema('binary.schema.json', reports);
  assert.equal(reports.length, 2);
  assert.equal(reports[0].sizes.packages.length, 4);
});

test('--compare reports what -s -w removed, in text and schema-valid JSON', async (t) => {
  if (!need(t, fixtureAvailable('stripped') === null, 'Go 1.23')) return;
  const a = (await buildFixture('app', 'static')).path;
  const b = (await buildFixture('app', 'stripped')).path;
  const j = runGoimg(['binary', '--format', 'json', a, '--compare', b]);
  assert.equal(j.status, 0, j.stderr);
  const c = JSON.parse(j.stdout);
  assertMatchesSchema('binary.schema.json', c);
  assert.ok(c.size.delta < 0);
  assert.deepEqual(c.settings, [{ key: '-ldflags', file: null, other: '-s -w' }]);
  const text = runGoimg(['binary', a, '--compare', b]);
  assert.match(text.stdout, /setting {3}-ldflags: \(unset\) -> -s -w/);
});

test('real binaries: JSON matches the schema, quick mode skips attribution', (t) => {
  if (!need(t, REAL_BINARIES.length > 0, 'the Debian Go packages (dockerd, containerd, ...)')) return;
  const r = runGoimg(['binary', '--format', 'json', '--quick', ...REAL_BINARIES]);
  assert.equal(r.status, 0, r.stderr);
  const reports = JSON.parse(r.stdout);
  assertMatchesSchema('binary.schema.json', reports);
  for (const rep of reports) assert.equal(rep.sizes, null);
});

test('bad input exits 2 with one clear line, never a stack trace', async (t) => {
  if (!need(t, fixtureAvailable('windows') === null, 'Go 1.23')) return;
  const cases: [string, RegExp][] = [
    ['/etc/passwd', /not an ELF file/],
    ['/nonexistent/file', /no such file/],
    [
      (await buildFixture('app', 'windows')).path,
      /PE \(Windows\) executable.*not support yet|does not support yet/,
    ],
    [
      (await buildFixture('app', 'darwin')).path,
      /Mach-O \(macOS\) executable, which goimg binary does not support yet/,
    ],
  ];
  for (const [file, message] of cases) {
    const r = runGoimg(['binary', file]);
    assert.equal(r.status, 2, `${file}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  assert.equal(runGoimg(['binary']).status, 2);
  assert.equal(runGoimg(['binary', '--packages', 'x', '/bin/true']).status, 2);
});
