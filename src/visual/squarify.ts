/**
 * Squarified treemap layout (Bruls, Huizing, van Wijk): rectangles whose areas are proportional
 * to the sizes, kept close to squares. Pure and self-contained (no outer references): the HTML
 * page inlines this very function (its source text) so the browser lays out each zoom level
 * with the same code the SVG writer uses.
 */

/**
 * Lays `sizes` out in the rectangle (x, y, w, h). Returns [x, y, w, h] per size, in input
 * order; a size of 0 (or less) gets an empty rectangle.
 */
export function squarify(sizes: readonly number[], x: number, y: number, w: number, h: number): number[] {
  const out: number[] = new Array(sizes.length * 4).fill(0);
  const order: number[] = [];
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i] as number;
    if (s > 0) {
      order.push(i);
      total += s;
    } else {
      out[i * 4] = x;
      out[i * 4 + 1] = y;
    }
  }
  if (total <= 0 || w <= 0 || h <= 0) return out;
  order.sort((a, b) => (sizes[b] as number) - (sizes[a] as number) || a - b);
  const scale = (w * h) / total;
  // Worst aspect ratio of a row of areas laid along a side of length `side`.
  const worst = (sum: number, min: number, max: number, side: number): number => {
    const s2 = side * side;
    const a2 = sum * sum;
    return Math.max((s2 * max) / a2, a2 / (s2 * min));
  };
  let start = 0;
  while (start < order.length) {
    const side = Math.min(w, h);
    let end = start;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    let best = Number.POSITIVE_INFINITY;
    while (end < order.length) {
      const a = (sizes[order[end] as number] as number) * scale;
      const nSum = sum + a;
      const nMin = Math.min(min, a);
      const nMax = Math.max(max, a);
      const ratio = worst(nSum, nMin, nMax, side);
      if (end > start && ratio > best) break;
      sum = nSum;
      min = nMin;
      max = nMax;
      best = ratio;
      end++;
    }
    // The row fills a strip along the shorter side; the last row takes what is left exactly.
    const last = end === order.length;
    const thick = last ? Math.max(w, h) : sum / side;
    let along = 0;
    for (let k = start; k < end; k++) {
      const i = order[k] as number;
      const a = (sizes[i] as number) * scale;
      const len = k === end - 1 ? side - along : a / thick;
      if (w >= h) {
        out[i * 4] = x;
        out[i * 4 + 1] = y + along;
        out[i * 4 + 2] = last ? w : thick;
        out[i * 4 + 3] = len;
      } else {
        out[i * 4] = x + along;
        out[i * 4 + 1] = y;
        out[i * 4 + 2] = len;
        out[i * 4 + 3] = last ? h : thick;
      }
      along += len;
    }
    if (w >= h) {
      x += thick;
      w -= thick;
    } else {
      y += thick;
      h -= thick;
    }
    start = end;
  }
  return out;
}
