import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { ProvidedSecretFiles, SecretSpec } from '../model/component.js';

export interface SecretPlacement {
  /** Prefix of the Pulumi resource names (the component's name). */
  readonly prefix: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly opts: pulumi.CustomResourceOptions;
}

/** A Kubernetes Secret this program wrote, with its values (secret outputs) by key. */
export interface DeployedSecret {
  readonly secret: k8s.core.v1.Secret;
  readonly values: Readonly<Record<string, pulumi.Output<string>>>;
}

const secretObject = (name: string, values: Record<string, pulumi.Input<string>>, where: SecretPlacement) =>
  new k8s.core.v1.Secret(
    `${where.prefix}:Secret/${where.namespace}/${name}`,
    {
      metadata: { name, namespace: where.namespace, labels: { ...where.labels } },
      type: 'Opaque',
      stringData: pulumi.secret(values),
    },
    { ...where.opts, additionalSecretOutputs: ['data', 'stringData'] },
  );

/**
 * A Secret the components own: every key a random value of the length the component asks for, from the
 * same URL-safe alphabet as `synth --generate-secrets` (letters and digits). The values live in the Pulumi
 * state (encrypted) and stay stable across updates.
 */
export function generatedSecret(spec: SecretSpec, where: SecretPlacement): DeployedSecret {
  const values = Object.fromEntries(
    Object.entries(spec.keys).map(([key, { length }]) => {
      const password = new random.RandomPassword(`${where.prefix}:${spec.name}/${key}`, { length, special: false }, { parent: where.opts.parent });
      // Secret here, not only through the provider's additionalSecretOutputs (applied by the engine).
      return [key, pulumi.secret(password.result)];
    }),
  );
  return { secret: secretObject(spec.name, values, where), values };
}

/**
 * A Secret the components own, with values you give instead of random ones (e.g. kept from another deployment,
 * or to run without the random provider): every key of it, and nothing else, so a typo cannot leave a component
 * with an empty password. The values are what you pass (secret outputs); none is generated.
 */
export function givenSecret(spec: SecretSpec, values: Readonly<Record<string, pulumi.Input<string>>>, where: SecretPlacement): DeployedSecret {
  const expected = Object.keys(spec.keys).sort();
  checkKeys(spec.name, expected, values, (key) => `a value of ${spec.keys[key]!.length} URL-safe characters, or leave the whole Secret out to generate it`);
  const secretValues = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, pulumi.secret(value)]));
  return { secret: secretObject(spec.name, secretValues, where), values: secretValues };
}

/** Throws, listing every key of `values` missing from `expected` or not in it, each with what it must hold. */
function checkKeys(
  secret: string,
  expected: readonly string[],
  values: Readonly<Record<string, unknown>> | undefined,
  wanted: (key: string) => string,
): void {
  const given = Object.keys(values ?? {}).sort();
  const missing = expected.filter((key) => !given.includes(key));
  const unknown = given.filter((key) => !expected.includes(key));
  if (missing.length === 0 && unknown.length === 0) return;
  const lines = [
    ...missing.map((key) => `providedSecrets.${secret}.${key}: missing (${wanted(key)})`),
    ...unknown.map((key) => `providedSecrets.${secret}.${key}: unknown key (expected ${expected.join(', ')})`),
  ];
  throw new Error(`values for Secret ${secret}:\n${lines.map((l) => `  - ${l}`).join('\n')}`);
}

/**
 * A Secret of credentials only the user has (a Slack webhook URL, a PagerDuty key): every file the component
 * reads must be given, and nothing else, so a typo cannot leave a receiver silently without its credential.
 */
export function providedSecret(
  provided: ProvidedSecretFiles,
  values: Readonly<Record<string, pulumi.Input<string>>> | undefined,
  where: SecretPlacement,
): DeployedSecret {
  checkKeys(provided.secret, Object.keys(provided.files).sort(), values, (file) => provided.files[file]!);
  const secretValues = Object.fromEntries(Object.entries(values!).map(([file, value]) => [file, pulumi.secret(value)]));
  return { secret: secretObject(provided.secret, secretValues, where), values: secretValues };
}
