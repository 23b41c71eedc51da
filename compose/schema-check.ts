import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { requirePeer } from '../model/optional-peer.js';
import { packageRoot } from '../model/package-root.js';


/**
 * The Compose Specification schema, copied unchanged from compose-go v2.16.2 (the library Docker
 * Compose v2 validates with), fetched through the Go module proxy: schema/compose-spec.json.
 */
const schemaPath = () => join(packageRoot(), 'compose', 'schema', 'compose-spec.json');

let validator: ReturnType<Ajv2020['compile']> | undefined;

function compile() {
  const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as Record<string, unknown>;
  // Loaded on first use, an optional peer: only validation needs ajv, and the construct's import path and synth must not pay for it.
  const { Ajv2020: Validator } = requirePeer<{ Ajv2020: typeof Ajv2020 }>(import.meta.url, 'ajv/dist/2020.js', { name: 'ajv', version: '^8.20.0', neededFor: 'compose schema validation' });
  const ajv = new Validator({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

/** One line per problem of a compose document against the Compose Specification. */
export function composeSchemaProblems(document: unknown): string[] {
  validator ??= compile();
  if (validator(document)) return [];
  return (validator.errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    const property = params['additionalProperty'] ?? params['unevaluatedProperty'];
    return `compose.yaml${e.instancePath.replaceAll('/', '.')}: ${e.message ?? e.keyword}${property ? ` ("${String(property)}")` : ''}`;
  });
}
