// Validation of Postman collections against the Postman Collection Format v2.1.0 JSON schema
// (draft-07), vendored in scripts/schemas/ (source, version and licence: scripts/schemas/README.md).
//   import { postmanSchemaProblems } from './postman-schema.mjs';
//   await postmanSchemaProblems(collection)  ->  [] or ['/item/0/request/method: must be string', ...]
// The demos tier (check-demos.mjs) runs it on every demos/*/postman_collection.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';

export const SCHEMA_FILE = join(import.meta.dirname, 'schemas', 'postman-collection-v2.1.0.json');

let validate;
function validator() {
  if (!validate) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    // Ajv's default class is draft-07, the schema's dialect. strictTypes off: the schema leaves
    // "type" implicit beside "required"/"properties" and uses union types, which JSON Schema allows.
    const ajv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true });
    validate = ajv.compile(schema);
  }
  return validate;
}

/** Every violation as "<JSON pointer of the value>: <what the schema requires>"; [] when valid. */
export async function postmanSchemaProblems(collection) {
  try {
    await validator()(collection); // the schema is "$async": the check resolves or rejects
    return [];
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    // "must match then/else schema" only repeats the deeper errors it stands for.
    const lines = e.errors
      .filter((err) => err.keyword !== 'if')
      .map((err) => {
        const extra = err.params?.allowedValues ? ` (${err.params.allowedValues.join(', ')})` : '';
        return `${err.instancePath || '/'}: ${err.message}${extra}`;
      });
    return [...new Set(lines)];
  }
}
