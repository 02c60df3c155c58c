/**
 * BuildKit's `# check=` directive: goimg drops or raises the findings of its rules that are the
 * same as a BuildKit check, read with BuildKit's rules for the directive, and nothing else.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCheckDirective } from '../../../src/audit/check-directive.js';
import { auditDockerfile } from '../../../src/audit/engine.js';
import { getRule, RULES } from '../../../src/rules/catalog.js';
import { context, project } from './helpers.js';

const BODY = [
  'FROM golang:1.23 AS build',
  'WORKDIR /src',
  'ARG GITHUB_TOKEN',
  'RUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"',
  'COPY go.mod go.sum ./',
  'RUN go mod download',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /app .',
  'FROM gcr.io/distroless/static-debian12:nonroot',
  'COPY --from=build /app /app',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');

function rules(directive: string | undefined): Map<string, string> {
  const text = directive === undefined ? BODY : `${directive}\n${BODY}`;
  const findings = auditDockerfile({
    file: 'Dockerfile',
    text,
    project: project(),
    context: context(['.git', 'go.sum']),
  });
  return new Map(findings.map((f) => [f.rule, f.severity]));
}

test('without a directive both BuildKit look-alikes fire', () => {
  const found = rules(undefined);
  assert.equal(found.get('secrets-in-build-args'), getRule('secrets-in-build-args').severity);
  assert.ok(found.has('dockerignore-excludes-needed'));
});

test('check=skip=NAME drops the goimg rule that is the same check, and only that one', () => {
  const found = rules('# check=skip=SecretsUsedInArgOrEnv');
  assert.ok(!found.has('secrets-in-build-args'));
  assert.ok(found.has('dockerignore-excludes-needed'));
  const both = rules('# check=skip=CopyIgnoredFile, SecretsUsedInArgOrEnv');
  assert.ok(!both.has('secrets-in-build-args'));
  assert.ok(!both.has('dockerignore-excludes-needed'));
  assert.deepEqual([...rules('# check=skip=JSONArgsRecommended').keys()], [...rules(undefined).keys()]);
});

test('check=skip=all drops every look-alike; other goimg rules still fire', () => {
  const all = rules('# check=skip=all');
  const none = rules(undefined);
  const lookAlikes = RULES.filter((r) => r.sameAs?.buildkit).map((r) => r.id);
  assert.deepEqual([...all.keys()].sort(), [...none.keys()].filter((id) => !lookAlikes.includes(id)).sort());
  assert.ok(all.size > 0);
});

test('check=error=true raises the look-alikes to errors, as BuildKit fails the build on them', () => {
  const found = rules('# check=error=true');
  assert.equal(found.get('secrets-in-build-args'), 'error');
  const skipped = rules('# check=skip=CopyIgnoredFile;error=TRUE');
  assert.equal(skipped.get('secrets-in-build-args'), 'error');
  assert.ok(!skipped.has('dockerignore-excludes-needed'));
});

test('a directive BuildKit refuses, or a comment after the first instruction, changes nothing', () => {
  const none = [...rules(undefined).entries()];
  assert.deepEqual([...rules('# check=skip-all').entries()], none);
  assert.deepEqual([...rules('# check=error=yes;skip=SecretsUsedInArgOrEnv').entries()], none);
  const late = auditDockerfile({
    file: 'Dockerfile',
    text: BODY.replace('WORKDIR /src', 'WORKDIR /src\n# check=skip=all'),
    project: project(),
    context: context(['.git', 'go.sum']),
  });
  assert.ok(late.some((f) => f.rule === 'secrets-in-build-args'));
});

test('parseCheckDirective reads the options as BuildKit does', () => {
  assert.deepEqual(parseCheckDirective(''), { skipAll: false, skip: new Set(), error: false });
  assert.deepEqual(parseCheckDirective(' skip = A , B ;error=1'), {
    skipAll: false,
    skip: new Set(['A', 'B']),
    error: true,
  });
  assert.equal(parseCheckDirective('skip=all;experimental=all')?.skipAll, true);
  assert.equal(parseCheckDirective('error=true trailing words'), undefined);
  assert.equal(parseCheckDirective('nope=1'), undefined);
  assert.equal(parseCheckDirective('error=maybe'), undefined);
});
