import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goCommands, splitGoflags } from '../../../src/dockerfile/go-commands.js';
import { parseDockerfile, parseImageRef, substitute } from '../../../src/dockerfile/parse.js';
import { isShell, splitShell } from '../../../src/dockerfile/shell.js';

const words = (text: string) =>
  splitShell(text).map((c) => [
    ...c.assignments.map((a) => `${a.name}=${a.value}`),
    ...c.words.map((w) => w.value),
  ]);

test('splitShell: operators, quotes, env prefixes, redirections', () => {
  assert.deepEqual(
    words('CGO_ENABLED=0 go build -o /x . && echo "a b" || true; ls | wc -l 2>&1 >/dev/null'),
    [['CGO_ENABLED=0', 'go', 'build', '-o', '/x', '.'], ['echo', 'a b'], ['true'], ['ls'], ['wc', '-l']],
  );
  assert.deepEqual(words(`go build -ldflags='-s -w' -o "/out dir/app" x\\ y`), [
    ['go', 'build', '-ldflags=-s -w', '-o', '/out dir/app', 'x y'],
  ]);
  assert.deepEqual(words('echo $(go env GOCACHE) && if [ -f x ]; then go build; fi'), [
    ['echo', '$(go env GOCACHE)'],
    ['[', '-f', 'x', ']'],
    ['go', 'build'],
  ]);
});

test('splitShell: continuations, comment lines inside them, CRLF', () => {
  const text = 'apk add git \\\r\n  # a comment line\r\n  && CGO_ENABLED=0 \\\n     go build .';
  assert.deepEqual(words(text), [
    ['apk', 'add', 'git'],
    ['CGO_ENABLED=0', 'go', 'build', '.'],
  ]);
  // A shell comment swallows the joined rest of the instruction, as in Docker.
  assert.deepEqual(words('echo a # note \\\n go build'), [['echo', 'a']]);
  // Backtick escape directive.
  assert.deepEqual(
    splitShell('go build `\n  -o x', { escape: '`' }).map((c) => c.words.map((w) => w.value)),
    [['go', 'build', '-o', 'x']],
  );
});

test('splitShell: a `cmd` substitution is one word with its spaces, as $(...) is', () => {
  assert.deepEqual(words('ARCH=`go env GOARCH` GOOS=linux go build -o /out/ ./cmd/...'), [
    ['ARCH=`go env GOARCH`', 'GOOS=linux', 'go', 'build', '-o', '/out/', './cmd/...'],
  ]);
  assert.deepEqual(words('echo `date` && V=$(git describe --tags) make'), [
    ['echo', '`date`'],
    ['V=$(git describe --tags)', 'make'],
  ]);
  // An unclosed backtick runs to the end, never past it.
  assert.deepEqual(words('echo `oops'), [['echo', '`oops']]);
});

test('splitShell: word offsets point into the original text', () => {
  const text = 'RUN  CGO_ENABLED=1 \\\n  go build -o main .';
  const [cmd] = splitShell(text.slice(5), { base: 5 });
  assert.ok(cmd);
  const verb = cmd.words[1]!;
  assert.equal(text.slice(verb.start, verb.end), 'build');
  const assign = cmd.assignments[0]!.word;
  assert.equal(text.slice(assign.start, assign.end), 'CGO_ENABLED=1');
});

test('splitShell never throws on unbalanced input', () => {
  for (const t of ['"unclosed', "'x", '$(', '\\', '&&', '|||;;', 'a >', '((']) splitShell(t);
});

test('image references', () => {
  assert.deepEqual(parseImageRef('golang:1.21-alpine'), {
    ref: 'golang:1.21-alpine',
    name: 'golang',
    tag: '1.21-alpine',
  });
  assert.deepEqual(parseImageRef('docker.io/library/alpine'), {
    ref: 'docker.io/library/alpine',
    name: 'alpine',
  });
  const d = parseImageRef('gcr.io/distroless/static-debian12:nonroot');
  assert.equal(d.registry, 'gcr.io');
  assert.equal(d.name, 'distroless/static-debian12');
  assert.equal(d.tag, 'nonroot');
  assert.equal(parseImageRef('localhost:5000/app@sha256:abc').registry, 'localhost:5000');
  assert.equal(parseImageRef('localhost:5000/app@sha256:abc').digest, 'sha256:abc');
});

