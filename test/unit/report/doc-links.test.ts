/** Rule links point at something that exists: the page shipped in the package, or the repository package.json names. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  localRuleDoc,
  projectUrl,
  repositoryUrl,
  ruleDocLink,
  ruleWebUrl,
} from '../../../src/report/doc-links.js';
import { RULES } from '../../../src/rules/catalog.js';
import { REPO_ROOT } from '../../helpers/cli.js';

test('every rule link names docs/rules.md of this package, at the rule anchor', () => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  for (const rule of RULES) {
    const link = ruleDocLink(rule.id, pkg);
    assert.ok(link !== undefined, rule.id);
    const [file, anchor] = link.split('#');
    if (projectUrl(pkg) === undefined) {
      assert.equal(file, join(REPO_ROOT, 'docs', 'rules.md'));
      assert.ok(existsSync(file!));
    }
    assert.equal(anchor, rule.id);
    assert.ok(page.includes(`<a id="${rule.id}"></a>`), `anchor ${rule.id}`);
  }
  assert.equal(localRuleDoc('no-trimpath'), `${join(REPO_ROOT, 'docs', 'rules.md')}#no-trimpath`);
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
