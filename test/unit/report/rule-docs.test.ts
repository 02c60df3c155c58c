/** docs/rules.md is generated from the catalog and the rule modules; this fails when it drifts. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { RULES, ruleDocsUrl } from '../../../src/rules/catalog.js';
import { REPO_ROOT } from '../../helpers/cli.js';

interface Generator {
  generateRuleDocs(root?: string): Promise<string>;
  RULES_DOC: string;
  REGENERATE: string;
}

async function generator(): Promise<Generator> {
  return (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'gen-rule-docs.mjs')).href)) as Generator;
}

test('docs/rules.md is up to date with the rule catalog and the rule modules', async () => {
  const gen = await generator();
  const expected = await gen.generateRuleDocs(REPO_ROOT);
  let current = '';
  try {
    current = readFileSync(join(REPO_ROOT, gen.RULES_DOC), 'utf8');
  } catch {
    // missing: reported below
  }
  assert.ok(
    current === expected,
    `${gen.RULES_DOC} is out of date: run \`${gen.REGENERATE}\` and commit the result`,
  );
});

test('docs/rules.md has one anchored section per rule, the target of every web link', async () => {
  const gen = await generator();
  const text = await gen.generateRuleDocs(REPO_ROOT);
  for (const rule of RULES) {
    const [page, anchor] = ruleDocsUrl(rule.id).split('#');
    assert.equal(page, gen.RULES_DOC, 'finding links point at the generated page');
    assert.equal(anchor, rule.id);
    assert.equal(text.split(`<a id="${anchor}"></a>`).length, 2, `exactly one anchor for ${rule.id}`);
    assert.ok(text.includes(`### \`${rule.id}\``));
    assert.ok(text.includes(rule.why), `${rule.id}: why`);
  }
  // Examples and fix descriptions come from the compiled rule modules, through src/rules/examples.ts.
  const section = text.slice(text.indexOf('<a id="no-trimpath">'), text.indexOf('<a id="upx-packed">'));
  assert.match(section, /Bad:\n\n```dockerfile\n.*go build/s);
  assert.match(section, /Good:\n\n```dockerfile\n.*-trimpath/s);
  assert.match(section, /Fix: With `goimg audit --fix`: Adds `-trimpath`/);
  assert.ok(text.includes('<a id="severity-policy"></a>'), 'the severity policy has its anchor');
});