test('ARG substitution forms', () => {
  const vars = new Map<string, string | undefined>([
    ['V', '1.22'],
    ['E', ''],
  ]);
  assert.equal(substitute('golang:${V}-alpine', vars), 'golang:1.22-alpine');
  assert.equal(substitute('golang:$V', vars), 'golang:1.22');
  assert.equal(substitute('${E:-x}${U:-y}${V:+set}', vars), 'xyset');
  assert.equal(substitute('$UNKNOWN', vars), '$UNKNOWN');
});

test('stages: ARG-resolved FROM, names, parents, platform, ENV/ARG scope', () => {
  const { model, problem } = parseDockerfile(
    [
      'ARG GO_VERSION=1.22',
      'from --platform=$BUILDPLATFORM golang:${GO_VERSION} as Build',
      'env CGO_ENABLED=0 GOFLAGS="-trimpath -mod=vendor"',
      'arg TARGETARCH',
      'FROM build AS test',
      'FROM scratch',
      'COPY --from=build /app /app',
    ].join('\n'),
  );
  assert.equal(problem, undefined);
  const [b, t, s] = model.stages;
  assert.equal(b!.base, 'golang:1.22');
  assert.equal(b!.baseRaw, 'golang:${GO_VERSION}');
  assert.equal(b!.name, 'build');
  assert.equal(b!.platform, '$BUILDPLATFORM');
  assert.equal(b!.env.get('GOFLAGS'), '-trimpath -mod=vendor');
  assert.ok(b!.args.has('TARGETARCH'));
  assert.equal(t!.parent, 0);
  assert.equal(t!.env.get('CGO_ENABLED'), '0');
  assert.equal(s!.scratch, true);
  assert.equal(model.instructions[6]!.flags[0]!.value, 'build');
});

test('instructions carry 1-based ranges and offsets; CRLF and lower-case keywords', () => {
  const text = 'FROM alpine:3.22\r\nrun apk add --no-cache git \\\r\n    curl\r\nCMD ["/app"]\r\n';
  const { model } = parseDockerfile(text);
  const run = model.instructions[1]!;
  assert.equal(run.keyword, 'RUN');
  assert.deepEqual([run.span.line, run.span.column, run.span.endLine], [2, 1, 3]);
  assert.equal(text.slice(run.span.start, run.span.end), 'run apk add --no-cache git \\\r\n    curl');
  assert.deepEqual(
    run.commands[0]!.words.map((w) => w.value),
    ['apk', 'add', '--no-cache', 'git', 'curl'],
  );
  assert.deepEqual(model.instructions[2]!.exec, ['/app']);
  assert.equal(model.eol, '\r\n');
});

test('RUN --mount options are parsed', () => {
  const { model } = parseDockerfile(
    'FROM golang:1.25\nRUN --mount=type=cache,target=/go/pkg/mod,id=gomod --mount=type=secret,id=netrc,target=/root/.netrc go mod download',
  );
  const flags = model.instructions[1]!.flags;
  assert.deepEqual(flags[0]!.options, { type: 'cache', target: '/go/pkg/mod', id: 'gomod' });
  assert.deepEqual(flags[1]!.options, { type: 'secret', id: 'netrc', target: '/root/.netrc' });
});

test('heredoc RUN bodies are split as scripts', () => {
  const { model } = parseDockerfile(
    'FROM golang:1.25\nRUN <<EOF\nset -e\nCGO_ENABLED=0 go build -o /app .\nEOF\n',
  );
  const b = goCommands(model.stages[0]!).builds[0];
  assert.ok(b);
  assert.equal(b.cgo, '0');
  assert.equal(b.output, '/app');
});

test('a heredoc read by a shell named by path is a script too; one read by another program is not', () => {
  const build = (run: string) =>
    goCommands(parseDockerfile(`FROM golang:1.25\n${run}\ngo build -o /app .\nEOF\n`).model.stages[0]!)
      .builds;
  assert.equal(build('RUN /bin/bash <<EOF')[0]?.output, '/app');
  assert.equal(build('RUN /usr/bin/env <<EOF').length, 0);
  assert.equal(build('RUN python3 <<EOF').length, 0);
});

test('splitShell on a script: a backslash-newline joins lines, indented or not; a comment ends at its newline', () => {
  const words = (text: string) =>
    splitShell(text, { dockerfileLines: false }).map((c) => c.words.map((w) => w.value));
  assert.deepEqual(words('apt-get update && \\\n    apt-get install -y curl \\\r\n  && rm -rf x\n'), [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', 'curl'],
    ['rm', '-rf', 'x'],
  ]);
  assert.deepEqual(words('# note \\\necho hi\n'), [['echo', 'hi']]);
});

