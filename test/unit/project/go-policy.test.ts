import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerfileGoVersion, goReleaseOptions } from '../../../src/generate/releases.js';
import { goBuilderPolicy } from '../../../src/project/go-policy.js';
import { bundledGoReleases } from '../../../src/releases/bundled.js';

const releases = ['1.25', '1.24', '1.23'];

test("go.mod's go line is a minimum: an old one gets the newest release, and the reason says so", () => {
  const p = goBuilderPolicy({ go: '1.13', releases, tableDate: '2025-09-01' });
  assert.equal(p.version, '1.25');
  assert.match(p.reason, /newest release \(release table of 2025-09-01\); go\.mod's go 1\.13 is a minimum/);
});

test('a toolchain line or go line newer than the table wins over the table', () => {
  assert.equal(goBuilderPolicy({ go: '1.21', toolchain: 'go1.26.1', releases }).version, '1.26');
  const p = goBuilderPolicy({ go: '1.27.0', releases });
  assert.equal(p.version, '1.27');
  assert.match(p.reason, /as go\.mod's go 1\.27\.0 requires/);
});

test("never older than the existing Dockerfile's builder", () => {
  const p = goBuilderPolicy({ go: '1.21', current: '1.26', releases });
  assert.equal(p.version, '1.26');
  assert.match(p.reason, /existing Dockerfile/);
});

test("without a release table: go.mod's version", () => {
  assert.equal(goBuilderPolicy({ go: '1.22.3', releases: [] }).version, '1.22');
});

test('the bundled table gives the newest release; a Dockerfile gives its newest golang builder', () => {
  const { goReleases } = goReleaseOptions(bundledGoReleases(), new Date('2025-01-01T00:00:00Z'));
  assert.equal(goReleases[0], '1.23', 'releases after the day are not counted');
  assert.equal(
    dockerfileGoVersion(
      'ARG V=1.22\nFROM golang:${V}-alpine AS a\nFROM golang:1.21 AS b\nFROM alpine:3.20\n',
    ),
    '1.22',
  );
  assert.equal(dockerfileGoVersion('FROM golang:latest\n'), undefined);
});
