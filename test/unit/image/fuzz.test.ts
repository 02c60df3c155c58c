import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzz } from './fuzz-props.js';

test('fuzz (short): random hostile layers analyse sanely or fail with InputError', async () => {
  const r = await runFuzz(Number(process.env.GOIMG_FUZZ_RUNS ?? 150));
  assert.ok(r.accepted > 0 && r.refused > 0, JSON.stringify(r));
});
