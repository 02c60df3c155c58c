/** The treemap layout: areas proportional to sizes, inside the box, no overlaps, zero sizes empty. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { squarify } from '../../../src/visual/squarify.js';

const EPS = 1e-6;

function check(sizes: number[], x: number, y: number, w: number, h: number): void {
  const r = squarify(sizes, x, y, w, h);
  assert.equal(r.length, sizes.length * 4);
  const total = sizes.reduce((n, s) => n + Math.max(0, s), 0);
  const rects: number[][] = [];
  sizes.forEach((s, i) => {
    const [rx, ry, rw, rh] = r.slice(i * 4, i * 4 + 4) as [number, number, number, number];
    if (s <= 0 || total === 0) {
      assert.equal(rw * rh, 0, `size ${s} draws nothing`);
      return;
    }
    assert.ok(rx >= x - EPS && ry >= y - EPS && rx + rw <= x + w + EPS && ry + rh <= y + h + EPS, 'inside');
    const want = (s / total) * w * h;
    assert.ok(Math.abs(rw * rh - want) <= 1e-6 * w * h + want * 1e-9, `area ${rw * rh} for ${want}`);
    rects.push([rx, ry, rw, rh]);
  });
  for (let a = 0; a < rects.length; a++)
    for (let b = a + 1; b < rects.length; b++) {
      const [ax, ay, aw, ah] = rects[a]!;
      const [bx, by, bw, bh] = rects[b]!;
      const overlap =
        Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx)) *
        Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
      assert.ok(overlap <= 1e-6 * w * h, `rects ${a} and ${b} overlap by ${overlap}`);
    }
}

test('squarify: areas proportional to sizes, inside the box, no overlaps (properties)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { maxLength: 60 }),
      fc.integer({ min: 1, max: 2000 }),
      fc.integer({ min: 1, max: 2000 }),
      (sizes, w, h) => check(sizes, 10, 20, w, h),
    ),
    { numRuns: 300 },
  );
});

test('squarify: equal sizes in a square make squares', () => {
  const r = squarify([1, 1, 1, 1], 0, 0, 100, 100);
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(r[i * 4 + 2]! - 50) < 1e-9);
    assert.ok(Math.abs(r[i * 4 + 3]! - 50) < 1e-9);
  }
});

test('squarify: nothing to lay out, or no room, gives empty rectangles', () => {
  assert.deepEqual(squarify([], 0, 0, 10, 10), []);
  assert.deepEqual(squarify([0, 0], 1, 2, 10, 10), [1, 2, 0, 0, 1, 2, 0, 0]);
  assert.deepEqual(squarify([5], 0, 0, 0, 10), [0, 0, 0, 0]);
});

test('squarify runs on its own source text, as the page inlines it', () => {
  const inlined = new Function(`return (${squarify.toString()})`)() as typeof squarify;
  assert.deepEqual(inlined([3, 2, 1], 0, 0, 60, 40), squarify([3, 2, 1], 0, 0, 60, 40));
});
