import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../src/core/errors.js';
import { isLocalPath, parseGoMod, parseGoSum, parseGoWork } from '../../../src/project/gomod.js';

// Shaped like a real service's go.mod (blocks, comments, indirect, replace forms, retract, toolchain).
const REAL = `// Copyright header comment
module github.com/acme/orders-service

go 1.22.3

toolchain go1.23.1

godebug default=go1.21

require (
	github.com/go-chi/chi/v5 v5.0.12
	github.com/jackc/pgx/v5 v5.5.5 // keep: pgx v5 API
	github.com/mattn/go-sqlite3 v1.14.22
	"github.com/quoted/path" v1.0.0
)

require (
	github.com/jackc/pgpassfile v1.0.0 // indirect
	golang.org/x/text v0.14.0 // indirect; used by pgx
)

require github.com/single/line v0.1.0

replace github.com/acme/shared => ../shared

replace (
	github.com/acme/lib v1.2.0 => ./third_party/lib
	golang.org/x/net => golang.org/x/net v0.20.0
	github.com/win/path => C:\\\\src\\\\win
)

exclude github.com/bad/mod v0.1.0

retract (
	v1.0.0 // published by mistake
	[v1.1.0, v1.1.5]
)

tool golang.org/x/tools/cmd/stringer
`;

test('parseGoMod reads a real-world go.mod with blocks, comments and every directive', () => {
  const m = parseGoMod(REAL);
  assert.equal(m.module, 'github.com/acme/orders-service');
  assert.equal(m.moduleLine, 2);
  assert.equal(m.go, '1.22.3');
  assert.equal(m.goLine, 4);
  assert.equal(m.toolchain, 'go1.23.1');
  assert.equal(m.toolchainLine, 6);
  assert.deepEqual(
    m.requires.map((r) => [r.path, r.version, r.indirect, r.line]),
    [
      ['github.com/go-chi/chi/v5', 'v5.0.12', false, 11],
      ['github.com/jackc/pgx/v5', 'v5.5.5', false, 12],
      ['github.com/mattn/go-sqlite3', 'v1.14.22', false, 13],
      ['github.com/quoted/path', 'v1.0.0', false, 14],
      ['github.com/jackc/pgpassfile', 'v1.0.0', true, 18],
      ['golang.org/x/text', 'v0.14.0', true, 19],
      ['github.com/single/line', 'v0.1.0', false, 22],
    ],
  );
  assert.deepEqual(m.replaces[0], {
    oldPath: 'github.com/acme/shared',
    newPath: '../shared',
    local: true,
    line: 24,
  });
  assert.deepEqual(m.replaces[1], {
    oldPath: 'github.com/acme/lib',
    oldVersion: 'v1.2.0',
    newPath: './third_party/lib',
    local: true,
    line: 27,
  });
  assert.deepEqual(m.replaces[2], {
    oldPath: 'golang.org/x/net',
    newPath: 'golang.org/x/net',
    newVersion: 'v0.20.0',
    local: false,
    line: 28,
  });
  assert.equal(m.replaces[3]!.local, true);
  assert.deepEqual(m.excludes, [{ path: 'github.com/bad/mod', version: 'v0.1.0' }]);
  assert.deepEqual(m.retracts, [
    { version: 'v1.0.0', line: 35 },
    { version: '[v1.1.0, v1.1.5]', line: 36 },
  ]);
  assert.deepEqual(m.tools, ['golang.org/x/tools/cmd/stringer']);
});

test('parseGoMod accepts CRLF, a BOM, raw-string paths, "=>" without spaces and an empty block', () => {
  const m = parseGoMod('\uFEFFmodule `example.com/x`\r\n\r\ngo 1.21\r\nrequire ()\r\nreplace a.b/c=>./c\r\n');
  assert.equal(m.module, 'example.com/x');
  assert.equal(m.go, '1.21');
  assert.deepEqual(m.requires, []);
  assert.equal(m.replaces[0]!.newPath, './c');
  assert.equal(m.replaces[0]!.line, 5);
});

