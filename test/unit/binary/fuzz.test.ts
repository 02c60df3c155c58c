/**
 * The CI sample of the binary fuzzer: a few thousand seeded mutations of real fixture binaries,
 * each ending in a report or an InputError (the 100,000-input run is recorded in
 * BENCHMARKS.md, "goimg binary": `node scripts/fuzz-binary.mjs --count 100000`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/cli.js';
import { fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';

// The time limits are watchdogs for a hang, far above a run on a loaded machine; the slowest
// input's time is reported, never asserted.
test('fuzz sample: 3000 mutated binaries, no crash, hang or unbounded memory', { timeout: 900_000 }, (t) => {
  if (
    !need(
      t,
      fixtureAvailable('upx') === null && fixtureAvailable('go1.15') === null,
      'Go 1.23, Go 1.15 and upx',
    )
  ) {
    return;
  }
  const r = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'fuzz-binary.mjs'), '--count', '3000', '--seed', '7', '--json'],
    {
      encoding: 'utf8',
      timeout: 880_000,
    },
  );
  assert.equal(r.signal, null, `fuzzer killed (${r.signal}): ${r.stderr}`);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
  assert.deepEqual(summary.bugs, []);
  assert.equal(summary.report + summary.inputError, 3000);
  assert.ok(summary.seeds.length >= 7, `seeds: ${summary.seeds}`);
  t.diagnostic(`slowest input ${summary.slowestInputMs} ms`);
  assert.ok(summary.peakRssMB < 1024, `peak RSS ${summary.peakRssMB} MB`);
});
