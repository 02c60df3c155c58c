import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors.js';
import { cleanEntryPath } from '../../../src/image/tar-path.js';

/** The definition: drop empty and `.` components, refuse `..`. */
function byComponents(name: string): string | 'refused' {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return 'refused';
    parts.push(part);
  }
  return parts.join('/');
}

test('entry names are cleaned component by component (the fast path for clean names agrees)', () => {
  const piece = fc.constantFrom('a', '.', '/', 'b', '..', 'x.y', '.wh.', '...', '.hidden', 'c..');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 9 }), (pieces) => {
      const name = pieces.join('');
      if (name.startsWith('/')) {
        assert.throws(() => cleanEntryPath(name, 'layer'), /absolute path/);
        return;
      }
      const expected = byComponents(name);
      if (expected === 'refused') assert.throws(() => cleanEntryPath(name, 'layer'), InputError);
      else assert.equal(cleanEntryPath(name, 'layer'), expected);
    }),
    { numRuns: 3000 },
  );
});