test('isShell: shells by name or path, not programs that merely end alike', () => {
  for (const s of ['sh', 'bash', '/bin/sh', '/usr/bin/bash', 'ash', 'dash', 'zsh', '/bin/ksh'])
    assert.equal(isShell(s), true, s);
  for (const s of ['ssh', 'fish-ish', '/bin/shell', 'bashdb', 'env', 'python3', ''])
    assert.equal(isShell(s), false, s);
});

test('GOFLAGS is split as the go command splits it: a quoted field keeps its spaces', () => {
  assert.deepEqual(splitGoflags(`'-ldflags=-w -s' -trimpath  "-tags=a b"`), [
    '-ldflags=-w -s',
    '-trimpath',
    '-tags=a b',
  ]);
  assert.deepEqual(splitGoflags('  '), []);
  const df = parseDockerfile(
    'FROM golang:1.25\nARG GOFLAGS="\'-ldflags=-w -s\'"\nRUN go build -o /app .\n',
  ).model;
  const [b] = goCommands(df.stages[0]!).builds;
  assert.equal(b?.stripped, true);
});

test('go build analysis: flags, GOFLAGS, ARG/ENV/export/command CGO_ENABLED', () => {
  const { model } = parseDockerfile(
    [
      'FROM golang:1.25',
      'ARG CGO_ENABLED=1',
      'ENV GOFLAGS=-trimpath',
      'RUN go build -ldflags "-s -w -X main.v=1" -tags netgo,osusergo -mod=mod -o bin/app ./cmd/app',
      'RUN export CGO_ENABLED=0 && GOARCH=arm64 go install ./...',
      'RUN env CGO_ENABLED=0 GOOS=linux go build .',
    ].join('\n'),
  );
  const [a, b, c] = goCommands(model.stages[0]!).builds;
  assert.equal(a!.stripped, true);
  assert.equal(a!.trimpath, true);
  assert.deepEqual(a!.tags, ['netgo', 'osusergo']);
  assert.equal(a!.mod, 'mod');
  assert.equal(a!.output, 'bin/app');
  assert.deepEqual([a!.cgo, a!.cgoSource], ['1', 'arg']);
  assert.deepEqual([b!.cgo, b!.cgoSource, b!.subcommand, b!.goarch], ['0', 'export', 'install', 'arm64']);
  assert.deepEqual([c!.cgo, c!.cgoSource, c!.goos], ['0', 'command', 'linux']);
});

test('the escape directive and parser directives are read', () => {
  const { model } = parseDockerfile(
    '# escape=`\n# syntax=docker/dockerfile:1\nFROM golang:1.25\nRUN go build `\n  -o /app .',
  );
  assert.equal(model.escape, '`');
  assert.deepEqual(
    model.directives.map((d) => d.name),
    ['escape', 'syntax'],
  );
  assert.deepEqual(
    model.instructions[1]!.commands[0]!.words.map((w) => w.value),
    ['go', 'build', '-o', '/app', '.'],
  );
});

test('what Docker rejects becomes a problem with a position', () => {
  assert.match(
    parseDockerfile('FROM alpine\nFROBNICATE x\n').problem!.message,
    /unknown instruction: FROBNICATE/,
  );
  assert.equal(parseDockerfile('FROM alpine\nFROBNICATE x\n').problem!.span.line, 2);
  assert.match(parseDockerfile('RUN echo\nFROM alpine').problem!.message, /before the first FROM/);
  assert.match(parseDockerfile('').problem!.message, /no instructions/);
  assert.match(parseDockerfile('ARG X=1\n').problem!.message, /no FROM/);
  assert.match(parseDockerfile('FROM a b\n').problem!.message, /one or three arguments/);
});

test('FROM naming a stage by the target OS (a global platform ARG) is that stage, for linux', () => {
  const df = parseDockerfile(
    'FROM scratch AS bin-unix\nFROM bin-unix AS bin-linux\nFROM scratch AS bin-windows\nFROM bin-${TARGETOS} AS bin\nFROM img-${TARGETARCH}\n',
  ).model;
  assert.equal(df.stages[3]!.parent, 1);
  assert.equal(df.stages[3]!.base, 'bin-linux');
  assert.equal(df.stages[4]!.unresolved, true);
});
