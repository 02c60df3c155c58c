/**
 * Differential test: goimg's own Dockerfile lexer against dockerfile-ast (rcjsuen), the
 * parser VS Code's Docker extension uses, on a generated corpus and hand-written edge cases.
 * Instruction keywords, ranges, flags and arguments must agree.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
// @ts-expect-error: plain JavaScript module shared with the benchmark
import { corpus } from '../../../../bench/audit-corpus.mjs';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';

const EDGE_CASES = [
  'FROM alpine\r\nRUN echo a \\\r\n  && echo b\r\n',
  '# escape=`\nFROM golang:1.25\nRUN go build `\n  -o /app .\n',
  'from alpine as base\ncopy --chown=1000:1000 --from=base /a /b\n',
  'FROM golang:1.25\nRUN --mount=type=cache,target=/go/pkg/mod \\\n  # comment in continuation\n\n  go mod download\n',
  'FROM alpine\nCMD ["/app", "--flag"]\nENTRYPOINT /app arg\n',
  'FROM alpine\nENV A=1 B="two words" \\\n    C=3\nLABEL a="b c"\n',
  'FROM alpine\nRUN <<EOF\necho hi\nEOF\nCOPY <<-END /x\n\tcontent\n\tEND\n',
  '   FROM   alpine:3.22   AS   x\n\n\n   RUN   ls\n',
];

function viaAst(text: string) {
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((i) => {
      const r = i.getRange();
      const flags =
        (
          i as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }
        ).getFlags?.() ?? [];
      return {
        keyword: i.getKeyword(),
        start: [r.start.line + 1, r.start.character + 1],
        end: [r.end.line + 1, r.end.character + 1],
        flags: flags.map((f) => `${f.getName()}=${f.getValue()}`),
      };
    });
}

function viaGoimg(text: string) {
  return parseDockerfile(text).model.instructions.map((i) => ({
    keyword: i.keyword,
    start: [i.span.line, i.span.column],
    end: [i.span.endLine, i.span.endColumn],
    flags: i.flags.map((f) => `${f.name}=${f.value}`),
  }));
}

test('lexer agrees with dockerfile-ast on edge cases', () => {
  for (const text of EDGE_CASES) assert.deepEqual(viaGoimg(text), viaAst(text), JSON.stringify(text));
});

test('lexer agrees with dockerfile-ast on 500 generated Dockerfiles', () => {
  const files = corpus(500, 7) as string[];
  for (const text of files) assert.deepEqual(viaGoimg(text), viaAst(text), text);
});

test('one deliberate difference: ranges end at the last word, without trailing blanks', () => {
  const text = 'FROM alpine   \nRUN ls  \n';
  const ins = parseDockerfile(text).model.instructions;
  assert.deepEqual(
    ins.map((i) => text.slice(i.span.start, i.span.end)),
    ['FROM alpine', 'RUN ls'],
  );
  assert.deepEqual(
    viaAst(text).map((i) => i.end[1]),
    [15, 9],
  );
});
