/** Go's modinfo text: quoting, replacements and refusals follow runtime/debug.ParseBuildInfo. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatModinfo, ModinfoError, parseModinfo } from '../../../src/binary/modinfo.js';

test('round trip: quoted values, replacement, settings order', () => {
  const text = [
    'path\texample.com/app',
    'mod\texample.com/app\t(devel)\t',
    'dep\texample.com/a\tv1.0.0\th1:abc=',
    'dep\texample.com/b\tv1.2.3',
    '=>\t../b\t(devel)\t',
    'build\t-ldflags="-s -w -X main.v=1"',
    'build\t-tags=netgo',
    'build\tCGO_ENABLED=0',
    '',
  ].join('\n');
  const info = parseModinfo(text);
  assert.equal(info.settings['-ldflags'], '-s -w -X main.v=1');
  assert.deepEqual(Object.keys(info.settings), ['-ldflags', '-tags', 'CGO_ENABLED']);
  assert.deepEqual(info.deps[1]?.replace, { path: '../b', version: '(devel)', sum: '' });
  // Go prints a blank line after a replacement: BuildInfo.String() ends both module lines.
  assert.equal(formatModinfo(info), text.replace('(devel)\t\nbuild', '(devel)\t\n\nbuild'));
});

test('refusals name the line, as go version -m does', () => {
  assert.throws(
    () => parseModinfo('path\tx\ndep\ta\n'),
    (e: unknown) => e instanceof ModinfoError && /line 2: expected 2 or 3 columns; got 1/.test(e.message),
  );
  assert.throws(() => parseModinfo('=>\ta\tb\tc\n'), /line 1: replacement with no module on previous line/);
  assert.throws(() => parseModinfo('build\tK=a b\n'), /unquoted value "a b" must be quoted/);
  assert.throws(() => parseModinfo('build\t=v\n'), /build line with missing key/);
});

test('a hostile "__proto__" setting stays a plain key', () => {
  const info = parseModinfo('build\t__proto__=x\n');
  assert.equal(Object.getPrototypeOf(info.settings), null);
  assert.equal(Object.getOwnPropertyDescriptor(info.settings, '__proto__')?.value, 'x');
});
