/** Validates real JSON outputs against the schemas shipped in schemas/. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { REPO_ROOT } from './cli.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: false });

// Every schema in schemas/ is registered under its $id, so `$ref: "finding.schema.json"` resolves.
for (const name of readdirSync(join(REPO_ROOT, 'schemas')).filter((n) => n.endsWith('.schema.json'))) {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', name), 'utf8')) as { $id?: string };
  if (schema.$id && !ajv.getSchema(schema.$id)) ajv.addSchema(schema, schema.$id);
}

export function loadSchema(name: string): object {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', name), 'utf8')) as object;
}

/** Throws with every schema violation listed when `value` does not match schemas/`name`. */
export function assertMatchesSchema(name: string, value: unknown): void {
  const schema = loadSchema(name);
  const validate = ajv.getSchema((schema as { $id?: string }).$id ?? name) ?? ajv.compile(schema);
  if (!validate(value)) {
    throw new Error(`output does not match ${name}:\n${JSON.stringify(validate.errors, null, 2)}`);
  }
}
