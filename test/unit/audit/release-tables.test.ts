/**
 * The bundled release tables say how current they are: six months after a table's date a new Go
 * release may be missing, and goimg says so (doctor, and the go-version-unsupported message).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditDockerfile } from '../../../src/audit/engine.js';
import { releaseTableAges } from '../../../src/rules/audit/base-images.js';
import { runGoimg } from '../../helpers/cli.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { context, project } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const tableDate = (name: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'data', `${name}.json`), 'utf8')) as { date: string }).date;
const days = (date: string, n: number) => new Date(Date.parse(date) + n * 86_400_000);

test('a table is current on its own date and stale seven months later', () => {
  const goDate = tableDate('go-releases');
  assert.deepEqual(releaseTableAges(new Date(goDate)), [
    { name: 'go-releases', date: goDate, stale: false },
    { name: 'base-image-eol', date: tableDate('base-image-eol'), stale: false },
  ]);
  const later = releaseTableAges(days(goDate, 214));
  assert.equal(later.find((t) => t.name === 'go-releases')!.stale, true);
});

test('go-version-unsupported says when the release table may miss newer releases', () => {
  const goDate = tableDate('go-releases');
  const message = (now: Date) =>
    auditDockerfile({
      file: 'Dockerfile',
      text: 'FROM golang:1.20\nRUN go build -o /app .\n',
      context: context(),
      project: project(),
      now,
    }).find((f) => f.rule === 'go-version-unsupported')?.message;
  assert.doesNotMatch(message(new Date(goDate)) ?? '', /may miss newer releases/);
  assert.match(
    message(days(goDate, 214)) ?? '',
    /per the release table of \d{4}-\d\d-\d\d, which may miss newer releases: update goimg/,
  );
});

test('doctor lists the release tables with their dates, in text and in JSON', () => {
  const json = runGoimg(['doctor', '--format', 'json']);
  const report = JSON.parse(json.stdout) as { data: { name: string; date: string }[] };
  assertMatchesSchema('doctor.schema.json', report);
  assert.deepEqual(
    report.data.map((t) => [t.name, t.date]),
    [
      ['go-releases', tableDate('go-releases')],
      ['base-image-eol', tableDate('base-image-eol')],
    ],
  );
  const text = runGoimg(['doctor', '--no-color']);
  assert.match(text.stdout, new RegExp(`release table go-releases of ${tableDate('go-releases')}`));
});
