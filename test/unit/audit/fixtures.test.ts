/** Real-world Dockerfiles (docker init's template, a naive one, a scratch one): the exact rule set each gets. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/cli.js';
import { audit, project, rulesOf } from './helpers.js';

const DIR = join(REPO_ROOT, 'test/fixtures/dockerfiles');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, string[]>;

for (const [name, rules] of Object.entries(expected)) {
  test(`${name} gets exactly ${rules.length} rules`, () => {
    const text = readFileSync(join(DIR, name), 'utf8');
    const p = project({ goMod: { ...project().goMod!, go: '1.21' }, usesTls: true, loadsTimeZones: true });
    assert.deepEqual(rulesOf(audit(text, { project: p })), [...rules].sort());
  });
}