test('a minimal go.mod has no go directive and no requirements', () => {
  const m = parseGoMod('module m\n');
  assert.equal(m.go, undefined);
  assert.equal(m.toolchain, undefined);
  assert.deepEqual(m.requires, []);
});

function assertInputError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.match(err.message, re);
    return true;
  });
}

test('malformed go.mod files give an InputError naming the file and line', () => {
  assertInputError(
    () => parseGoMod('module m\n\nrequire (\n\tfoo.com/x v1.0.0\n'),
    /^go\.mod:3: require block .* never closed/,
  );
  assertInputError(() => parseGoMod('module m\ngo 1.x\n'), /^go\.mod:2: invalid go version '1\.x'/);
  assertInputError(() => parseGoMod('module m\nrequire foo.com/x\n'), /^go\.mod:2: usage: require/);
  assertInputError(
    () => parseGoMod('module m\nrequir foo.com/x v1\n'),
    /^go\.mod:2: unknown directive: requir/,
  );
  assertInputError(() => parseGoMod('module m\nreplace foo.com/x ./x\n'), /^go\.mod:2: usage: replace/);
  assertInputError(
    () => parseGoMod('module m\nreplace foo.com/x => ./x v1.0.0\n'),
    /must not have a version/,
  );
  assertInputError(() => parseGoMod('module m\nreplace foo.com/x => bar.com/x\n'), /needs a version/);
  assertInputError(
    () => parseGoMod('module m\nrequire "foo.com/x v1.0.0\n'),
    /^go\.mod:2: unterminated quoted string/,
  );
  assertInputError(() => parseGoMod('go 1.21\n'), /no module directive/);
  assertInputError(() => parseGoMod('module a\nmodule b\n'), /^go\.mod:2: repeated module/);
  assertInputError(
    () => parseGoMod('module m\ntoolchain 1.23\n', 'sub/go.mod'),
    /^sub\/go\.mod:2: invalid toolchain/,
  );
  assertInputError(() => parseGoMod('module m\nrequire ( foo v1 )\n'), /^go\.mod:2: unexpected parenthesis/);
});

test('parseGoWork reads use blocks, single uses, replaces and the toolchain', () => {
  const w = parseGoWork(
    'go 1.23.0\ntoolchain go1.23.2\n\nuse (\n\t./api // the service\n\t"./shared"\n)\nuse ./tools\n\nreplace example.com/lib v1.0.0 => ../lib\n',
  );
  assert.equal(w.go, '1.23.0');
  assert.equal(w.goLine, 1);
  assert.equal(w.toolchain, 'go1.23.2');
  assert.deepEqual(w.uses, ['./api', './shared', './tools']);
  assert.deepEqual(w.replaces, [
    { oldPath: 'example.com/lib', oldVersion: 'v1.0.0', newPath: '../lib', local: true, line: 10 },
  ]);
  assertInputError(() => parseGoWork('go 1.23\nmodule x\n'), /^go\.work:2: unknown directive: module/);
});

test('isLocalPath follows the go command: ./ ../ / and Windows paths are directories', () => {
  for (const p of ['.', '..', './x', '../x', '/abs', 'C:\\x', '.\\x']) assert.equal(isLocalPath(p), true, p);
  for (const p of ['example.com/x', 'x', '.hidden/x']) assert.equal(isLocalPath(p), false, p);
});

test('parseGoSum lists module versions', () => {
  const s = parseGoSum('golang.org/x/text v0.14.0 h1:abc=\ngolang.org/x/text v0.14.0/go.mod h1:def=\n\n');
  assert.deepEqual(s, [
    { path: 'golang.org/x/text', version: 'v0.14.0' },
    { path: 'golang.org/x/text', version: 'v0.14.0/go.mod' },
  ]);
});
