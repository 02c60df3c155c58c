/** GitHub workflow commands: levels, positions, and the runner's escaping rules. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeData, escapeProperty, githubAnnotation, renderGithub } from '../../../src/report/index.js';
import { IMAGE_FINDINGS, seedAudit } from './fixtures.js';

test('githubAnnotation: one-line range with inclusive end column, file under the root', () => {
  const line = githubAnnotation(
    {
      rule: 'no-trimpath',
      severity: 'info',
      file: 'Dockerfile',
      line: 4,
      column: 5,
      endLine: 4,
      endColumn: 13,
      message: 'no -trimpath',
    },
    { root: 'services/api' },
  );
  assert.equal(
    line,
    '::notice file=services/api/Dockerfile,line=4,col=5,endColumn=12,title=no-trimpath::no -trimpath',
  );
});

test('githubAnnotation: the rule link only when package.json names a repository', () => {
  const f = { rule: 'no-trimpath', severity: 'info', file: 'Dockerfile', message: 'm' } as const;
  assert.equal(githubAnnotation(f), '::notice file=Dockerfile,title=no-trimpath::m');
  assert.equal(
    githubAnnotation(f, { links: { repository: 'github:example/goimg' } }),
    '::notice file=Dockerfile,title=no-trimpath::m%0Ahttps://github.com/example/goimg/blob/HEAD/docs/rules.md#no-trimpath',
  );
});

test('githubAnnotation: multi-line ranges carry endLine and no columns', () => {
  const line = githubAnnotation({
    rule: 'source-before-deps',
    severity: 'warning',
    file: 'Dockerfile',
    line: 3,
    column: 1,
    endLine: 5,
    endColumn: 9,
    message: 'm',
  });
  assert.match(line, /^::warning file=Dockerfile,line=3,endLine=5,title=source-before-deps::m$/);
});

test('escaping: % \\r \\n in messages, and : , in properties', () => {
  assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
  assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  const line = githubAnnotation({
    rule: 'parse-error',
    severity: 'error',
    file: 'odd,name:x.Dockerfile',
    line: 1,
    message: 'x\ny',
  });
  assert.match(line, /^::error file=odd%2Cname%3Ax\.Dockerfile,line=1,title=parse-error::x%0Ay$/);
  // Nothing the runner would read as a new command survives on its own line.
  assert.equal(line.split('\n').length, 1);
});

test('renderGithub: image findings name their path; a real audit gives one line per finding', async () => {
  const image = renderGithub(IMAGE_FINDINGS);
  assert.match(image, /^::error title=missing-interpreter::\/lib64\/ld-linux-x86-64\.so\.2: /m);
  assert.match(image, /^::warning title=runs-as-root::the image runs as root/m);
  const { findings } = await seedAudit();
  const out = renderGithub(findings, { root: 'examples/seed-article' });
  assert.equal(out.trimEnd().split('\n').length, findings.length);
  for (const l of out.trimEnd().split('\n'))
    assert.match(l, /^::(error|warning|notice) file=examples\/seed-article\//);
  assert.equal(renderGithub([]), '');
});
