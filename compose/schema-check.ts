import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * The Compose Specification schema, copied unchanged from compose-go v2.16.2 (the library Docker
 * Compose v2 validates with), fetched through the Go module proxy: schema/compose-spec.json.
 */
const schemaUrl = new URL('../../compose/schema/compose-spec.json', import.meta.url);

let validator: ReturnType<Ajv2020['compile']> | undefined;

function compile() {
  const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

/** One line per problem of a compose document against the Compose Specification. */
export function composeSchemaProblems(document: unknown): string[] {
  validator ??= compile();
  if (validator(document)) return [];
  return (validator.errors ?? []).map((e) => `compose.yaml${e.instancePath.replaceAll('/', '.')}: ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
