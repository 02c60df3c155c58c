/** Searches in sorted numbers (line starts, offsets, sequence numbers). */

/**
 * Index of the last element of ascending `sorted` that is at most `value`, searching from index
 * `from` (`from` when none is: callers check that `sorted[from] <= value`).
 */
export function lastAtMost(sorted: readonly number[], value: number, from = 0): number {
  let lo = from;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
