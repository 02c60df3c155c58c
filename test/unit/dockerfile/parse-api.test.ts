/**
 * The public parseDockerfile(text, {file}) from the package entry: its output on real
 * Dockerfiles (fixtures, BuildKit-shaped cases, rejected files) matches
 * schemas/dockerfile-parse.schema.json, and carries what BuildKit reads.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDockerfile } from '../../../src/index.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { TARGETED } from './buildkit-cases.js';

test('parseDockerfile output matches its JSON Schema on fixtures and edge cases', () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'dockerfiles');
  const texts = readdirSync(dir)
    .filter((n) => n.endsWith('Dockerfile'))
    .map((n) => readFileSync(join(dir, n), 'utf8'));
  assert.ok(texts.length > 0);
  let rejected = 0;
  for (const text of [...texts, ...TARGETED]) {
    const parsed = parseDockerfile(text, { file: 'Dockerfile' });
    assertMatchesSchema('dockerfile-parse.schema.json', JSON.parse(JSON.stringify(parsed)));
    if (parsed.errors.length > 0) rejected++;
  }
  assert.ok(rejected > 0, 'some edge cases are rejected');
});

test('parseDockerfile reports heredocs, JSON form, flags, ONBUILD triggers and stages as BuildKit reads them', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    'FROM golang:1.23 AS build',
    'COPY --from=base ["go.mod", "./"]',
    "RUN <<'EOF' sh",
    'echo $HOME',
    'EOF',
    'ONBUILD RUN --network=none make',
    'FROM scratch',
    'COPY --from=build /out /app',
    '',
  ].join('\n');
  const p = parseDockerfile(text);
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.directives, [{ name: 'syntax', value: 'docker/dockerfile:1', line: 1 }]);
  assert.equal(p.escapeToken, '\\');
  assert.deepEqual(
    p.instructions.map((i) => [i.keyword, i.startLine, i.endLine]),
    [
      ['FROM', 2, 2],
      ['COPY', 3, 3],
      ['RUN', 4, 6],
      ['ONBUILD', 7, 7],
      ['FROM', 8, 8],
      ['COPY', 9, 9],
    ],
  );
  const copy = p.instructions[1]!;
  assert.equal(copy.json, true);
  assert.deepEqual(copy.flags, ['--from=base']);
  assert.deepEqual(copy.args, ['go.mod', './']);
  assert.deepEqual(p.instructions[2]!.heredocs, [
    { name: 'EOF', content: 'echo $HOME\n', expand: false, chomp: false },
  ]);
  assert.deepEqual(p.instructions[3]!.trigger, {
    keyword: 'RUN',
    flags: ['--network=none'],
    args: ['make'],
    json: false,
  });
  assert.equal(p.instructions[2]!.range.start.line, 4);
  assert.equal(p.instructions[2]!.range.end.line, 6);
  assert.deepEqual(
    p.stages.map((s) => [s.name, s.base, s.instruction]),
    [
      ['build', 'golang:1.23', 0],
      [null, 'scratch', 4],
    ],
  );
});

test('parseDockerfile gives BuildKit reason and position for rejected files', () => {
  const unterminated = parseDockerfile('FROM a\nRUN <<EOF\necho\nEOF \n', { file: 'x/Dockerfile' });
  assert.deepEqual(unterminated.errors, [
    { line: 2, column: 1, message: 'x/Dockerfile:2: unterminated heredoc', source: 'parser' },
  ]);
  const env = parseDockerfile('FROM a\nENV PATH\n');
  assert.equal(env.errors[0]?.message, 'ENV must have two arguments');
  assert.equal(env.errors[0]?.line, 2);
  const flag = parseDockerfile('FROM a\nCOPY --FROM=build /a /b\n');
  assert.deepEqual(flag.errors, [
    { line: 2, column: 1, message: 'unknown flag: --FROM', source: 'instruction' },
  ]);
  assert.deepEqual(flag.stages, []);
});
