/** Mutated go.mod, go.work, Go sources and .dockerignore files: a result or an InputError, never a crash. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { makeFilter, parseDockerignore } from '../../../src/context/index.js';
import { InputError } from '../../../src/core/errors.js';
import { readEmbeds, readHeader, tokenize } from '../../../src/project/golex.js';
import { parseGoMod, parseGoWork } from '../../../src/project/gomod.js';
import { analyseTokens, localNames } from '../../../src/project/needs.js';

const GOMOD = `module github.com/acme/svc

go 1.22.3
toolchain go1.23.1

require (
	github.com/a/b v1.2.3 // indirect
	"github.com/c/d" v0.0.0-20240101000000-abcdef123456
)

replace github.com/a/b => ../b
replace (
	x.y/z v1.0.0 => x.y/z v1.0.1
)
exclude github.com/e/f v1.0.0
retract [v1.0.0, v1.1.0]
`;

const GOSRC = `//go:build linux && !cgo

package main

import (
	"fmt"
	web "net/http"
	_ "time/tzdata"
)

//go:embed static/*.html
var x = \`raw
string\`

func main() { fmt.Println(web.Get("https://x"), web.ListenAndServe(":8080", nil), 'r', "s\\"q") }
`;

/** Mutations that keep most of the text: delete, duplicate or replace a slice, insert noise. */
function mutated(seed: string) {
  const noise = fc.constantFrom(
    '(',
    ')',
    '"',
    '`',
    '=>',
    '//',
    '/*',
    '*/',
    '\n',
    '[',
    ']',
    ',',
    ' ',
    '\\',
    "'",
    '!',
    '**',
  );
  return fc
    .array(
      fc.record({
        at: fc.nat(seed.length),
        len: fc.nat(12),
        kind: fc.constantFrom('del', 'dup', 'ins', 'noise'),
        text: fc.string(),
        n: noise,
      }),
      { maxLength: 6 },
    )
    .map((ops) => {
      let s = seed;
      for (const op of ops) {
        const at = Math.min(op.at, s.length);
        if (op.kind === 'del') s = s.slice(0, at) + s.slice(at + op.len);
        else if (op.kind === 'dup') s = s.slice(0, at) + s.slice(at, at + op.len) + s.slice(at);
        else if (op.kind === 'ins') s = s.slice(0, at) + op.text + s.slice(at);
        else s = s.slice(0, at) + op.n + s.slice(at);
      }
      return s;
    });
}

function resultOrInputError(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `not an InputError: ${String(err)}`);
    assert.match(err.message, /^go\.(mod|work):\d+: /);
  }
}

test('mutated go.mod and go.work: a model or an InputError with a line', () => {
  fc.assert(
    fc.property(mutated(GOMOD), (text) => {
      resultOrInputError(() => parseGoMod(text));
      resultOrInputError(() => parseGoWork(text.replace(/^module .*$/m, '')));
    }),
    { numRuns: 2000 },
  );
});

test('mutated Go sources: the lexer and the needs analysis always finish', () => {
  fc.assert(
    fc.property(mutated(GOSRC), (src) => {
      const h = readHeader(src);
      readEmbeds(src);
      const toks = tokenize(src);
      assert.ok(toks.length <= src.length);
      analyseTokens('x.go', toks, localNames(h.imports));
    }),
    { numRuns: 2000 },
  );
});

test('arbitrary .dockerignore text: patterns parse and match without throwing', () => {
  fc.assert(
    fc.property(fc.string(), fc.array(fc.string({ minLength: 1 }), { maxLength: 5 }), (text, paths) => {
      let f: ReturnType<typeof makeFilter>;
      try {
        f = makeFilter(parseDockerignore(text));
      } catch (err) {
        assert.ok(err instanceof InputError, String(err));
        return;
      }
      for (const p of paths) f.ignores(p.replace(/^\/+/, '') || 'x');
    }),
    { numRuns: 1000 },
  );
});
