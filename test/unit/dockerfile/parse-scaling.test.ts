/**
 * The parser's work grows linearly with its input: for inputs that used to be slow (ENV/RUN
 * alternating, backtracking directives, nested `${`, long heredocs, many stages, ONBUILD
 * chains, long continuations), doubling the input must not much more than double the work.
 * Work is counted, not timed: every character read (charCodeAt/codePointAt), every character a
 * string search or slice covers, every Map and array insertion, every regular expression run
 * (by input length) is one step.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';

type Fn = (...args: never[]) => unknown;

/** Runs `f` with step counting on the string, Map, Array, RegExp and JSON primitives it uses. */
function countSteps(f: () => void): number {
  let steps = 0;
  const patches: [object, string, Fn][] = [];
  const patch = (
    proto: object,
    name: string,
    cost: (self: never, args: never[], result: unknown) => number,
  ): void => {
    const original = (proto as Record<string, Fn>)[name]!;
    patches.push([proto, name, original]);
    (proto as Record<string, Fn>)[name] = function (this: never, ...args: never[]) {
      const result = original.apply(this, args);
      steps += cost(this, args, result);
      return result;
    };
  };
  const len = (s: unknown): number => (typeof s === 'string' ? s.length : 0);
  patch(String.prototype, 'charCodeAt', () => 1);
  patch(String.prototype, 'codePointAt', () => 1);
  patch(String.prototype, 'indexOf', (self, args, r) => {
    const from = Number(args[1] ?? 0);
    return 1 + ((r as number) < 0 ? len(self) - from : (r as number) - from);
  });
  patch(String.prototype, 'lastIndexOf', (self) => 1 + len(self));
  patch(String.prototype, 'includes', (self) => 1 + len(self));
  patch(String.prototype, 'startsWith', (_self, args) => 1 + len(args[0]));
  patch(String.prototype, 'slice', (_self, _args, r) => 1 + len(r));
  patch(String.prototype, 'split', (self) => 1 + len(self));
  patch(String.prototype, 'trim', (self) => 1 + len(self));
  patch(String.prototype, 'toLowerCase', (self) => 1 + len(self));
  patch(String.prototype, 'toUpperCase', (self) => 1 + len(self));
  patch(String.prototype, 'replace', (self) => 1 + len(self));
  patch(Map.prototype, 'set', () => 1);
  patch(Map.prototype, 'get', () => 1);
  patch(Array.prototype, 'push', (_self, args) => 1 + args.length);
  patch(RegExp.prototype, 'exec', (_self, args) => 1 + len(args[0]));
  patch(RegExp.prototype, 'test', (_self, args) => 1 + len(args[0]));
  patch(JSON, 'parse', (_self, args) => 1 + len(args[0]));
  try {
    f();
  } finally {
    for (const [proto, name, original] of patches.reverse()) (proto as Record<string, Fn>)[name] = original;
  }
  return steps;
}

const FAMILIES: Record<string, (n: number) => string> = {
  'ENV and RUN alternating': (n) =>
    `FROM golang:1.23\n${Array.from({ length: n }, (_, i) => (i % 2 ? `RUN echo $V${i - 1} && go build ./...\n` : `ENV V${i}=x${i}\n`)).join('')}`,
  'a directive-like first line with a long gap': (n) => `#x=a${' '.repeat(n)}b\nFROM a\n`,
  'repeated ${A:- in RUN and ENV': (n) =>
    `FROM a\nENV X=${'${A:-'.repeat(n / 2)}\nRUN echo ${'${A:-'.repeat(n / 2)}\n`,
  'nested ${a:-${ on a heredoc line': (n) => `FROM a\nRUN cat <<EOF ${'${a:-'.repeat(n / 4)}\nx\nEOF\n`,
  'a long heredoc': (n) => `FROM a\nRUN <<EOF\n${'echo hello && ls -la\n'.repeat(n)}EOF\n`,
  'many stages built on each other': (n) =>
    Array.from({ length: n }, (_, i) => `FROM ${i ? `s${i - 1}` : 'alpine'} AS s${i}\nRUN x\n`).join(''),
  'an ONBUILD chain': (n) => `FROM a\n${'ONBUILD '.repeat(n)}RUN x\n`,
  'a long continuation': (n) => `FROM a\nRUN a \\\n${'  && b \\\n'.repeat(n)}  c\n`,
  'many << on one line': (n) => `FROM a\nRUN echo ${'<<'.repeat(n)}\n`,
  'unbalanced quotes': (n) => `FROM a\nRUN echo ${'"a\' '.repeat(n)}\n`,
  'nested JSON': (n) => `FROM a\nRUN [${'['.repeat(n)}${']'.repeat(n)}]\n`,
  'many flags': (n) => `FROM a\nRUN ${'--mount=type=cache,target=/x '.repeat(n)}echo\n`,
  'ENV pairs on one line': (n) =>
    `FROM a\nENV ${Array.from({ length: n }, (_, i) => `K${i}="v ${i}"`).join(' ')}\n`,
};

test('parsing work grows linearly with the input (steps counted, doubling the input)', () => {
  const n = 1000;
  const report: string[] = [];
  for (const [name, gen] of Object.entries(FAMILIES)) {
    const small = gen(n);
    const large = gen(2 * n);
    const a = countSteps(() => parseDockerfile(small));
    const b = countSteps(() => parseDockerfile(large));
    // Steps per input character: constant for linear work, doubling for quadratic work.
    const growth = b / large.length / (a / small.length);
    report.push(
      `${name}: ${a} → ${b} steps for ${small.length} → ${large.length} characters (per character ×${growth.toFixed(2)})`,
    );
    assert.ok(a > 0 && b > 0, `${name}: no steps counted`);
    assert.ok(large.length > 1.8 * small.length, `${name}: the generator does not double the input`);
    assert.ok(
      growth < 1.25,
      `${name}: doubling the input multiplied the work per character by ${growth.toFixed(2)}`,
    );
  }
  process.stdout.write(`# ${report.join('\n# ')}\n`);
});
