/**
 * SARIF validation against the SARIF 2.1.0 JSON schema shipped in the npm package
 * @microsoft/jest-sarif (sarif-2.1.0-rtm.5.json, the schema of the final 2.1.0 text; draft-04,
 * hence ajv-draft-04).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv04 from 'ajv-draft-04';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-unicode RegExp accept.
const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

export function assertValidSarif(log: unknown): void {
  if (!validate(log)) assert.fail(`invalid SARIF:\n${JSON.stringify(validate.errors, null, 2)}`);
}
