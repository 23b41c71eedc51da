import * as pulumi from '@pulumi/pulumi';
import { ALERTMANAGER_RECEIVERS_SECRET } from '../alerts/alertmanager-config.js';
import { stackComponents } from '../constructs/components.js';
import { secretsOf } from '../model/secrets.js';
import type { StackSpec } from '../model/spec.js';

/** The config key (secret) with values for Secrets the program otherwise generates. */
export const SECRET_VALUES_KEY = 'secrets';

/** Values by Secret name and key, as secret outputs. */
export type SecretValueOutputs = Record<string, Record<string, pulumi.Output<string>>>;

export interface SecretValuesResult {
  readonly values: SecretValueOutputs;
  /** One line per problem, each starting with its config key. */
  readonly problems: readonly string[];
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `observatory:secrets`: values of your own for the Secrets the program otherwise fills with random passwords (and
 * the credentials of a distributed stack's own OpenSearch and bucket on an existing cluster),
 * by Secret name and key (`pulumi config set --secret --path 'secrets.grafana-admin.password' <value>`). A Secret
 * is given whole (every key) or not at all; with every one given the program makes no `random` resource, so it
 * runs without the random provider. Must be stored as a secret.
 */
export function secretValuesFromConfig(config: pulumi.Config, spec: StackSpec, storedAsSecret: boolean | undefined): SecretValuesResult {
  const key = `${config.name}:${SECRET_VALUES_KEY}`;
  const raw = config.getObject<unknown>(SECRET_VALUES_KEY);
  if (raw === undefined) return { values: {}, problems: [] };
  if (!isMapping(raw)) return { values: {}, problems: [`${key}: expected a mapping of Secret name to { key: value }, got ${JSON.stringify(raw)}`] };
  const problems: string[] = [];
  if (Object.keys(raw).length > 0 && storedAsSecret === false) {
    problems.push(`${key}: must be a secret (pulumi config set --secret --path '${SECRET_VALUES_KEY}.<secret>.<key>' <value>)`);
  }
  const components = stackComponents({ spec });
  // Generated Secrets (a value you give replaces the random one) and the credentials of stores outside the stack.
  const expected = new Map<string, Record<string, string>>([
    ...secretsOf(components).map((s) => [s.name, Object.fromEntries(Object.entries(s.keys).map(([k, { length }]) => [k, `a value (${length} URL-safe characters are generated otherwise)`]))] as const),
    ...components.flatMap((c) => c.externalSecrets ?? []).map((e) => [e.secret, { ...e.keys }] as const),
  ]);
  const values: SecretValueOutputs = {};
  for (const [name, given] of Object.entries(raw)) {
    const keys = expected.get(name);
    if (!keys) {
      const hint = name === ALERTMANAGER_RECEIVERS_SECRET ? 'receiver credentials go in alertCredentials' : `expected one of ${[...expected.keys()].join(', ')}`;
      problems.push(`${key}.${name}: not a Secret this stack reads (${hint})`);
      continue;
    }
    if (!isMapping(given)) {
      problems.push(`${key}.${name}: expected a mapping of key to value, got ${JSON.stringify(given)}`);
      continue;
    }
    for (const [k, what] of Object.entries(keys)) {
      if (typeof given[k] !== 'string' || given[k] === '') problems.push(`${key}.${name}.${k}: missing: ${what}; give every key of the Secret or none`);
    }
    for (const k of Object.keys(given).filter((k) => !(k in keys))) {
      problems.push(`${key}.${name}.${k}: unknown key (expected ${Object.keys(keys).join(', ')})`);
    }
    values[name] = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, pulumi.secret(String(v))]));
  }
  return { values, problems };
}
