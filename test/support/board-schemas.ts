// The JSON Schemas of the secret ballot's board messages (docs/schemas/ballot/, docs/BALLOT-PROTOCOL.md §7.1),
// compiled with Ajv (draft 2020-12, strict), for tests that check real boards, log entries and views against them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { repoRoot } from './paths.ts';

export const SCHEMA_DIR = join(repoRoot, 'docs', 'schemas', 'ballot');
const BASE = 'https://councils.example/schemas/ballot/';

/** The schema files by name (without `.schema.json`). */
export const schemaNames: readonly string[] = readdirSync(SCHEMA_DIR)
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.slice(0, -'.schema.json'.length))
  .sort();

const ajv = new Ajv2020({ strict: true, allErrors: true });
for (const name of schemaNames) {
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as object);
}
// compile every schema now, so that strict mode reports a fault in any of them whichever a test uses
for (const name of schemaNames) ajv.getSchema(`${BASE}${name}.schema.json`);

const text = (errors: readonly ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');

/** Null if `value` is valid against schema `name`, else Ajv's errors as one line. */
export function schemaErrors(name: string, value: unknown): string | null {
  const validate = ajv.getSchema(`${BASE}${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value) ? null : text(validate.errors);
}
