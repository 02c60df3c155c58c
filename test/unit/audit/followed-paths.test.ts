/** followedContextPaths: the context paths BuildKit's Dockerfile frontend sends (FollowPaths). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { followedContextPaths } from '../../../src/rules/audit/context.js';

const followed = (text: string) => followedContextPaths(parseDockerfile(text).model);

test('followedContextPaths: named COPY, ADD and bind-mount sources; null when the whole context goes', () => {
  const cases: [string, string[] | null][] = [
    ['FROM scratch\nCOPY dist/app_${TARGETOS}_${TARGETARCH}*/app ./bin/ /x/', ['bin', 'dist/app_*_**/app']],
    [
      'FROM golang:1.25 AS b\nCOPY go.mod go.sum ./\nRUN --mount=type=bind,source=cmd,target=/src/cmd go build ./cmd/x',
      ['cmd', 'go.mod', 'go.sum'],
    ],
    ['FROM scratch\nADD https://example.com/a.tgz /a\nCOPY --from=b /app /app\nCOPY <<EOF /x\nhi\nEOF\n', []],
    ['FROM scratch\nCOPY ["a b.txt", "/x/"]', ['a b.txt']],
    ['FROM golang:1.25\nCOPY . .', null],
    ['FROM golang:1.25\nCOPY ./ /src', null],
    // A pattern at the root follows what it matches (all of the context, for `*`).
    ['FROM golang:1.25\nCOPY * /src/', ['*']],
    ['FROM scratch\nARG TARGETARCH\nCOPY app-linux-${TARGETARCH} /app', ['app-linux-*']],
    ['FROM golang:1.25\nRUN --mount=type=bind,target=/src go build ./...', null],
    ['FROM golang:1.25\nCOPY ${SRC}/ /src/', null],
    // BuildKit expands ARG values in COPY sources: the global default, or the stage's own.
    ['ARG DIR=cmd\nFROM golang:1.25\nARG DIR\nCOPY go.mod ./\nCOPY $DIR /src', ['cmd', 'go.mod']],
    ['FROM alpine:3.22\nARG EXECUTABLE=./app\nCOPY $EXECUTABLE ./run.sh /usr/bin/', ['app', 'run.sh']],
    ['ARG DIR\nFROM golang:1.25\nARG DIR\nCOPY $DIR/ /src', null],
    ['FROM golang:1.25\nCOPY ../outside /x', ['outside']],
    // An unknown value stays below the directories written before it.
    [
      'FROM scratch\nARG BIN\nCOPY LICENSE /l\nCOPY dist/$TARGETOS/$TARGETARCH/$BIN /bin/',
      ['LICENSE', 'dist/*/*'],
    ],
    ['FROM scratch\nARG BIN\nCOPY dist/$BIN /bin/', ['dist']],
  ];
  for (const [text, want] of cases) assert.deepEqual(followed(text), want, text);
});
