import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copySourceMatcher } from '../../../src/cache/copy-sources.js';

test('the context root selects every file', () => {
  for (const src of ['.', './', '/', '']) {
    assert.ok(copySourceMatcher(src)('a/b/c.go'), src);
  }
});

test('a file or directory source selects itself and what is below it, nothing else', () => {
  const m = copySourceMatcher('./internal');
  assert.ok(m('internal'));
  assert.ok(m('internal/x/y.go'));
  assert.ok(!m('internalx/y.go'));
  assert.ok(!m('cmd/internal/y.go'));
  assert.ok(copySourceMatcher('go.mod')('go.mod'));
  assert.ok(!copySourceMatcher('go.mod')('go.mod.bak'));
});

test('wildcards match within one segment, like Go filepath.Match', () => {
  const m = copySourceMatcher('go.*');
  assert.ok(m('go.mod'));
  assert.ok(m('go.sum'));
  assert.ok(!m('x/go.mod'));
  const dirs = copySourceMatcher('cmd/*/main.go');
  assert.ok(dirs('cmd/api/main.go'));
  assert.ok(!dirs('cmd/api/x/main.go'));
  assert.ok(copySourceMatcher('lib?')('lib1/a.go'));
  assert.ok(copySourceMatcher('[a-c]*.go')('b.go'));
  assert.ok(!copySourceMatcher('[!a-c]*.go')('b.go'));
});

test('.. and leading slashes are normalised inside the context', () => {
  assert.ok(copySourceMatcher('/libs/../libs/money')('libs/money/go.mod'));
});
