/**
 * With only old release data, goimg projects Go's calendar (a major every February and August)
 * and the findings that rely on the data say how old it is.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDockerfile } from '../../../src/audit/engine.js';
import { bundledReleaseData } from '../../../src/releases/bundled.js';
import { calendarDate, isStale, projectGo } from '../../../src/releases/calendar.js';
import type { ReleaseData } from '../../../src/releases/types.js';
import { context, project } from '../audit/helpers.js';

const data = (): ReleaseData => bundledReleaseData();
const days = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000);

test("Go's calendar: even minors in February, odd ones in August", () => {
  assert.equal(calendarDate('1.26'), '2026-02-01');
  assert.equal(calendarDate('1.27'), '2026-08-01');
  assert.equal(calendarDate('1.22'), '2024-02-01');
});

test('data is current on its own date and stale seven months later', () => {
  const { date } = data().go;
  assert.equal(isStale(date, days(date, 0)), false);
  assert.equal(isStale(date, days(date, 214)), true);
});

test('stale data gains the majors the calendar says must be out, marked projected', () => {
  const go = data().go;
  assert.equal(projectGo(go, days(go.date, 30)), go);
  const newest = go.releases[0]!.version;
  const minor = Number(newest.split('.')[1]);
  // Far enough past the date for two more majors.
  const later = new Date(`${calendarDate(`1.${minor + 2}`)}T12:00:00Z`);
  const projected = projectGo(go, later).releases.slice(0, 3);
  assert.deepEqual(
    projected.map((r) => [r.version, r.projected === true]),
    [
      [`1.${minor + 2}`, true],
      [`1.${minor + 1}`, true],
      [newest, false],
    ],
  );
});

function audit(text: string, now: Date, releases = data()) {
  return auditDockerfile({ file: 'Dockerfile', text, context: context(), project: project(), now, releases });
}

test('go-version-unsupported judges by the calendar when the data is old, and says so', () => {
  const go = data().go;
  const newest = go.releases[0]!.version;
  const minor = Number(newest.split('.')[1]);
  const text = `FROM golang:${newest}\nRUN go build -o /app .\n`;
  const current = audit(text, days(go.date, 1)).filter((f) => f.rule === 'go-version-unsupported');
  assert.deepEqual(current, []);
  // Two majors later by the calendar, the newest in the data is out of support.
  const later = new Date(`${calendarDate(`1.${minor + 2}`)}T12:00:00Z`);
  const f = audit(text, later).find((x) => x.rule === 'go-version-unsupported');
  assert.ok(f, 'reported');
  assert.match(
    f.message,
    new RegExp(
      `supported: 1\\.${minor + 2} and 1\\.${minor + 1}, by Go's release calendar \\(release data from ${go.date}; newer releases likely\\)`,
    ),
  );
});

test('unpinned-base-image never pins to a release only the calendar expects, and says the data is old', () => {
  const go = data().go;
  const newest = go.releases[0]!.version;
  const f = audit('FROM golang:latest\nRUN go build -o /app .\n', days(go.date, 400)).find(
    (x) => x.rule === 'unpinned-base-image',
  );
  assert.ok(f, 'reported');
  assert.match(
    f.message,
    new RegExp(
      `e\\.g\\. golang:${newest.replace('.', '\\.')}; release data from ${go.date}, newer releases likely`,
    ),
  );
});

test('rules use the release data they are given, not the bundled copy', () => {
  const given: ReleaseData = {
    go: {
      date: '2027-09-01',
      releases: [{ version: '1.29', released: '2027-08-01' }, ...data().go.releases],
    },
    eol: {
      date: '2027-09-01',
      distros: {
        ...data().eol.distros,
        alpine: [{ version: '3.26', eol: '2029-05-01' }, ...data().eol.distros.alpine],
      },
    },
  };
  const now = new Date('2027-09-02T00:00:00Z');
  const found = audit('FROM golang:latest\nRUN go build -o /app .\nFROM alpine:latest\n', now, given);
  const pins = found.filter((f) => f.rule === 'unpinned-base-image').map((f) => f.fix?.description);
  assert.deepEqual(pins, ['pin golang:latest to golang:1.29', 'pin alpine:latest to alpine:3.26']);
  const eol = audit('FROM alpine:3.21\n', now, given).find((f) => f.rule === 'base-image-eol');
  assert.match(eol?.message ?? '', /end of life since 2026-11-01: .* move to alpine 3\.26$/);
});
