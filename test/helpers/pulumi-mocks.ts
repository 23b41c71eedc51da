import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import yaml from 'js-yaml';
import { packageRoot } from '../../model/package-root.js';
import { TRAEFIK_NAME } from '../../stacks/traefik-values.js';

/** What the program asked the engine to create (or read), as the engine's mock saw it. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly provider?: string;
  /** Set when the resource is read (`Resource.get`) rather than created. */
  readonly readId?: string;
}

/** A resource as the program constructed it, with the options it passed (parent, provider, dependsOn). */
export interface Constructed {
  readonly resource: pulumi.Resource;
  readonly type: string;
  readonly name: string;
  readonly opts: pulumi.ResourceOptions;
}

export interface ProgramRun {
  readonly registered: readonly Registered[];
  readonly constructed: readonly Constructed[];
  readonly invokes: readonly string[];
  /** The program's return value: the stack outputs, as Outputs. */
  readonly outputs: Record<string, any>;
  /** Outputs each component registered, by resource name. */
  readonly componentOutputs: ReadonlyMap<string, Record<string, unknown>>;
}

export const STORED_KUBECONFIG = 'apiVersion: v1\nkind: Config\n# stored with the cluster\n';
export const FRESH_KUBECONFIG = 'apiVersion: v1\nkind: Config\n# fetched on this run\n';
export const LOAD_BALANCER_IP = '203.0.113.10';
/** What the mocked DigitalOcean API answers for a Managed OpenSearch cluster. */
export const MANAGED_OPENSEARCH = {
  password: 'mock-opensearch-password',
  privateHost: 'private-traces.db.ondigitalocean.com',
  port: 25060,
  ca: '-----BEGIN CERTIFICATE-----\nmock-managed-database-ca\n-----END CERTIFICATE-----\n',
} as const;
/** The patch the mocked DigitalOcean API offers as newest for every minor. */
export const latestPatchOf = (minor: string) => `${minor}.4-do.0`;

/** A deterministic "random" value of a given length (the mock of random.RandomPassword). */
const fakePassword = (name: string, length: number) => name.replace(/[^A-Za-z0-9]/g, '').padEnd(length, 'x').slice(0, length);

function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, any>;
  switch (args.type) {
    case 'digitalocean:index/kubernetesCluster:KubernetesCluster':
      return { ...inputs, status: 'running', endpoint: 'https://cluster.k8s.ondigitalocean.com', kubeConfigs: [{ rawConfig: STORED_KUBECONFIG }] };
    case 'digitalocean:index/databaseCluster:DatabaseCluster':
      return { ...inputs, user: 'doadmin', password: MANAGED_OPENSEARCH.password, privateHost: MANAGED_OPENSEARCH.privateHost, port: MANAGED_OPENSEARCH.port };
    case 'random:index/randomPassword:RandomPassword':
      return { ...inputs, result: fakePassword(args.name, inputs['length']) };
    case 'kubernetes:helm.sh/v3:Release':
      return { ...inputs, status: { name: inputs['name'], namespace: inputs['namespace'], status: 'deployed' } };
    case 'kubernetes:core/v1:Service':
      return args.id ? { metadata: { name: TRAEFIK_NAME }, status: { loadBalancer: { ingress: [{ ip: LOAD_BALANCER_IP }] } } } : inputs;
    default:
      return inputs;
  }
}

function mockCall(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  switch (args.token) {
    case 'digitalocean:index/getKubernetesVersions:getKubernetesVersions': {
      const minor = String(args.inputs['versionPrefix']).replace(/\.$/, '');
      return { id: minor, versionPrefix: args.inputs['versionPrefix'], latestVersion: latestPatchOf(minor), validVersions: [`${minor}.3-do.0`, latestPatchOf(minor)] };
    }
    case 'digitalocean:index/getDatabaseCa:getDatabaseCa':
      return { id: args.inputs['clusterId'], clusterId: args.inputs['clusterId'], certificate: MANAGED_OPENSEARCH.ca };
    case 'digitalocean:index/getKubernetesCluster:getKubernetesCluster':
      return { name: args.inputs['name'], status: 'running', kubeConfigs: [{ rawConfig: FRESH_KUBECONFIG }] };
    default:
      throw new Error(`unexpected invoke ${args.token}`);
  }
}

/** The `config:` map of a stack file in the repository root (`Pulumi.<stack>.yaml`). */
export function stackFileConfig(stack: string): Record<string, unknown> {
  const file = yaml.load(readFileSync(join(packageRoot(), `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  return file.config;
}

/** A config value as the engine passes it to a program: text as is, anything else as JSON. */
export const configValue = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Runs a Pulumi program under Pulumi's mocks, as `pulumi up` would run it (inside the root stack resource, with
 * the stack's config), and waits until every registration finished.
 */
export async function runProgram(
  program: () => Promise<Record<string, unknown>>,
  options: { readonly stack: string; readonly config: Record<string, unknown>; readonly secretKeys?: readonly string[]; readonly project?: string },
): Promise<ProgramRun> {
  const registered: Registered[] = [];
  const invokes: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, ...(args.provider ? { provider: args.provider } : {}), ...(args.id ? { readId: args.id } : {}) });
        return { id: args.id || `${args.name}_id`, state: mockState(args) };
      },
      call: (args) => {
        invokes.push(args.token);
        return mockCall(args);
      },
    },
    options.project ?? 'observatory',
    options.stack,
    false,
  );
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(options.config).map(([key, value]) => [key, configValue(value)])), [...(options.secretKeys ?? [])]);
  const constructed: Constructed[] = [];
  let outputs: Record<string, any> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      constructed.push({ resource: args.resource, type: args.type, name: args.name, opts: args.opts });
      return undefined;
    });
    outputs = await program();
    return outputs;
  });
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, { state: unknown }> };
  await pulumi.runtime.disconnect();
  const componentOutputs = new Map<string, Record<string, unknown>>();
  for (const [urn, { state }] of monitor.getRegisteredResources()) {
    const outputsOf = state as { toJavaScript?: () => Record<string, unknown> };
    if (outputsOf?.toJavaScript) componentOutputs.set(urn.split('::').pop()!, outputsOf.toJavaScript());
  }
  return { registered, constructed, invokes, outputs, componentOutputs };
}

/** The value of an Output (or a plain value), and whether it is secret. */
export async function resolved<T>(value: pulumi.Input<T> | undefined): Promise<{ value: T | undefined; secret: boolean }> {
  if (!pulumi.Output.isInstance(value)) return { value: value as T | undefined, secret: false };
  const output = value as pulumi.Output<T>;
  const secret = await pulumi.isSecret(output);
  const unwrapped = await new Promise<T>((resolve) => output.apply((v) => resolve(v)));
  return { value: unwrapped, secret };
}

/** Whether a mock input value arrived secret-wrapped (the engine keeps it encrypted in the state). */
export const isSecretInput = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

/** A mock input value without its secret wrapper. */
export const unwrapSecret = (value: any): any => (isSecretInput(value) ? value.value : value);
