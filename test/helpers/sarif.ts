/**
 * SARIF 2.1.0 validation. The schema is OASIS's sarif-2.1.0-rtm.5.json (the schema of the final
 * 2.1.0 text, JSON Schema draft-04, hence ajv-draft-04), kept in test/fixtures/schemas as
 * published: no package ships it without a test framework around it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import { REPO_ROOT } from './cli.js';

const schemaPath = join(REPO_ROOT, 'test', 'fixtures', 'schemas', 'sarif-2.1.0-rtm.5.json');
// unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-unicode RegExp accept.
const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/** Fails the test with every violation listed when `log` is not valid SARIF 2.1.0. */
export function assertValidSarif(log: unknown): void {
  if (!validate(log)) assert.fail(`invalid SARIF:\n${JSON.stringify(validate.errors, null, 2)}`);
}
