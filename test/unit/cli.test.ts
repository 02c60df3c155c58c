import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GOIMG_BIN, REPO_ROOT, runGoimg } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/schema.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

test('--version prints the package version', () => {
  const r = runGoimg(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('--help lists every registered command and the exit codes', () => {
  const r = runGoimg(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: goimg <command>/);
  assert.match(r.stdout, /doctor/);
  assert.match(r.stdout, /Exit codes: 0 clean, 1 findings/);
});

test('an unknown command is a usage error (exit 2) with a hint, no stack trace', () => {
  const r = runGoimg(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  assert.match(r.stderr, /hint: run 'goimg --help'/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('an unknown option is a usage error (exit 2)', () => {
  const r = runGoimg(['doctor', '--bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown option '--bogus'/);
});

test('a format the command does not offer is a usage error', () => {
  const r = runGoimg(['doctor', '--format', 'sarif']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format must be one of text, json/);
});

test('<command> --help shows usage and formats', () => {
  const r = runGoimg(['doctor', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: goimg doctor/);
  assert.match(r.stdout, /Formats: text, json/);
});

test('doctor --format json matches its schema and finds a Go toolchain shape', () => {
  const r = runGoimg(['doctor', '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 3, `unexpected exit ${r.status}`);
  const report = JSON.parse(r.stdout) as { version: number; ok: boolean };
  assertMatchesSchema('doctor.schema.json', report);
  assert.equal(report.version, 1);
  assert.equal(r.status, report.ok ? 0 : 3);
});

test('doctor says whether Node parsed NODE_EXTRA_CA_CERTS at start-up', () => {
  const ca = existsSync('/etc/ssl/certs/ca-certificates.crt')
    ? '/etc/ssl/certs/ca-certificates.crt'
    : GOIMG_BIN;
  const state = (r: { stdout: string }) =>
    (JSON.parse(r.stdout) as { startup: { extraCaCerts: string } }).startup.extraCaCerts;
  const json = ['doctor', '--format', 'json'];
  assert.equal(state(runGoimg(json, { env: { NODE_EXTRA_CA_CERTS: ca } })), 'parsed-at-startup');
  assert.equal(state(runGoimg(json, { env: { NODE_EXTRA_CA_CERTS: '' } })), 'unset');
  const text = runGoimg(['doctor'], { env: { NODE_EXTRA_CA_CERTS: ca } });
  assert.match(text.stdout, /start-up \d+ ms \(Node parsed the NODE_EXTRA_CA_CERTS bundle/);
});

test('NO_COLOR and --no-color keep escape codes out of text output', () => {
  const r = runGoimg(['doctor', '--no-color'], { env: { FORCE_COLOR: '1' } });
  assert.doesNotMatch(r.stdout, /\u001b\[/);
  const forced = runGoimg(['doctor'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
  assert.match(forced.stdout, /\u001b\[/);
});
