/** applyEdits: offsets into the original text, sorted, duplicates merged, overlaps refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Edit } from '../../../src/fix/index.js';
import { applyEdits } from '../../../src/fix/index.js';

const r = (start: number, end: number, text: string): Edit => ({
  kind: 'replace',
  file: 'Dockerfile',
  start,
  end,
  text,
});

test('applyEdits applies edits given in any order against the original offsets', () => {
  const text = 'FROM golang\nRUN go build -o /app .\n';
  const out = applyEdits(text, [r(24, 24, ' -trimpath'), r(0, 4, 'from'), r(12, 12, 'ENV CGO_ENABLED=0\n')]);
  assert.equal(out, 'from golang\nENV CGO_ENABLED=0\nRUN go build -trimpath -o /app .\n');
});

test('applyEdits merges identical duplicates (two rules proposing the same change)', () => {
  const text = 'RUN go build .';
  assert.equal(
    applyEdits(text, [r(4, 4, 'CGO_ENABLED=0 '), r(4, 4, 'CGO_ENABLED=0 ')]),
    'RUN CGO_ENABLED=0 go build .',
  );
  assert.equal(applyEdits(text, [r(0, 3, 'run'), r(0, 3, 'run')]), 'run go build .');
});

test('applyEdits keeps insertions at one offset in the order given', () => {
  assert.equal(applyEdits('ab', [r(1, 1, 'X'), r(1, 1, 'Y')]), 'aXYb');
  // An insertion at the end of a replaced range touches nothing the replacement removes.
  assert.equal(applyEdits('abcd', [r(1, 3, 'Z'), r(3, 3, '+')]), 'aZ+d');
});

test('applyEdits throws on overlapping edits, bad ranges and other kinds', () => {
  assert.throws(() => applyEdits('abcdef', [r(0, 3, 'x'), r(2, 4, 'y')]), /overlapping edits/);
  assert.throws(() => applyEdits('abcdef', [r(0, 4, 'x'), r(2, 2, 'y')]), /overlapping edits/);
  assert.throws(() => applyEdits('abc', [r(2, 9, 'x')]), /past the end/);
  assert.throws(() => applyEdits('abc', [r(2, 1, 'x')]), /bad range/);
  assert.throws(
    () => applyEdits('abc', [{ kind: 'create', file: '.dockerignore', text: 'x' }]),
    /only replace/,
  );
  assert.throws(
    () => applyEdits('abc', [r(0, 0, 'x'), { kind: 'replace', file: 'other', start: 1, end: 1, text: 'y' }]),
    /several files/,
  );
});

test('applyEdits leaves CRLF line endings and everything outside the edits byte-for-byte', () => {
  const text = 'FROM golang:1.22\r\n# keep me\r\nRUN go build -o /app .\r\n';
  const at = text.indexOf('go build') + 'go build'.length;
  const out = applyEdits(text, [r(at, at, ' -trimpath')]);
  assert.equal(out, 'FROM golang:1.22\r\n# keep me\r\nRUN go build -trimpath -o /app .\r\n');
});

test('applyEdits on random non-overlapping edits equals splicing them one by one from the end', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 60 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.string({ maxLength: 5 })), { maxLength: 6 }),
      (text, raw) => {
        // Build disjoint ranges: sort starts, clip each end before the next start.
        const starts = [...new Set(raw.map(([s]) => s % (text.length + 1)))].sort((a, b) => a - b);
        const edits = starts.map((start, i) => {
          const limit = i + 1 < starts.length ? starts[i + 1]! : text.length;
          const end = Math.min(start + raw[i]![1], limit);
          return r(start, end, raw[i]![2]);
        });
        let expected = text;
        for (const e of [...edits].reverse()) {
          if (e.kind === 'replace') expected = expected.slice(0, e.start) + e.text + expected.slice(e.end);
        }
        assert.equal(applyEdits(text, [...edits].reverse()), expected);
      },
    ),
    { numRuns: 300 },
  );
});
