/**
 * Spans over a Dockerfile's text: offsets kept, 1-based lines and columns worked out when read
 * (a large file has many spans and findings read only a few of them).
 */

import { lastAtMost } from '../core/sorted.js';
import type { Span } from './model.js';

/** Line start offsets; lines end at \n (a \r before it stays part of the line, as in BuildKit). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * 1-based line/column span of [start, end) from line start offsets. Lines and columns are
 * worked out when read: a large file has many spans and findings read only a few of them.
 */
export function spanAt(starts: readonly number[], start: number, end: number): Span {
  return new LazySpan(starts, start, end);
}

export class LazySpan implements Span {
  constructor(
    private readonly starts: readonly number[],
    readonly start: number,
    readonly end: number,
  ) {}
  get line(): number {
    return lastAtMost(this.starts, this.start, 0) + 1;
  }
  get column(): number {
    return this.start - this.starts[this.line - 1]! + 1;
  }
  get endLine(): number {
    // The end is usually on the same line or a few lines below: search from the start's line.
    if (this.end === this.start) return this.line;
    return lastAtMost(this.starts, this.end, this.end > this.start ? this.line - 1 : 0) + 1;
  }
  get endColumn(): number {
    return this.end - this.starts[this.endLine - 1]! + 1;
  }
  toJSON(): Span {
    const { line, column, endLine, endColumn, start, end } = this;
    return { line, column, endLine, endColumn, start, end };
  }
}
