/** Rule web links exist only when package.json names a repository, and point at the rule's section of docs/rules.md. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectUrl, repositoryUrl, ruleWebUrl } from '../../../src/report/doc-links.js';
import { RULES } from '../../../src/rules/catalog.js';
import { REPO_ROOT } from '../../helpers/cli.js';

test('with a repository, every rule links to its anchored section of docs/rules.md', () => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');
  for (const rule of RULES) {
    const link = ruleWebUrl(rule.id, { repository: 'github:example/goimg' });
    assert.equal(link, `https://github.com/example/goimg/blob/HEAD/docs/rules.md#${rule.id}`);
    assert.ok(page.includes(`<a id="${rule.id}"></a>`), `anchor ${rule.id}`);
  }
});

test('web links only from the repository or homepage package.json declares', () => {
  assert.equal(ruleWebUrl('no-trimpath', {}), undefined);
  assert.equal(projectUrl({}), undefined);
  for (const [repository, url] of [
    ['git+https://github.com/o/r.git', 'https://github.com/o/r'],
    [{ type: 'git', url: 'https://gitlab.com/g/sub/r' }, 'https://gitlab.com/g/sub/r'],
    ['github:o/r', 'https://github.com/o/r'],
    ['o/r', 'https://github.com/o/r'],
    ['gitlab:o/r', 'https://gitlab.com/o/r'],
  ] as const) {
    assert.equal(repositoryUrl(repository), url, JSON.stringify(repository));
    assert.equal(ruleWebUrl('no-trimpath', { repository }), `${url}/blob/HEAD/docs/rules.md#no-trimpath`);
  }
  assert.equal(repositoryUrl('not a url'), undefined);
  assert.equal(repositoryUrl(42), undefined);
  // A homepage is the project's address, not a place to find docs/rules.md in.
  assert.equal(projectUrl({ homepage: 'https://goimg.example/' }), 'https://goimg.example');
  assert.equal(ruleWebUrl('no-trimpath', { homepage: 'https://goimg.example/' }), undefined);
});
