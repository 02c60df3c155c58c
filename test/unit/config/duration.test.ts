import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../../src/config/duration.js';

test('durations: a whole number and s, m, h or d; 0; nothing else', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('12h'), 43_200_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('0'), 0);
  for (const bad of ['', '1', '1.5h', '-1d', '1w', 'h', 'one day'])
    assert.equal(parseDuration(bad), undefined, bad);
});
